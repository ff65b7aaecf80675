/**
 * The closed-form parts of the A/B test. Conversion per group is Beta-Binomial: with a Beta(a, b)
 * prior on a group's conversion rate and k conversions among n customers the posterior is
 * Beta(a + k, b + n - k), exactly; its draws come from two Gamma variates (Y1 / (Y1 + Y2)).
 * Purchases per customer are read with the Bayesian bootstrap (Rubin 1981): the posterior of a
 * group's mean under a Dirichlet(1, ..., 1) over its customers, which makes no assumption about the
 * counts' distribution (overdispersed counts get the wide interval they need).
 */
import { gammaVariate, type Rng } from '../../engine/rng';

/** The conversion rate's prior in each group: Beta(1, 1), uniform on [0, 1]. */
export const CONVERSION_PRIOR = { alpha: 1, beta: 1 } as const;

/** A Beta distribution's two shapes. */
export interface BetaShape {
  alpha: number;
  beta: number;
}

/** The exact posterior of a conversion rate: Beta(prior.alpha + k, prior.beta + n - k). */
export function betaPosterior(conversions: number, customers: number, prior: BetaShape = CONVERSION_PRIOR): BetaShape {
  return { alpha: prior.alpha + conversions, beta: prior.beta + customers - conversions };
}

/** Mean and sd of a Beta distribution. */
export function betaMoments({ alpha, beta }: BetaShape): { mean: number; sd: number } {
  const s = alpha + beta;
  return { mean: alpha / s, sd: Math.sqrt((alpha * beta) / (s * s * (s + 1))) };
}

/** `count` independent draws of Beta(alpha, beta). */
export function betaDraws({ alpha, beta }: BetaShape, count: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: count }, () => {
    const x = gammaVariate(rng, alpha);
    return x / (x + gammaVariate(rng, beta));
  });
}

/**
 * `count` draws of the posterior mean of `values[i]` over the rows with `keep[i] === want`, under
 * the Bayesian bootstrap: each draw weights the rows by Exp(1) variates, normalised.
 */
export function bayesianBootstrapMean(values: ArrayLike<number>, keep: ArrayLike<number>, want: number, count: number, rng: Rng): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep[i] === want) rows.push(i);
  return Float64Array.from({ length: count }, () => {
    let total = 0;
    let weighted = 0;
    for (const i of rows) {
      const w = -Math.log(1 - rng.uniform());
      total += w;
      weighted += w * values[i];
    }
    return weighted / total;
  });
}
