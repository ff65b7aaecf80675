/**
 * Pareto k of importance ratios where the answer is known: a Gaussian proposal N(0, s^2) for a
 * N(0, 1) target has ratios w ~ exp(x^2 (1/s^2 - 1) / 2), whose tail is Pareto with shape
 * k = 1 - s^2 (P(w > t) ~ t^(-1/(1 - s^2))). Tolerances: 3 asymptotic standard errors of a
 * generalised-Pareto shape fitted to M exceedances, (1 + k) / sqrt(M), plus the weak prior's pull
 * towards 0.5, 10 / (M + 10) of the way.
 */
import { describe, expect, it } from 'vitest';
import { gpdFit, paretoK, PARETO_K_MAX } from '../../../src/engine/psis';
import { createRng } from '../../../src/engine/rng';

function logRatios(n: number, s: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => {
    const x = s * rng.normal();
    // log N(x; 0, 1) - log N(x; 0, s^2), constants dropped.
    return -0.5 * x * x + (0.5 * x * x) / (s * s);
  });
}

const N = 10_000;
const M = Math.ceil(Math.min(0.2 * N, 3 * Math.sqrt(N)));

describe('Pareto k', () => {
  for (const [s2, seed] of [
    [0.25, 1],
    [0.5, 2],
    [0.9, 3],
  ] as const) {
    it(`proposal variance ${s2}: k near 1 - s^2 = ${1 - s2}`, () => {
      const truth = 1 - s2;
      const k = paretoK(logRatios(N, Math.sqrt(s2), seed));
      const tol = (3 * (1 + truth)) / Math.sqrt(M) + (10 / (M + 10)) * Math.abs(0.5 - truth);
      expect(Math.abs(k - truth), `k = ${k}`).toBeLessThan(tol);
    });
  }

  it('a proposal narrower than half the target is flagged (k > 0.7), the exact one is not', () => {
    expect(paretoK(logRatios(N, Math.sqrt(0.15), 4))).toBeGreaterThan(PARETO_K_MAX);
    // Equal densities: every ratio is 1, no tail to fit beyond ties (the fit gives the prior's pull).
    expect(paretoK(new Float64Array(N).fill(-3))).toBe(Infinity);
    expect(paretoK(logRatios(N, 1, 5).map((v, i) => v + 1e-3 * Math.sin(i)))).toBeLessThan(0.5);
  });

  it('refuses non-finite ratios (the proposal reaches where the target has no mass: k infinite)', () => {
    const r = logRatios(1000, 0.8, 6);
    r[10] = NaN;
    expect(paretoK(r)).toBe(Infinity);
  });

  it('recovers a generalised Pareto shape from exact exceedances', () => {
    // Inverse-CDF draws of GPD(k = 0.4, sigma = 2): x = sigma ((1 - u)^-k - 1) / k.
    const rng = createRng(7);
    const x = Float64Array.from({ length: 2000 }, () => (2 * (Math.pow(1 - rng.uniform(), -0.4) - 1)) / 0.4).sort();
    const { k, sigma } = gpdFit(x);
    expect(Math.abs(k - 0.4)).toBeLessThan((3 * 1.4) / Math.sqrt(2000));
    // The MLE's relative standard error of the scale is sqrt(2 (1 + k) / n).
    expect(Math.abs(sigma - 2) / 2).toBeLessThan(3 * Math.sqrt((2 * 1.4) / 2000));
  });
});
