/**
 * Difference-in-differences: banks.csv (Richardson & Troost 2009) gives the published sign (the
 * Federal Reserve's 6th district, which eased lending from July 1930, kept more banks in business
 * than the 8th) and the float64 least-squares estimate; the panel form gives the same answer as
 * the aggregate form; a simulated effect is recovered with a placebo finding none; bad input.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import type { Table } from '../../../../src/data/table';
import { createRng } from '../../../../src/engine/rng';
import { didModel, type DidOutputs } from '../../../../src/models/causal/did';
import { fitCausal, fixtureTable } from './fit';

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

describe('difference-in-differences', () => {
  it('banks: district 6 kept more banks than district 8 (positive effect), as least squares', async () => {
    const table = await fixtureTable('banks.csv');
    const { outputs, parameters } = await fitCausal(didModel, table, banksSpec({ date: 'date', treated: 'bib6', control: 'bib8' }));
    const out = outputs as unknown as DidOutputs;
    // float64 OLS of (bib6 - bib8) on [1, post]: delta 16.6586 (se 0.395), gap -27.838.
    expect(out.delta.hdiLow).toBeGreaterThan(0);
    // Weak priors on 1,878 points: the posterior mean sits on the OLS value up to its MCSE
    // (~0.05 for 800 draws) and float32 rounding; 0.25 banks is ~0.6 se.
    expect(Math.abs(out.delta.mean - 16.6586)).toBeLessThan(0.25);
    expect(Math.abs(parameters.gap.mean * 154.0644 + 27.8384)).toBeLessThan(0.25);
    expect(out.averageEffect.mean).toBeGreaterThan(15);
    expect(out.probPositive).toBe(1);
    expect(out.series.postStart).toBe(365);
    expect(out.control.length).toBe(1878);
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
