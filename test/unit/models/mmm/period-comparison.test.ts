/**
 * Period comparison: a constructed case whose answer is known by hand (quarters, their previous
 * and year-ago periods, per-draw changes, ROAS and CPA changes, a closing waterfall), and on
 * prepared simulated data with arbitrary draws, that the stored monthly parts add up to the fitted
 * target per draw and month and that the parts' changes add up to the fitted change per draw.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { createRng } from '../../../../src/engine/rng';
import type { MmmDraw } from '../../../../src/models/mmm/draws';
import { responseModel } from '../../../../src/models/mmm/draws';
import { geoComponents } from '../../../../src/models/mmm/fit-outputs';
import { changeWaterfall, defaultPeriod, mmmPeriods, periodChangeDraws, periodComparison, shiftPeriod } from '../../../../src/models/mmm/period-comparison';
import { monthKey, mmmPeriodDraws, type MmmPeriodDraws } from '../../../../src/models/mmm/period-draws';
import { prepareMmmData } from '../../../../src/models/mmm/prepare';
import { channelContribution } from '../../../../src/models/mmm/response';
import { simulateMmm } from './simulate';

/** 24 complete months (2023-01..2024-12), two draws; tv's contribution per month is 10 * (draw + 1) in 2024-Q4, else 5 * (draw + 1). */
function constructed(): MmmPeriodDraws {
  const months = Array.from({ length: 24 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  const q4 = (m: number) => m >= 21;
  return {
    months,
    rows: months.map(() => 4),
    complete: months.map(() => true),
    actual: months.map((_, m) => (q4(m) ? 120 : 100)),
    spend: { tv: months.map((_, m) => (q4(m) ? 2 : 1)) },
    parts: [
      { label: 'baseline', kind: 'baseline', draws: [0, 1].map(() => months.map(() => 80)) },
      { label: 'events', kind: 'events', draws: [0, 1].map((d) => months.map((_, m) => (m === 22 ? 3 + d : 0))) },
      { label: 'tv', kind: 'channel', draws: [0, 1].map((d) => months.map((_, m) => (q4(m) ? 10 : 5) * (d + 1))) },
    ],
  };
}

describe('period comparison: a constructed case', () => {
  it('finds quarters, the default and the periods to compare with', () => {
    const pd = constructed();
    const quarters = mmmPeriods(pd, 'quarter');
    expect(quarters.map((q) => q.key)).toEqual(['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(defaultPeriod(quarters, 'quarter')?.key).toBe('2024-Q4');
    expect(shiftPeriod('2024-Q1', 'quarter', 1)).toBe('2023-Q4');
    expect(shiftPeriod('2024-Q1', 'quarter', 4)).toBe('2023-Q1');
    expect(shiftPeriod('2024-01', 'month', 1)).toBe('2023-12');
    expect(shiftPeriod('2024', 'year', 1)).toBe('2023');
    // A partly covered month makes its quarter incomplete.
    pd.complete[23] = false;
    expect(mmmPeriods(pd, 'quarter').at(-1)?.complete).toBe(false);
    expect(defaultPeriod(mmmPeriods(pd, 'quarter'), 'quarter')?.key).toBe('2024-Q3');
  });

  it('gives the known totals and per-draw changes', () => {
    const c = periodComparison(constructed(), 'quarter', '2024-Q4', true);
    expect(c.current.actual).toBe(360);
    // tv: 30 (draw 0) and 60 (draw 1) on spend 6: ROAS 5 and 10, CPA 0.2 and 0.1.
    const tv = c.current.channels[0];
    expect(tv.spend).toBe(6);
    expect(tv.roas?.mean).toBeCloseTo(7.5, 12);
    expect(tv.cpa?.mean).toBeCloseTo(0.15, 12);
    // Fitted: 240 + events (3 or 4) + tv (30 or 60).
    expect(c.current.fitted.mean).toBeCloseTo((273 + 304) / 2, 12);
    const prev = c.previous!;
    expect(prev.base.key).toBe('2024-Q3');
    expect(prev.actual).toBe(60);
    // tv change per draw: 15 and 30; ROAS change per draw: 5 - 5 = 0 and 10 - 10 = 0 (a difference
    // of means would give the same here, but its interval would not be 0 wide).
    const tvChange = prev.parts.find((p) => p.label === 'tv')!.change;
    expect([tvChange.hdiLow, tvChange.hdiHigh]).toEqual([15, 30]);
    expect(prev.channels[0].spend).toBe(3);
    expect(prev.channels[0].roas).toMatchObject({ mean: 0, hdiLow: 0, hdiHigh: 0 });
    expect(prev.fitted.mean).toBeCloseTo((18 + 34) / 2, 12);
    expect(prev.unexplained.mean).toBeCloseTo(60 - 26, 12);
    expect(c.yearAgo?.base.key).toBe('2023-Q4');
    // 2023-Q1 has no previous quarter in the data.
    expect(periodComparison(constructed(), 'quarter', '2023-Q1').previous).toBeUndefined();
    expect(() => periodComparison(constructed(), 'quarter', '2025-Q1')).toThrow(/no quarter 2025-Q1/);
  });

  it('closes the waterfall: base + changes = current', () => {
    const c = periodComparison(constructed(), 'quarter', '2024-Q4');
    const steps = changeWaterfall(c.previous!, c.current.key, c.current.actual);
    expect(steps[0]).toMatchObject({ label: '2024-Q3', kind: 'total', value: 300 });
    expect(steps.at(-1)).toMatchObject({ label: '2024-Q4', kind: 'total', value: 360 });
    const sum = steps.slice(1, -1).reduce((s, x) => s + x.value, steps[0].value);
    expect(sum).toBeCloseTo(360, 9);
  });

  it('gives no CPA where a draw brings nothing (unbounded)', () => {
    const pd = constructed();
    pd.parts[2].draws[0][21] = -40;
    const c = periodComparison(pd, 'quarter', '2024-Q4', true);
    expect(c.current.channels[0].cpa).toBeNull();
  });
});

describe('period draws from prepared data', () => {
  const spec: FitSpec = { dataset: 'sim', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] } };

  it('stores parts that add up to mu per draw and month, and changes that add up per draw', async () => {
    const { table } = await parseCsvText(simulateMmm(327).csv, 'data.csv');
    const data = prepareMmmData(table, spec);
    const rng = createRng(5);
    const draws: MmmDraw[] = Array.from({ length: 6 }, () => ({
      intercept: [0.3 + 0.1 * rng.normal()],
      adstock: data.channels.map(() => ({ alpha: 0.2 + 0.5 * rng.uniform() })),
      saturation: data.channels.map(() => ({ lam: 1 + 3 * rng.uniform(), beta: 0.5 * rng.uniform() })),
      multiplier: [data.channels.map(() => 1)],
      gammaControl: data.controls.map(() => 0.1 * rng.normal()),
      gammaFourier: [data.fourier.names.map(() => 0.05 * rng.normal())],
      sigma: [0.05],
      nu: Infinity,
    }));
    const response = responseModel(data, draws);
    const media = draws.map((_, d) => data.channels.map((_, c) => channelContribution(response, d, c, data.spend[c])));
    const parts = geoComponents(data, draws, 0, media, createRng(6));
    const keep = [0, 2, 3, 5];
    const pd = mmmPeriodDraws(data, parts, data.y, keep);
    expect(pd.parts.map((p) => p.label)).toEqual(['baseline', 'seasonality', 'events', 'x1', 'x2']);
    expect(pd.rows.reduce((a, b) => a + b, 0)).toBe(data.dates.length);
    keep.forEach((d, k) => {
      pd.months.forEach((month, m) => {
        let mu = 0;
        data.dates.forEach((t, i) => {
          if (monthKey(t) === month) mu += parts.mu[d][i];
        });
        const total = pd.parts.reduce((s, p) => s + p.draws[k][m], 0);
        // Each part is stored to 6 significant digits: a relative error of at most 5e-6 each.
        const bound = pd.parts.reduce((s, p) => s + 5e-6 * Math.abs(p.draws[k][m]), 0);
        expect(Math.abs(total - mu)).toBeLessThanOrEqual(bound + 1e-9);
      });
    });
    const quarters = mmmPeriods(pd, 'quarter');
    const period = defaultPeriod(quarters, 'quarter')!;
    const base = quarters.find((q) => q.key === shiftPeriod(period.key, 'quarter', 1))!;
    const change = periodChangeDraws(pd, period, base);
    keep.forEach((d, k) => {
      // Per draw: the parts' changes add up to the change in mu over the period's rows.
      const muOf = (p: typeof period) => data.dates.reduce((s, t, i) => (p.months.some((m) => pd.months[m] === monthKey(t)) ? s + parts.mu[d][i] : s), 0);
      const sumOfParts = change.parts.reduce((s, p) => s + p[k], 0);
      expect(sumOfParts).toBeCloseTo(change.fitted[k], 9);
      const bound = change.parts.reduce((s, p, i) => s + 5e-6 * (Math.abs(p[k]) + 2 * Math.abs(pd.parts[i].draws[k].reduce((a, b) => Math.max(a, Math.abs(b)), 0)) * period.months.length), 0);
      expect(Math.abs(change.fitted[k] - (muOf(period) - muOf(base)))).toBeLessThanOrEqual(bound);
    });
    const c = periodComparison(pd, 'quarter', period.key);
    expect(c.previous?.fitted.mean).toBeCloseTo(change.fitted.reduce((a, b) => a + b, 0) / keep.length, 9);
  });
});
