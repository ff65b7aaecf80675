/**
 * The customer A/B test: simulated tests with known uplift (test/data/generate-abtest-sample.mjs)
 * recovered inside the 94% HDI; the conversion part is the closed-form Beta posterior; a test with
 * no uplift has an HDI covering 0; bad input gets specific messages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateAbTest } from '../../../data/generate-abtest-sample.mjs';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import type { Table } from '../../../../src/data/table';
import { abtestModel, type AbTestOutputs } from '../../../../src/models/abtest/abtest';
import { betaMoments } from '../../../../src/models/abtest/conversion';
import { summaryWithVerdict } from '../../../../src/models/abtest/summary';
import { fitCausal } from '../causal/fit';

const COLUMNS = { customer: 'customer', group: 'group', converted: 'converted', purchases: 'purchases', revenue: 'revenue', covariates: ['prev_revenue'], segment: 'segment' };

const spec = (columns: FitSpec['columns'] = COLUMNS, config: Record<string, unknown> = {}, inference: FitSpec['inference'] = { method: 'map' }): FitSpec => ({
  dataset: 'abtest',
  model: 'abtest',
  columns,
  config: { treatment: 'coupon', costPerTreated: 0.25, margin: 0.4, ...config },
  inference,
});

async function table(csv: string): Promise<Table> {
  return (await parseCsvText(csv, 'abtest.csv')).table;
}

const covers = (e: { hdiLow: number; hdiHigh: number }, v: number) => e.hdiLow <= v && v <= e.hdiHigh;

describe('customer A/B test', () => {
  it('bundles exactly the generator sample, with the truth its README line states', () => {
    const { csv, truth } = simulateAbTest();
    expect(readFileSync(new URL('../../../../public/samples/abtest.csv', import.meta.url), 'utf8')).toBe(csv);
    const readme = readFileSync(new URL('../../../../public/samples/README.md', import.meta.url), 'utf8');
    const stated = `true conversion uplift ${(100 * truth.conversionUplift).toFixed(2)} points, revenue uplift per customer ${truth.revenueUplift.toFixed(2)}`;
    expect(readme).toContain(stated);
  });

  it('recovers the simulated uplifts (conversion, revenue per customer, per segment) inside the 94% HDI', async () => {
    const { csv, truth } = simulateAbTest();
    const { outputs } = await fitCausal(abtestModel, await table(csv), spec());
    const out = outputs as AbTestOutputs;
    expect(covers(out.conversionUplift, truth.conversionUplift)).toBe(true);
    expect(covers(out.conversionUpliftAdjusted, truth.conversionUplift)).toBe(true);
    expect(covers(out.revenueUplift!, truth.revenueUplift)).toBe(true);
    for (const seg of out.bySegment!) {
      expect(covers(seg.conversionUplift, truth.bySegment[seg.segment].conversionUplift), `${seg.segment} conversion`).toBe(true);
      expect(covers(seg.revenueUplift!, truth.bySegment[seg.segment].revenueUplift), `${seg.segment} revenue`).toBe(true);
    }
    // Profit follows from the revenue uplift: margin × uplift × treated − cost per treated × treated.
    const treated = out.groups.treatment.customers;
    expect(out.cost!.mean).toBeCloseTo(0.25 * treated, 6);
    expect(out.incrementalProfit!.mean).toBeCloseTo(0.4 * out.revenueUplift!.mean * treated - 0.25 * treated, 4);
    expect(out.probRoiPositive).toBeGreaterThan(0.5);
    expect(out.summary).toMatch(/^The incentive was sent to \d[\d,]* customers \("coupon"\)/);
  }, 60_000);

  it('conversion is the closed-form Beta posterior per group, its draws within Monte Carlo error of its moments', async () => {
    const { csv } = simulateAbTest({ n: 1000, seed: 11, segments: false });
    const t = await table(csv);
    const { outputs, posterior } = await fitCausal(abtestModel, t, spec({ customer: 'customer', group: 'group', converted: 'converted' }));
    const out = outputs as AbTestOutputs;
    const group = t.columns.find((c) => c.name === 'group')!.values as readonly string[];
    const converted = t.columns.find((c) => c.name === 'converted')!.values as Float64Array;
    for (const [key, label] of [['treatment', 'coupon'], ['control', 'control']] as const) {
      let n = 0;
      let k = 0;
      group.forEach((g, i) => {
        if (g === label) {
          n++;
          k += converted[i];
        }
      });
      // Beta(1, 1) prior: the posterior is Beta(1 + k, 1 + n - k), exactly.
      expect(out.conversionPosterior[key]).toEqual({ alpha: 1 + k, beta: 1 + n - k });
      const exact = betaMoments(out.conversionPosterior[key]);
      const draws = posterior.chains * posterior.draws;
      // 4 Monte Carlo standard errors of the mean (sd / sqrt(draws)) and of the sd (about sd / sqrt(2 draws)).
      expect(Math.abs(out.conversionRate[key].mean - exact.mean)).toBeLessThan((4 * exact.sd) / Math.sqrt(draws));
      expect(Math.abs(out.conversionRate[key].sd - exact.sd)).toBeLessThan((4 * exact.sd) / Math.sqrt(2 * draws));
    }
    // Without revenue there is no revenue, profit or ROI to report.
    expect(out.revenueUplift).toBeUndefined();
    expect(out.roi).toBeUndefined();
    expect(out.summary).not.toMatch(/Revenue per customer/);
  }, 30_000);

  it('a test with no uplift has 94% HDIs covering 0 (no segment)', async () => {
    const { csv, truth } = simulateAbTest({ n: 2000, seed: 5, uplift: [0, 0, 0], spendUplift: 0, segments: false });
    expect(truth.conversionUplift).toBe(0);
    expect(truth.revenueUplift).toBe(0);
    const columns = { customer: 'customer', group: 'group', revenue: 'revenue', covariates: 'prev_revenue' };
    const { outputs } = await fitCausal(abtestModel, await table(csv), spec(columns));
    const out = outputs as AbTestOutputs;
    expect(out.conversionSource).toBe('revenue');
    expect(covers(out.conversionUplift, 0)).toBe(true);
    expect(covers(out.conversionUpliftAdjusted, 0)).toBe(true);
    expect(covers(out.revenueUplift!, 0)).toBe(true);
    expect(out.bySegment).toBeUndefined();
  }, 60_000);

  it('says first when the run has not converged', () => {
    expect(summaryWithVerdict('The incentive was sent to 10 customers.', 'unconverged')).toBe('Not converged, so not an answer yet: The incentive was sent to 10 customers.');
    expect(summaryWithVerdict('The incentive was sent to 10 customers.', 'approximate')).toBe('The incentive was sent to 10 customers.');
  });
});

describe('customer A/B test: bad input', () => {
  /** 25 customers per group, then `edit` applied to the rows (customer, group, converted, revenue, prev). */
  async function fitRows(edit: (rows: string[][]) => void, config: Record<string, unknown> = {}, columns: FitSpec['columns'] = { customer: 'customer', group: 'group', revenue: 'revenue', covariates: 'prev' }) {
    const rows = Array.from({ length: 50 }, (_, i) => [`c${i}`, i % 2 ? 'coupon' : 'control', String(i % 3 ? 0 : 1), i % 3 ? '0' : String(10 + i), String(20 + i)]);
    edit(rows);
    const csv = ['customer,group,converted,revenue,prev', ...rows.map((r) => r.join(','))].join('\n');
    const prepared = abtestModel.prepare(await table(csv), spec(columns, config));
    return prepared;
  }

  it('a group column with other than two labels names them', async () => {
    await expect(fitRows((r) => (r[4][1] = 'email'))).rejects.toThrow('The group column "group" must hold exactly two labels (treatment and control), but it holds 3: "control", "coupon", "email".');
    await expect(fitRows((r) => r.forEach((row) => (row[1] = 'coupon')))).rejects.toThrow('The group column "group" holds only one label, "coupon"');
  });

  it('a customer in both groups is named, with its rows', async () => {
    await expect(fitRows((r) => (r[3][0] = 'c0'))).rejects.toThrow('Customer "c0" is in both groups (rows 1 and 4, "control" and "coupon"): each customer must be in one group only.');
  });

  it('negative revenue names its row', async () => {
    await expect(fitRows((r) => (r[6][3] = '-5'))).rejects.toThrow('Row 7: revenue ("revenue") is negative (-5); revenue per customer must be 0 or more.');
  });

  it('a group of fewer than 20 customers is refused', async () => {
    await expect(fitRows((r) => r.splice(0, 12))).rejects.toThrow('customers; each group needs at least 20.');
    await expect(fitRows((r) => r.forEach((row, i) => (row[1] = i < 45 ? 'control' : 'coupon')))).rejects.toThrow('The group "coupon" has 5 customers; each group needs at least 20.');
  });

  it('a covariate with a missing value names its column and row', async () => {
    await expect(fitRows((r) => (r[9][4] = ''))).rejects.toThrow('Covariate "prev" is missing in data row 10');
  });

  it('the test dates for an MMM lift test come both or neither, in order', async () => {
    await expect(fitRows(() => {}, { testStart: '2024-03-01' })).rejects.toThrow('Give both config.testStart and config.testEnd');
    await expect(fitRows(() => {}, { testStart: '2024-03-10', testEnd: '2024-03-01' })).rejects.toThrow('config.testEnd is before config.testStart');
    await expect(fitRows(() => {}, { testStart: '2024-03-01', testEnd: '2024-03-01' })).resolves.toBeDefined();
  });

  it('the treated label, the cost and converted against revenue are checked', async () => {
    await expect(fitRows(() => {}, { treatment: 'Coupon' })).rejects.toThrow('config.treatment "Coupon" is not a label of the group column "group"; its labels are "control", "coupon".');
    await expect(fitRows(() => {}, { costPerRedemption: 2 })).rejects.toThrow('Set exactly one of config.costPerTreated');
    // Blank, the treated group is the label beside "control"; with two labels that read as neither, it must be set.
    await expect(fitRows(() => {}, { treatment: '' })).resolves.toBeDefined();
    await expect(fitRows((r) => r.forEach((row) => (row[1] = row[1] === 'coupon' ? 'A' : 'B')), { treatment: '' })).rejects.toThrow(`Set config.treatment to the treated group's label: "B", "A".`);
    const withConverted = { customer: 'customer', group: 'group', converted: 'converted', revenue: 'revenue' };
    await expect(fitRows((r) => (r[1][2] = '1'), {}, withConverted)).rejects.toThrow('Row 2: converted ("converted") is 1 but revenue ("revenue") is 0');
    await expect(fitRows(() => {}, {}, { customer: 'customer', group: 'group' })).rejects.toThrow('Choose at least one outcome column: converted, purchases or revenue.');
  });
});
