/**
 * The spend at which a channel's marginal ROAS falls to a target, against closed forms: logistic
 * saturation beta tanh(lam x / 2) has marginal ROAS yMax beta lam sech^2(lam s / (2 xMax)) / (2 xMax) at a
 * sustained spend s, so it falls to r at s = (2 xMax / lam) acosh(1 / sqrt(q)), q = 2 r xMax / (yMax beta lam)
 * (never above r when q >= 1); Michaelis-Menten alpha x / (lam + x) at s = xMax (sqrt(yMax alpha lam / (r xMax)) - lam).
 */
import { describe, expect, it } from 'vitest';
import { marginalBreakevens } from '../../../../src/models/mmm/breakeven';
import type { ResponseModel } from '../../../../src/models/mmm/response';
import { estimate } from '../../../../src/engine/diagnostics';

const base = { adstock: 'geometric', lMax: 4, periodDays: 7, channels: ['tv', 'search'], xMax: [100, 50], yMax: 1000, meanSpend: [40, 20] } as const;

describe('spend at which marginal ROAS falls to a target', () => {
  it('logistic saturation: the closed form per draw, whatever the adstock', () => {
    const sat = [
      [{ lam: 2, beta: 0.3 }, { lam: 3, beta: 0.2 }],
      [{ lam: 1.5, beta: 0.4 }, { lam: 0.2, beta: 0.01 }],
      [{ lam: 4, beta: 0.25 }, { lam: 3, beta: 0.3 }],
    ];
    const m: ResponseModel = {
      ...base,
      channels: [...base.channels],
      xMax: [...base.xMax],
      meanSpend: [...base.meanSpend],
      saturation: 'logistic',
      adstockParams: sat.map((_, d) => [{ alpha: 0.2 + 0.2 * d }, { alpha: 0.5 }]),
      saturationParams: sat,
    };
    for (const r of [1, 2.5]) {
      const out = marginalBreakevens(m, r);
      out.forEach((ch, c) => {
        const want = sat.map((p) => {
          const q = (2 * r * m.xMax[c]) / (m.yMax * p[c].beta * p[c].lam);
          return q >= 1 ? 0 : ((2 * m.xMax[c]) / p[c].lam) * Math.acosh(1 / Math.sqrt(q));
        });
        ch.draws.forEach((s, d) => expect(Math.abs(s - want[d]), `${ch.channel} draw ${d} at ${r}: ${s} vs ${want[d]}`).toBeLessThan(1e-6 * Math.max(1, want[d])));
        expect(Math.abs(ch.spend.mean - estimate(want).mean)).toBeLessThan(1e-6 * Math.max(1, estimate(want).mean));
        expect(ch.never).toBe(want.filter((w) => w === 0).length);
        expect(ch.beyond).toBe(0);
        expect(ch.meanSpend).toBe(m.meanSpend[c]);
      });
    }
    // search in draw 1 (beta lam = 0.002): q = 2 x 50 / 2 = 50 >= 1, the first unit already returns less than 1.
    expect(marginalBreakevens(m, 1)[1].never).toBe(1);
  });

  it('Michaelis-Menten: the closed form, and a bound when it is still above the target far out', () => {
    const m: ResponseModel = {
      ...base,
      channels: ['tv'],
      xMax: [100],
      meanSpend: [40],
      saturation: 'michaelis_menten',
      adstockParams: [[{ alpha: 0.3 }], [{ alpha: 0.3 }]],
      saturationParams: [[{ alpha: 2, lam: 0.5 }], [{ alpha: 1e9, lam: 1e4 }]],
    };
    const [tv] = marginalBreakevens(m, 1);
    const want = 100 * (Math.sqrt((1000 * 2 * 0.5) / 100) - 0.5);
    expect(Math.abs(tv.draws[0] - want)).toBeLessThan(1e-6 * want);
    // Draw 1 is nearly linear up to 1e4 x xMax: still above 1 at the search's end (1000 x xMax).
    expect(tv.beyond).toBe(1);
    expect(tv.draws[1]).toBeCloseTo(1000 * 100, 6);
    expect(() => marginalBreakevens(m, 0)).toThrow(/positive number/);
  });
});
