/**
 * Lift-test design (pure float64): the importance-reweighting update against the conjugate
 * normal-normal posterior, the preposterior expected interval width against its closed form, and
 * the designer's ranking: a channel whose posterior is already precise gains about nothing from a
 * test, one with a wide posterior gains most and is recommended.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/engine/rng';
import {
  designLiftTests,
  expectedNarrowing,
  NORMAL_LIFT,
  normalisedWeights,
  weightedHdi,
  weightsEss,
} from '../../../../src/models/mmm/lift-design';
import type { ResponseModel } from '../../../../src/models/mmm/response';

/** Half-width of the central 94% interval of a standard normal (= its 94% HDI). */
const Z94 = 1.880793608;
/** Standard normal density at Z94. */
const PHI_Z94 = Math.exp(-0.5 * Z94 * Z94) / Math.sqrt(2 * Math.PI);

/**
 * Monte Carlo standard error of a 94% interval's width from weighted draws with effective sample
 * size `ess` of a normal with sd `sd`: each end is a 3% quantile, whose sd is
 * sqrt(p (1 - p) / ess) / density; the width's at most twice that.
 */
function widthMcse(sd: number, ess: number): number {
  return (2 * Math.sqrt((0.03 * 0.97) / ess) * sd) / PHI_Z94;
}

function normalDraws(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normal());
}

describe('importance reweighting', () => {
  it('agrees with the conjugate normal posterior', () => {
    // theta ~ N(0, 1), y | theta ~ N(theta, 1), y = 1: theta | y ~ N(0.5, 1/2).
    const theta = normalDraws(20_000, 11);
    const w = normalisedWeights(theta.map((t) => NORMAL_LIFT.logDensity(1, t, 1)));
    const ess = weightsEss(w);
    const postSd = Math.SQRT1_2;
    const mean = theta.reduce((s, t, i) => s + w[i] * t, 0);
    // 4 Monte Carlo standard errors of a weighted mean.
    expect(Math.abs(mean - 0.5)).toBeLessThan((4 * postSd) / Math.sqrt(ess));
    const [lo, hi] = weightedHdi(theta, w);
    expect(Math.abs(hi - lo - 2 * Z94 * postSd)).toBeLessThan(4 * widthMcse(postSd, ess));
    expect(Math.abs((lo + hi) / 2 - 0.5)).toBeLessThan(4 * widthMcse(postSd, ess));
  });

  it('equal weights give the interval of the draws', () => {
    const x = [5, 1, 4, 2, 3, 100, 0];
    const w = x.map(() => 1 / x.length);
    // ceil(0.94 * 7) = 7 draws: everything.
    expect(weightedHdi(x, w)).toEqual([0, 100]);
    // Weight 0.96 on the values 4, 2 and 3: the interval holds them only.
    expect(weightedHdi(x, [0.01, 0.01, 0.32, 0.32, 0.32, 0.01, 0.01])).toEqual([2, 4]);
  });
});

describe('preposterior expected width', () => {
  it('matches the closed form of the normal-normal case', () => {
    // The posterior sd is the same for every result y: sqrt(1 / (1 + 1 / se^2)) with prior sd 1.
    const theta = normalDraws(8000, 23);
    const se = 0.8;
    const postSd = 1 / Math.sqrt(1 + 1 / (se * se));
    const res = expectedNarrowing(theta, theta, se, 200, createRng(5), NORMAL_LIFT);
    expect(Math.abs(res.widthNow - 2 * Z94)).toBeLessThan(4 * widthMcse(1, theta.length));
    expect(Math.abs(res.widthAfter - 2 * Z94 * postSd)).toBeLessThan(4 * widthMcse(postSd, res.ess));
    expect(Math.abs(res.narrowing - (1 - postSd))).toBeLessThan((4 * widthMcse(postSd, res.ess)) / (2 * Z94 * postSd));
  });
});

describe('designLiftTests', () => {
  /**
   * Two channels on logistic curves beta tanh(lam x / 2) with lam = 1, unit scales: the lift of a
   * test is linear in beta and ROAS = 2 beta. 'precise' has beta = 1 +- 0.001, 'wide' beta =
   * exp(N(0, 0.3)).
   */
  function model(): { m: ResponseModel; roas: Record<string, number[]> } {
    const D = 200;
    const z = normalDraws(2 * D, 3);
    const beta = { precise: z.slice(0, D).map((v) => 1 + 0.001 * v), wide: z.slice(D).map((v) => Math.exp(0.3 * v)) };
    return {
      m: {
        adstock: 'geometric',
        saturation: 'logistic',
        lMax: 1,
        channels: ['precise', 'wide'],
        xMax: [1, 1],
        yMax: 1,
        adstockParams: beta.wide.map(() => [{ alpha: 0 }, { alpha: 0 }]),
        saturationParams: beta.wide.map((_, d) => [
          { lam: 1, beta: beta.precise[d] },
          { lam: 1, beta: beta.wide[d] },
        ]),
        meanSpend: [0.5, 0.5],
        periodDays: 7,
      },
      roas: { precise: beta.precise.map((b) => 2 * b), wide: beta.wide.map((b) => 2 * b) },
    };
  }

  it('ranks a wide posterior first and a precise one near zero', () => {
    const { m, roas } = model();
    // +50% spend: the lift per period is beta (tanh(0.375) - tanh(0.25)) = 0.1135 beta; a standard
    // error of a tenth of it measures beta to about +-10%.
    const perBeta = Math.tanh(0.375) - Math.tanh(0.25);
    const periods = 8;
    const noise = (0.1 * perBeta) / Math.sqrt(2 / periods);
    const design = designLiftTests(m, roas, { spendChange: 0.5, periods, noise, simulations: 200, seed: 2 });
    expect(design.recommended).toBe('wide');
    const wide = design.channels[0];
    const precise = design.channels[1];
    expect(wide.standardError).toBeCloseTo(0.1 * perBeta, 12);
    expect(wide.spendAfter).toBeCloseTo(0.75, 12);
    expect(wide.extraSpend).toBeCloseTo(0.25 * periods, 12);
    // Normal approximation: a prior sd of 0.3 on log beta and a measurement sd of ~0.1 leave a
    // posterior sd near 1 / sqrt(1 / 0.09 + 1 / 0.01) = 0.095, a third of the prior's.
    expect(wide.narrowing).toBeGreaterThan(0.5);
    expect(wide.ess).toBeGreaterThan(20);
    // The precise channel's weights barely move (its lift varies by 0.6% across its draws, against
    // a 10% error): each end of its interval moves by at most one draw, so the narrowing is within
    // the largest gap between neighbouring sorted draws in its tails, over the width.
    const sorted = [...roas.precise].sort((a, b) => a - b);
    const tail = Math.ceil(0.06 * sorted.length) + 1;
    const gaps = [...sorted.slice(0, tail), ...sorted.slice(-tail)].flatMap((v, i, a) => (i > 0 && i !== tail ? [Math.abs(v - a[i - 1])] : []));
    expect(Math.abs(precise.narrowing)).toBeLessThanOrEqual((2 * Math.max(...gaps)) / precise.widthNow);
    expect(precise.ess).toBeGreaterThan(190);
  });

  it('names what is wrong with the options', () => {
    const { m, roas } = model();
    expect(() => designLiftTests(m, roas, { spendChange: 0, periods: 4, noise: 1 })).toThrow(/spend change must be a non-zero/);
    expect(() => designLiftTests(m, roas, { spendChange: 0.5, periods: 0, noise: 1 })).toThrow(/test length must be a whole number/);
    expect(() => designLiftTests(m, roas, { spendChange: 0.5, periods: 4, noise: 0 })).toThrow(/noise per period must be a positive/);
    expect(() => designLiftTests(m, { wide: roas.wide }, { spendChange: 0.5, periods: 4, noise: 1 })).toThrow(/Channel "precise": expected 200 ROAS draws/);
  });
});
