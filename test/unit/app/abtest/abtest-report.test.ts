/**
 * The A/B test's results outside the model: the chart builders, the CSV exports and the report's
 * sections, from a MAP run (run-fit.ts, as the worker runs it) of a small simulated coupon test
 * whose segment label needs escaping. A run stored as unconverged says so first in its report.
 */
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateAbTest } from '../../../data/generate-abtest-sample.mjs';
import type { RunResult } from '../../../../src/api/types';
import { conversionChart, estimatesCsv, profitChart, revenueChart, segmentChart, segmentsCsv } from '../../../../src/app/abtest/abtest-charts';
import { buildReport } from '../../../../src/app/report/report';
import { parseCsvText } from '../../../../src/data/csv';
import { runFit } from '../../../../src/models/run-fit';

describe('A/B test results: charts, exports, report', () => {
  let run: RunResult<'abtest'>;
  const dom = new Window();

  beforeAll(async () => {
    const { csv } = simulateAbTest({ n: 800, seed: 9 });
    const { table } = await parseCsvText(csv.replaceAll(',loyal,', ',<b>loyal</b>,'), 'coupon.csv');
    const spec = {
      dataset: 'coupon.csv',
      model: 'abtest' as const,
      columns: { customer: 'customer', group: 'group', revenue: 'revenue', purchases: 'purchases', covariates: ['prev_revenue'], segment: 'segment' },
      config: { treatment: 'coupon', costPerRedemption: 2, margin: 0.4 },
      inference: { method: 'map' as const, seed: 3 },
    };
    run = (await runFit(table, 'coupon.csv', spec, 'run-abtest', 'cpu')) as RunResult<'abtest'>;
    Object.assign(globalThis, { document: dom.document, XMLSerializer: dom.XMLSerializer, DOMParser: dom.DOMParser });
  }, 60_000);
  afterAll(async () => {
    for (const name of ['document', 'XMLSerializer', 'DOMParser']) Reflect.deleteProperty(globalThis, name);
    await dom.happyDOM.close();
  });

  it('builds a chart for each group quantity, the profit and the segments', () => {
    const out = run.outputs;
    expect(conversionChart(out).marks).toHaveLength(1);
    expect(revenueChart(out)?.title).toContain('covariate-adjusted');
    const profit = profitChart(out)!;
    expect(profit.marks).toHaveLength(2);
    expect(out.profitPerCustomer!.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.98 * run.diagnostics.chains * run.diagnostics.draws);
    expect(segmentChart(out)?.title).toContain('Revenue uplift by segment');
    // Without segments or revenue, those charts are left out.
    expect(segmentChart({ ...out, bySegment: undefined })).toBeUndefined();
    expect(revenueChart({ ...out, revenuePerCustomer: undefined })).toBeUndefined();
  });

  it('exports the estimates and one row per segment', () => {
    const out = run.outputs;
    const est = estimatesCsv(out);
    expect(est.header).toEqual(['quantity', 'mean', 'sd', 'hdi_low', 'hdi_high']);
    const byName = new Map(est.rows.map((r) => [r[0], r]));
    expect(byName.get('revenue uplift per customer')?.[1]).toBe(out.revenueUplift!.mean);
    // Paid per redemption, the cost is uncertain: 2 × P(buy | treated) × treated customers.
    expect(out.cost!.sd).toBeGreaterThan(0);
    expect(byName.get('probability ROI > 0')?.[1]).toBe(out.probRoiPositive);
    const seg = segmentsCsv(out);
    expect(seg.rows.map((r) => r[0]).sort()).toEqual(['<b>loyal</b>', 'new', 'regular']);
    expect(seg.rows.every((r) => r.length === seg.header.length)).toBe(true);
  });

  it('reports the effect, the profit and the segments, escaped, with no NaN', () => {
    const html = buildReport(run);
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['data', 'model', 'verdict', 'headline', 'abtest-effect', 'abtest-profit', 'abtest-segments', 'diagnostics', 'careful']);
    expect(html).toContain('&lt;b&gt;loyal&lt;/b&gt;');
    expect(html).not.toContain('<b>loyal</b>');
    expect(html).toContain('Customer A/B test of an incentive');
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
    expect(html).not.toContain('Not converged, so not an answer yet');
    const unconverged = buildReport({ ...run, verdict: 'unconverged' });
    expect(unconverged).toContain('Not converged, so not an answer yet: The incentive was sent to');
  });
});
