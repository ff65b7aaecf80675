/**
 * Prior draws: each distribution's sample mean and variance against its known moments, within 4.5
 * Monte Carlo standard errors (sd / sqrt(n) for the mean; for the variance sqrt((m4 - s^4) / n),
 * m4 from the sample); Dirichlet draws on the simplex; improper priors refused.
 */
import { describe, expect, it } from 'vitest';
import { drawPrior } from '../../../src/engine/prior-draws';
import type { Prior } from '../../../src/engine/priors';
import { createRng } from '../../../src/engine/rng';

const N = 20_000;

const CASES: { prior: Prior; mean: number; variance: number }[] = [
  { prior: { dist: 'Normal', mu: 1, sigma: 2 }, mean: 1, variance: 4 },
  { prior: { dist: 'HalfNormal', sigma: 2 }, mean: 2 * Math.sqrt(2 / Math.PI), variance: 4 * (1 - 2 / Math.PI) },
  { prior: { dist: 'StudentT', nu: 10, mu: 0, sigma: 1 }, mean: 0, variance: 10 / 8 },
  { prior: { dist: 'Laplace', mu: 0.5, b: 1 }, mean: 0.5, variance: 2 },
  { prior: { dist: 'Gamma', alpha: 3, beta: 2 }, mean: 1.5, variance: 0.75 },
  { prior: { dist: 'InverseGamma', alpha: 6, beta: 5 }, mean: 1, variance: 25 / (25 * 4) },
  { prior: { dist: 'Beta', alpha: 1, beta: 3 }, mean: 0.25, variance: 3 / (16 * 5) },
  { prior: { dist: 'LogNormal', mu: 0, sigma: 0.5 }, mean: Math.exp(0.125), variance: (Math.exp(0.25) - 1) * Math.exp(0.25) },
  { prior: { dist: 'Exponential', lam: 2 }, mean: 0.5, variance: 0.25 },
  { prior: { dist: 'Weibull', alpha: 1, beta: 3 }, mean: 3, variance: 9 },
  { prior: { dist: 'Uniform', lower: -1, upper: 3 }, mean: 1, variance: 16 / 12 },
];

describe('prior draws', () => {
  for (const c of CASES) {
    it(`${c.prior.dist}: mean and variance within Monte Carlo error`, () => {
      const x = drawPrior(createRng(7), c.prior, N);
      const m = x.reduce((a, b) => a + b, 0) / N;
      const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
      const m4 = x.reduce((a, b) => a + (b - m) ** 4, 0) / N;
      expect(Math.abs(m - c.mean)).toBeLessThan(4.5 * Math.sqrt(c.variance / N));
      expect(Math.abs(v - c.variance)).toBeLessThan(4.5 * Math.sqrt((m4 - v * v) / N));
    });
  }

  it('half distributions are positive, truncated ones stay in bounds, Dirichlet sums to 1', () => {
    const rng = createRng(3);
    expect(drawPrior(rng, { dist: 'HalfCauchy', beta: 1 }, 500).every((v) => v >= 0)).toBe(true);
    expect(drawPrior(rng, { dist: 'HalfStudentT', nu: 3, sigma: 1 }, 500).every((v) => v >= 0)).toBe(true);
    expect(drawPrior(rng, { dist: 'TruncatedNormal', mu: 0, sigma: 1, lower: 0.5, upper: 1 }, 500).every((v) => v >= 0.5 && v <= 1)).toBe(true);
    const w = drawPrior(rng, { dist: 'Dirichlet', a: [1, 2, 3] });
    expect(w).toHaveLength(3);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('an improper prior has no draws', () => {
    expect(() => drawPrior(createRng(1), { dist: 'Flat' })).toThrow(/improper/);
  });
});
