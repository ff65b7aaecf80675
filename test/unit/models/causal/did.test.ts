/**
 * Difference-in-differences: banks.csv (Richardson & Troost 2009) gives the published sign (the
 * Federal Reserve's 6th district, which eased lending from July 1930, kept more banks in business
 * than the 8th) and the float64 least-squares estimate; the panel form gives the same answer as
 * the aggregate form; the summary of a stock (banks in business: the average level difference, not
 * a sum over 1,513 days), with the failed placebo first and the autocorrelated noise; a simulated
 * effect is recovered with a placebo finding none; bad input.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import type { Table } from '../../../../src/data/table';
import { createRng } from '../../../../src/engine/rng';
import { didModel, type DidOutputs } from '../../../../src/models/causal/did';
import { formatAmount } from '../../../../src/models/causal/summary';
import { fitCausal, fixtureTable, type FitResult } from './fit';

/** Day 11140 of banks.csv's `date` (days since 1899-12-30) is 1 July 1930. */
const JULY_1930 = 11140;

const banksSpec = (columns: Record<string, string>, config: Record<string, unknown> = {}, inference: FitSpec['inference'] = { chains: 8, warmup: 150, draws: 100 }): FitSpec => ({
  dataset: 'banks',
  model: 'did',
  columns,
  config: { treatmentStart: JULY_1930, placebo: false, ...config },
  inference,
});

function longForm(t: Table): Table {
  const get = (name: string) => t.columns.find((c) => c.name === name)!.values as Float64Array;
  const date = get('date');
  const n = t.rows;
  const dates = new Float64Array(2 * n);
  const bib = new Float64Array(2 * n);
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    dates[2 * i] = date[i];
    bib[2 * i] = get('bib6')[i];
    group.push('1');
    dates[2 * i + 1] = date[i];
    bib[2 * i + 1] = get('bib8')[i];
    group.push('0');
  }
  return {
    rows: 2 * n,
    columns: [
      { name: 'date', type: 'number', values: dates },
      { name: 'bib', type: 'number', values: bib },
      { name: 'district6', type: 'string', values: group },
    ],
  };
}

/**
 * The banks fit with its placebo, once for the two tests that read it: the placebo is a block of its
 * own parameters beside the main regression (a sum of two log-likelihoods), so the main block's
 * posterior is the one a fit without the placebo has. MAP + Laplace: a linear regression with weak
 * priors on 1,878 points has a Gaussian posterior centred on least squares, which is what these
 * tests compare with (MCMC through the model: the simulated effect below).
 */
let banksFit: Promise<FitResult> | undefined;
const banksWithPlacebo = () =>
  (banksFit ??= fixtureTable('banks.csv').then((table) =>
    fitCausal(didModel, table, banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, { placebo: true, unit: 'banks' }, { method: 'map', seed: 1 })),
  ));

describe('difference-in-differences', () => {
  it('banks: district 6 kept more banks than district 8 (positive effect), as least squares', async () => {
    const { outputs, parameters } = await banksWithPlacebo();
    const out = outputs as unknown as DidOutputs;
    // float64 OLS of (bib6 - bib8) on [1, post]: delta 16.6586 (se 0.395), gap -27.838.
    expect(out.delta.hdiLow).toBeGreaterThan(0);
    // Weak priors on 1,878 points: the posterior mean sits on the OLS value up to its MCSE
    // (0.395 / sqrt(1000) = 0.0125 for 1,000 Laplace draws) and float32 rounding; 0.25 banks is ~0.6 se.
    expect(Math.abs(out.delta.mean - 16.6586)).toBeLessThan(0.25);
    expect(Math.abs(parameters.gap.mean * 154.0644 + 27.8384)).toBeLessThan(0.25);
    expect(out.averageEffect.mean).toBeGreaterThan(15);
    expect(out.probPositive).toBe(1);
    expect(out.series.postStart).toBe(365);
    expect(out.control.length).toBe(1878);
  }, 60_000);

  it('banks: the summary reads a stock by its average level difference, the failed placebo first, the autocorrelated noise', async () => {
    const { outputs } = await banksWithPlacebo();
    const out = outputs as unknown as DidOutputs;
    // Banks in business repeat their count from one day to the next on 98% of pre-period days: a stock.
    expect(out.outcomeKind).toMatchObject({ kind: 'stock', source: 'detected' });
    // Average effect: float64 OLS delta 16.6586 (se 0.395); 0.25 banks as in the test above. Relative:
    // 16.6586 / (mean post-period bib6 113.4263 - 16.6586) = 0.17215; its posterior sd is 0.005,
    // and 0.25 banks of the effect move it by 0.0026.
    expect(Math.abs(out.averageEffect.mean - 16.6586)).toBeLessThan(0.25);
    expect(Math.abs(out.relativeEffect!.mean - 0.17215)).toBeLessThan(0.003);
    // The placebo (a fake start 121 days before July 1930) finds about 1.2 banks: its HDI excludes 0.
    expect(out.placebo!.coversZero).toBe(false);
    expect(out.placebo!.averageEffect.hdiLow).toBeGreaterThan(0);
    const s = out.summary;
    expect(s.startsWith('Careful: the placebo test, a fake intervention inside the pre-period (at 11019), also finds an effect of about ')).toBe(true);
    expect(s).toContain(`finds an effect of about ${formatAmount(out.placebo!.averageEffect.mean)} banks on average`);
    expect(s).toContain(
      `Over the 1513 post-period points (from 11140), the outcome "bib6" was higher by about ${formatAmount(out.averageEffect.mean)} banks on average than expected without the intervention`,
    );
    expect(s).toContain(`${formatAmount(100 * out.relativeEffect!.mean)}% above the expected level`);
    // No sum of a level over 1,513 days (that was "added about 25,200 in total").
    expect(s).not.toMatch(/in total|Summed|25,/);
    expect(s).toMatch(/positive is 100% if the model's assumptions hold, which the placebo test puts in doubt/);
    // Residuals of the pre-period gap: lag-1 autocorrelation 0.98503 in float64 (the fit only
    // shifts them by a constant, which the autocorrelation ignores).
    expect(Math.abs(out.residualAutocorrelation! - 0.98503)).toBeLessThan(0.002);
    expect(s).toMatch(/treats the noise as independent from one point to the next, but its pre-period residuals are autocorrelated \(lag-1 autocorrelation 0\.99\), so the intervals are too narrow: aggregate to weeks/);
    expect(out.warnings!.some((w) => /autocorrelated/.test(w))).toBe(true);
    expect(s).toMatch(/"bib6" is read as a stock, a level, since it keeps the same value from one point to the next at 98% of the pre-period points/);
  }, 60_000);

  it('banks as a flow when the user says so: the total is the headline', async () => {
    const table = await fixtureTable('banks.csv');
    const { outputs } = await fitCausal(didModel, table, banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, { outcomeKind: 'flow', outcomeLabel: 'bank-days' }, { method: 'map' }));
    const out = outputs as unknown as DidOutputs;
    expect(out.outcomeKind).toEqual({ kind: 'flow', source: 'config', reason: '' });
    expect(out.summary).toContain(`the intervention added about ${formatAmount(out.cumulativeEffect.mean)} to bank-days in total`);
    expect(out.summary).not.toMatch(/read as/);
    expect(() => didModel.prepare(table, banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, { outcomeKind: 'level' }))).toThrow(/config.outcomeKind must be "flow"/);
  }, 60_000);

  it('panel form (outcome + group) gives the same fit as the aggregate form', async () => {
    const table = await fixtureTable('banks.csv');
    const map = { method: 'map' as const, seed: 2 };
    const a = await fitCausal(didModel, table, banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, {}, map));
    const p = await fitCausal(didModel, longForm(table), banksSpec({ date: 'date', outcome: 'bib', group: 'district6' }, {}, map));
    const da = (a.outputs as unknown as DidOutputs).delta;
    const dp = (p.outputs as unknown as DidOutputs).delta;
    expect(dp.mean).toBeCloseTo(da.mean, 6);
    expect((p.outputs as unknown as DidOutputs).form).toBe('panel');
  }, 60_000);

  it('recovers a simulated effect; the placebo finds none', async () => {
    const rng = createRng(21);
    const n = 40;
    const common = Float64Array.from({ length: n }, (_, i) => 100 + 5 * Math.sin(i / 3) + 0.5 * i);
    const control = common.map((v) => v + rng.normal());
    const treated = common.map((v, i) => v + 12 + rng.normal() + (i >= 28 ? 4 : 0));
    const table: Table = {
      rows: n,
      columns: [
        { name: 'week', type: 'date', values: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 2 + 7 * i)) },
        { name: 'store_a', type: 'number', values: treated },
        { name: 'store_b', type: 'number', values: control },
      ],
    };
    const { outputs } = await fitCausal(didModel, table, {
      dataset: 'sim',
      model: 'did',
      columns: { date: 'week', treated: 'store_a', control: 'store_b' },
      config: { treatmentStart: '2023-07-17' },
      inference: { chains: 8, warmup: 150, draws: 100 },
    });
    const out = outputs as unknown as DidOutputs;
    expect(out.series.postStart).toBe(28);
    expect(out.delta.hdiLow).toBeLessThan(4);
    expect(out.delta.hdiHigh).toBeGreaterThan(4);
    expect(out.averageEffect.hdiLow).toBeLessThan(4);
    expect(out.averageEffect.hdiHigh).toBeGreaterThan(4);
    expect(out.placebo!.coversZero).toBe(true);
  }, 60_000);

  it('rejects bad input with specific messages', async () => {
    const table = await fixtureTable('banks.csv');
    const prep = (s: FitSpec, t: Table = table) => didModel.prepare(t, s);
    expect(() => prep(banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, { treatmentStart: 20000 }))).toThrow(/config.treatmentStart 20000 is outside the data \(10775 to 12652\)/);
    expect(() => prep(banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }, { treatmentStart: 10777 }))).toThrow(/has only 2 time points; at least 3/);
    expect(() => prep(banksSpec({ date: 'date', treated: 'bib6', control: 'bib6' }))).toThrow(/both the treated and the control/);
    expect(() => prep(banksSpec({ date: 'date', treated: 'bib6', control: 'bib8', group: 'weekday' }))).toThrow(/not both/);
    expect(() => prep(banksSpec({ date: 'date', outcome: 'bib6', group: 'weekday' }))).toThrow(/Row 1: group "Monday" is neither treated/);
    const long = longForm(table);
    const oneSided: Table = { ...long, columns: long.columns.map((c) => (c.name === 'district6' ? { ...c, values: (c.values as string[]).map((v, i) => (i === 1 ? '1' : v)) } : c)) } as Table;
    expect(() => prep(banksSpec({ date: 'date', outcome: 'bib', group: 'district6' }), oneSided)).toThrow(/At 10775 there is no control row/);
  });
});
