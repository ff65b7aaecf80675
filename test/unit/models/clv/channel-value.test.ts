/**
 * Value per acquired customer by channel: observed purchases by month since acquisition, the
 * predicted months a young customer has not lived yet, discounting and margin, on a stub model
 * whose conditional expectation is linear in time (so every number is known by hand).
 */
import { describe, expect, it } from 'vitest';
import { channelValues } from '../../../../src/models/clv/channel-value';

/** E[X(T, T + t] | ...] = rate x t: `p` is the rate. */
const linear = (p: number, t: number) => p * t;

describe('channelValues', () => {
  // Time unit = weeks; 4 weeks a month to keep the arithmetic plain.
  const base = {
    conditionalExpected: linear,
    monthUnits: 4,
    months: 3,
    margin: 0.5,
    discount: 0.1,
  };

  it('counts observed purchases by month and predicts the months not yet lived', () => {
    // Customer 0 (search): age 10 weeks, bought at 0 (spend 20), 3 (month 1) and 9 (month 3);
    // customer 1 (tv): age 13 weeks (every month observed), bought at 0 (30) and 8 (month 2, exactly the end).
    // Parameters per channel: search's rows use group 1 (rates 0.5 and 1); tv's group would add 100s.
    const out = channelValues({
      ...base,
      draws: [
        [100, 200],
        [0.5, 1],
      ],
      rows: { x: [2, 1], tx: [9, 8], T: [10, 13], group: [1, 0], index: [0, 1] },
      channel: ['search', 'tv'],
      purchases: [
        { t: Float64Array.from([0, 3, 9]), spend: Float64Array.from([20, 10, 10]) },
        { t: Float64Array.from([0, 8]), spend: Float64Array.from([30, 11]) },
      ],
      spend: [10, 11],
    });
    const f = (m: number) => Math.pow(1.1, -m);
    // search, draw with rate r: observed 20, +10 f(1), +10 f(3); predicted in month 3 only: weeks 10..12 -> 2 r purchases x 10.
    const search = (r: number) => [20, 20 + 10 * f(1), 20 + 10 * f(1), 20 + 10 * f(1) + (10 + 2 * r * 10) * f(3)].map((v) => 0.5 * v);
    expect(out.search.cumulativeDraws.map((row) => row[0])).toEqual(search(0.5).map((v) => expect.closeTo(v, 12)));
    expect(out.search.cumulativeDraws.map((row) => row[1])).toEqual(search(1).map((v) => expect.closeTo(v, 12)));
    expect(out.search.ltvDraws[1]).toBeCloseTo(search(1)[3], 12);
    // tv lives all 3 months: no prediction, so every draw is the same.
    const tv = 0.5 * (30 + 11 * f(2));
    expect(out.tv.ltvDraws).toEqual([expect.closeTo(tv, 12), expect.closeTo(tv, 12)]);
    expect(out.tv.observedShare).toBeCloseTo(1, 12);
    expect(out.search.observedShare).toBeCloseTo(1 - (0.5 * 2 * 0.75 * 10 * f(3)) / ((search(0.5)[3] + search(1)[3]) / 2), 12);
    expect(out.tv.customers).toBe(1);
    expect(out.tv.histogram.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('averages a channel’s customers with Bayesian-bootstrap weights that sum to one', () => {
    const out = channelValues({
      ...base,
      draws: [Array.from({ length: 400 }, () => 0)],
      rows: { x: [0, 0], tx: [0, 0], T: [20, 20], group: [0, 0], index: [0, 1] },
      channel: ['a', 'a'],
      purchases: [
        { t: Float64Array.from([0]), spend: Float64Array.from([10]) },
        { t: Float64Array.from([0]), spend: Float64Array.from([30]) },
      ],
      spend: [0, 0],
    });
    // Each draw's value is 0.5 (10 w + 30 (1 - w)) = 15 - 10 w with w ~ Uniform(0, 1) (Dirichlet(1, 1)):
    // between 5 and 15, mean 10 and sd 10 / sqrt(12) = 2.89 (400 draws: the sd's sd is ~0.1).
    expect(Math.min(...out.a.ltvDraws)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...out.a.ltvDraws)).toBeLessThanOrEqual(15);
    expect(out.a.ltv.mean).toBeCloseTo(10, 0);
    expect(out.a.ltv.sd).toBeGreaterThan(2.4);
    expect(out.a.ltv.sd).toBeLessThan(3.4);
  });
});
