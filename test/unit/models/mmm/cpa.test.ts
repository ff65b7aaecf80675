/**
 * Cost per acquisition for count targets: computed per draw (its mean is the mean of spend /
 * contribution, not spend / mean contribution), unbounded (null) when a draw brings nothing, and
 * which targets count: 'auto' takes a target of whole numbers as a count, the option overrides.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { cpaEstimate } from '../../../../src/models/mmm/cpa';
import { prepareMmmData } from '../../../../src/models/mmm/prepare';

describe('cost per acquisition', () => {
  it('is the posterior of spend / contribution, draw by draw', () => {
    const e = cpaEstimate(120, [10, 20, 40, 60])!;
    expect(e.mean).toBeCloseTo((12 + 6 + 3 + 2) / 4, 12);
    expect(e.mean).not.toBeCloseTo(120 / 32.5, 3);
    expect([e.hdiLow, e.hdiHigh]).toEqual([2, 12]);
  });

  it('is unbounded (null) when a draw’s contribution is 0 or less, or there is no spend', () => {
    expect(cpaEstimate(100, [5, 0, 3])).toBeNull();
    expect(cpaEstimate(100, [5, -1])).toBeNull();
    expect(cpaEstimate(0, [5, 6])).toBeNull();
  });

  it('a target of whole numbers is a count unless the option says otherwise', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => {
      const d = new Date(Date.UTC(2024, 0, 1 + 7 * i)).toISOString().slice(0, 10);
      return `${d},${20 + (i % 7)},${(i * 37) % 11 + 1},${(20 + (i % 7)) * 10.5}`;
    });
    const { table } = await parseCsvText(['date,signups,tv,revenue', ...rows].join('\n'), 'a.csv');
    const spec = (target: string, config?: FitSpec['config']): FitSpec => ({
      dataset: 'a',
      model: 'mmm',
      columns: { date: 'date', target, channels: ['tv'] },
      config: { yearlySeasonality: 0, ...config },
    });
    expect(prepareMmmData(table, spec('signups')).targetKind).toBe('count');
    expect(prepareMmmData(table, spec('revenue')).targetKind).toBe('value');
    expect(prepareMmmData(table, spec('signups', { targetKind: 'value' })).targetKind).toBe('value');
    expect(prepareMmmData(table, spec('revenue', { targetKind: 'count' })).targetKind).toBe('count');
    expect(() => prepareMmmData(table, spec('signups', { targetKind: 'sales' }))).toThrow(/targetKind must be/);
  });
});
