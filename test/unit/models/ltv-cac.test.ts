/**
 * LTV/CAC from a CLV run's value per channel and an MMM run's incremental customers: the per-draw
 * pairing, CAC and ratio, the payback period (interpolated, censored at the horizon) and channel
 * matching by name.
 */
import { describe, expect, it } from 'vitest';
import { ltvCac, paybackMonths, paybackSummary } from '../../../src/models/ltv-cac';
import type { ChannelValue } from '../../../src/models/clv/channel-value';

function value(cumulativeDraws: number[][], customers = 10): ChannelValue {
  const last = cumulativeDraws[cumulativeDraws.length - 1];
  const e = { mean: 0, sd: 0, hdiLow: 0, hdiHigh: 0 };
  return {
    customers,
    ltv: e,
    ltvDraws: last,
    cumulative: { mean: [], sd: [], hdiLow: [], hdiHigh: [] },
    cumulativeDraws,
    observedShare: 1,
    histogram: { edges: [0, 1], counts: [customers] },
  };
}

describe('payback', () => {
  it('interpolates between month ends and is Infinity beyond the horizon', () => {
    expect(paybackMonths([50, 100, 150], 40)).toBe(0);
    expect(paybackMonths([50, 100, 150], 125)).toBeCloseTo(1.5, 12);
    expect(paybackMonths([50, 100, 150], 100)).toBe(1);
    expect(paybackMonths([50, 100, 150], 151)).toBe(Infinity);
  });

  it('summarises draws with a censored tail', () => {
    const draws = Array.from({ length: 101 }, (_, i) => (i < 90 ? i / 10 : Infinity));
    const s = paybackSummary(draws);
    expect(s.median).toBeCloseTo(5, 12);
    expect(s.low).toBeCloseTo(0.3, 12);
    expect(s.high).toBeNull();
    expect(s.withinHorizon).toBeCloseTo(90 / 101, 12);
  });
});

describe('ltvCac', () => {
  it('pairs the draws, divides spend by incremental customers and matches channels by name', () => {
    // Two LTV draws per month end (months 0..2), four MMM draws: both thinned to 2 (MMM draws 0 and 2).
    const search = value([
      [40, 60],
      [80, 120],
      [120, 180],
    ]);
    const res = ltvCac(
      { search, organic: value([[1], [2], [3]]) },
      2,
      {
        search: { spend: 1000, contributionDraws: [10, 99, 20, 99] },
        tv: { spend: 500, contributionDraws: [5, 5] },
        radio: { spend: 0, contributionDraws: [] },
      },
    );
    expect(res.onlyClv).toEqual(['organic']);
    expect(res.onlyMmm).toEqual(['tv', 'radio']);
    const [row] = res.channels;
    expect(row.channel).toBe('search');
    expect(row.draws.cac).toEqual([100, 50]);
    expect(row.draws.ratio).toEqual([1.2, 3.6]);
    expect(row.ratio.mean).toBeCloseTo(2.4, 12);
    expect(row.incremental.mean).toBe(15);
    // Draw 0 reaches its CAC of 100 at 1.5 months (80 -> 120); draw 1's first purchase (60) covers its CAC of 50.
    expect(row.payback.withinHorizon).toBe(1);
    expect(row.payback.low).toBe(0);
    expect(row.payback.high).toBeCloseTo(1.5, 12);
  });

  it('skips a channel without spend or with non-positive incremental customers, saying why', () => {
    const v = value([[10], [20]]);
    const res = ltvCac({ a: v, b: v }, 1, { a: { spend: 0, contributionDraws: [1] }, b: { spend: 10, contributionDraws: [0] } });
    expect(res.channels).toEqual([]);
    expect(res.skipped.map((s) => s.channel)).toEqual(['a', 'b']);
    expect(res.skipped[1].reason).toMatch(/unbounded/);
  });
});
