/**
 * Draws from a prior (priors.ts) in float64, for prior predictive checks: what the model says
 * about the data before it has seen any. Parametrised as PyMC parametrises each distribution.
 */
import { InputError } from '../api/errors';
import type { Prior } from './priors';
import { gammaVariate, type Rng } from './rng';

/** A Student-t(nu) variate: a normal over the square root of a scaled chi-square. */
function studentT(rng: Rng, nu: number): number {
  return rng.normal() / Math.sqrt((2 * gammaVariate(rng, nu / 2)) / nu);
}

/** `size` draws of a prior (a Dirichlet's size is `a.length`, one vector on the simplex). */
export function drawPrior(rng: Rng, p: Prior, size = 1): number[] {
  if (p.dist === 'Dirichlet') {
    const g = p.a.map((a) => gammaVariate(rng, a));
    const s = g.reduce((x, y) => x + y, 0);
    return g.map((v) => v / s);
  }
  return Array.from({ length: size }, () => drawScalar(rng, p));
}

function drawScalar(rng: Rng, p: Exclude<Prior, { dist: 'Dirichlet' }>): number {
  const u = () => 1 - rng.uniform(); // (0, 1]
  switch (p.dist) {
    case 'Normal':
      return p.mu + p.sigma * rng.normal();
    case 'HalfNormal':
      return Math.abs(p.sigma * rng.normal());
    case 'StudentT':
      return p.mu + p.sigma * studentT(rng, p.nu);
    case 'HalfStudentT':
      return Math.abs(p.sigma * studentT(rng, p.nu));
    case 'Cauchy':
      return p.alpha + p.beta * Math.tan(Math.PI * (rng.uniform() - 0.5));
    case 'HalfCauchy':
      return Math.abs(p.beta * Math.tan(Math.PI * (rng.uniform() - 0.5)));
    case 'Laplace':
      return p.mu - p.b * Math.sign(rng.uniform() - 0.5) * Math.log(u());
    case 'Gamma':
      return gammaVariate(rng, p.alpha) / p.beta;
    case 'InverseGamma':
      return p.beta / gammaVariate(rng, p.alpha);
    case 'Beta': {
      const a = gammaVariate(rng, p.alpha);
      return a / (a + gammaVariate(rng, p.beta));
    }
    case 'LogNormal':
      return Math.exp(p.mu + p.sigma * rng.normal());
    case 'Exponential':
      return -Math.log(u()) / p.lam;
    case 'Weibull':
      return p.beta * Math.pow(-Math.log(u()), 1 / p.alpha);
    case 'Uniform':
      return p.lower + (p.upper - p.lower) * rng.uniform();
    case 'TruncatedNormal': {
      // Rejection from the normal; bounded tries so a sliver far in a tail cannot loop forever.
      for (let i = 0; i < 10_000; i++) {
        const x = p.mu + p.sigma * rng.normal();
        if (x >= p.lower && x <= p.upper) return x;
      }
      return Math.min(p.upper, Math.max(p.lower, p.mu));
    }
    case 'Flat':
    case 'HalfFlat':
      throw new InputError(`A ${p.dist} prior is improper: it has no draws, so there is no prior predictive; give the parameter a proper prior.`);
  }
}
