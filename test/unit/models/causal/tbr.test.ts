/**
 * Time-based regression on geo_experiment_salesandcost.csv (Kerman et al. 2017; Google
 * matched_markets' example, README): pre-period slope 0.9997, incremental sales 147,337 over the
 * test (2015-02-16..2015-03-15), incremental cost 50,000, iROAS 2.9467 with one-sided 90% lower
 * bound 2.826; and the pre-test power table against its float64 formula; bad input.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import type { Table } from '../../../../src/data/table';
import { tbrModel, type TbrOutputs } from '../../../../src/models/causal/tbr';
import { fitCausal, fixtureTable } from './fit';

const spec = (config: Record<string, unknown> = {}, columns: Record<string, string> = {}): FitSpec => ({
  dataset: 'geo',
  model: 'tbr',
  columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group', spend: 'cost', ...columns },
  config: { testStart: '2015-02-16', testEnd: '2015-03-15', ...config },
  inference: { chains: 8, warmup: 150, draws: 100 },
});

describe('time-based regression (geo experiment)', () => {
  it('reproduces the published slope, incremental sales and iROAS; power table; placebo', async () => {
    const { outputs } = await fitCausal(tbrModel, await fixtureTable('geo_experiment_salesandcost.csv'), spec());
    const out = outputs as unknown as TbrOutputs;
    // Slope: OLS 0.99970, se 0.01155; weak priors, 800 draws: within 0.25 se.
    expect(Math.abs(out.slope.mean - 0.9997)).toBeLessThan(0.25 * 0.01155);
    // Incremental sales: OLS point 147,337, predictive sd 4,626 (float64, t-based); within 0.3 sd
    // (MCSE ~0.04 sd, the simulated noise in the counterfactual draws ~0.03 sd).
    expect(Math.abs(out.cumulativeEffect.mean - 147337) / 4626).toBeLessThan(0.3);
    expect(Math.abs(out.cumulativeEffect.sd - 4626) / 4626).toBeLessThan(0.2);
    expect(out.incrementalCost).toBeCloseTo(50000, 3);
    // No cost before the test in this sample: the lift test it makes starts from zero spend.
    expect(out.spendBefore).toBe(0);
    expect(Math.abs(out.iroas!.mean - 2.9467)).toBeLessThan(0.3 * 4626 / 50000);
    expect(Math.abs(out.iroasLower90! - 2.826)).toBeLessThan(0.03);
    expect(out.probPositive).toBe(1);
    expect(out.series.postEnd - out.series.postStart).toBe(28);
    expect(out.series.time.length).toBe(93); // with the cool-down after the test
    expect(out.testEnd).toBe(Date.UTC(2015, 2, 15));
    expect(out.geos).toEqual({ treatment: 50, control: 50 });
    // Power (one-sided 0.1, power 0.8; tbr-power.ts, checked by simulation in tbr-power.test.ts).
    // With independent noise and the control at its pre-period mean it would be
    // 2.1232 x s x sqrt(L^2 / n + L) by OLS (s = 598.6, n = 42): L = 7, 14, 28 -> 3,632, 5,491, 8,682.
    // The pre-period residuals are positively autocorrelated (lag-1 0.22 raw), so the noise's
    // corrected lag-1 correlation is higher, every minimum detectable effect larger than those, and
    // the 90% reading fires on no effect more often than 10% of the time (one run: noise lag-1 0.29,
    // 4,294, 6,591, 10,511, false positives 15%).
    const row = (L: number) => out.power.rows.find((r) => r.periods === L)!;
    expect(out.power.noiseLag1).toBeGreaterThan(out.residualAutocorrelation!);
    expect(out.power.noiseLag1).toBeLessThan(0.6);
    for (const [L, iid] of [
      [7, 3632],
      [14, 5491],
      [28, 8682],
    ]) {
      expect(row(L).minimumDetectableEffect).toBeGreaterThan(1.05 * iid);
      expect(row(L).minimumDetectableLift).toBeCloseTo(row(L).minimumDetectableEffect / (L * out.power.baseline), 12);
      expect(row(L).falsePositiveRate).toBeGreaterThan(0.1);
      expect(row(L).falsePositiveRate).toBeLessThan(0.3);
    }
    expect(out.power.baseline).toBeCloseTo(23567.59, 1);
    expect(out.placebo!.coversZero).toBe(true);
    // Daily sales are a flow (they do not persist from day to day): the total is the headline.
    expect(out.outcomeKind).toMatchObject({ kind: 'flow', source: 'detected' });
    expect(out.summary).toMatch(/^Over the 28 test-period points \(2015-02-16 to 2015-03-15\), the campaign added about 14\d,000 to the treatment geos' "sales" in total \(94% interval/);
    expect(out.summary).toMatch(/"sales" is read as a flow, an amount per period, since its pre-period values do not persist from one point to the next \(lag-1 autocorrelation 0\.44\)/);
    // Daily data: the independent-noise warning is given, with the residuals' autocorrelation.
    expect(out.residualAutocorrelation).toBeDefined();
    expect(out.summary).toContain(`Daily noise is treated as independent from one day to the next (the pre-period residuals' lag-1 autocorrelation is ${out.residualAutocorrelation!.toFixed(2)})`);
  }, 60_000);

  it('rejects bad input with specific messages', async () => {
    const table = await fixtureTable('geo_experiment_salesandcost.csv');
    const prep = (s: FitSpec, t: Table = table) => tbrModel.prepare(t, s);
    expect(() => prep(spec({ testStart: '2016-01-01' }))).toThrow(/config.testStart 2016-01-01 is outside the data \(2015-01-05 to 2015-04-07\)/);
    expect(() => prep(spec({ testStart: '2015-01-08', testEnd: undefined }))).toThrow(/has only 3 time points; at least 7/);
    expect(() => prep(spec({ testEnd: '2015-02-01' }))).toThrow(/testEnd 2015-02-01 is before config.testStart/);
    expect(() => prep(spec({ testEnd: '2015-06-01' }))).toThrow(/testEnd 2015-06-01 is outside the data/);
    const group = table.columns.find((c) => c.name === 'group')!.values as string[];
    const switched: Table = { ...table, columns: table.columns.map((c) => (c.name === 'group' ? { ...c, values: group.map((v, i) => (i === 3 ? 'control' : v)) } : c)) } as Table;
    expect(() => prep(spec(), switched)).toThrow(/Geo "1" is in the treatment group on row 1 but in the control group on row 4/);
    const bad: Table = { ...table, columns: table.columns.map((c) => (c.name === 'group' ? { ...c, values: group.map((v, i) => (i === 9 ? 'holdout' : v)) } : c)) } as Table;
    expect(() => prep(spec(), bad)).toThrow(/Row 10: group "holdout" must be "treatment" or "control"/);
  });
});
