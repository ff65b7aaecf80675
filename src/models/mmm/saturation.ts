/**
 * Saturation (diminishing returns) components as PyMC-Marketing's `mmm/components/saturation.py`,
 * on the adstocked, max-scaled channel. As there, each function includes the channel's scale
 * parameter (`beta` for logistic and Hill, `alpha` for Michaelis-Menten, `b` for tanh), and each
 * descriptor `{ lookupName, prefix, defaultPriors, fn }` has prior keys equal to the parameters
 * `fn` reads (checked by a test). Defaults are PyMC-Marketing's (Gamma(mu, sigma) priors written in
 * shape/rate form: alpha = mu^2/sigma^2, beta = mu/sigma^2).
 */
import * as tf from '@tensorflow/tfjs';
import type { Prior } from '../../engine/priors';
import type { SaturationKind } from './saturation-f64';

export { SATURATION_KINDS, type SaturationKind } from './saturation-f64';

/**
 * One saturation component. `fn(x, params)`: x >= 0 (any shape), parameters broadcasting against
 * it (in the model x is `[channels, chains, T]` and parameters `[channels, chains, 1]`); returns the
 * contribution on the max-scaled target, same shape as the broadcast.
 */
export interface SaturationComponent {
  readonly lookupName: SaturationKind;
  readonly prefix: 'saturation';
  /** Default priors keyed by parameter name; the model names them `saturation_${key}`. */
  readonly defaultPriors: Readonly<Record<string, Prior>>;
  /** The parameter that scales the channel's contribution (its maximum on the scaled target). */
  readonly scaleParam: string;
  fn(x: tf.Tensor, params: Record<string, tf.Tensor>): tf.Tensor;
}

/** beta (1 - e^(-lam x)) / (1 + e^(-lam x)), computed as beta tanh(lam x / 2) (stable for large lam x). */
export const logisticSaturation: SaturationComponent = {
  lookupName: 'logistic',
  prefix: 'saturation',
  defaultPriors: { lam: { dist: 'Gamma', alpha: 3, beta: 1 }, beta: { dist: 'HalfNormal', sigma: 2 } },
  scaleParam: 'beta',
  fn: (x, { lam, beta }) => tf.mul(beta, tf.tanh(tf.mul(tf.mul(lam, x), 0.5))),
};

/**
 * Hill: beta x^slope / (x^slope + kappa^slope) = beta sigmoid(slope (log x - log kappa)); x = 0
 * gives 0 through log(x + 1e-30) (finite, with a finite gradient).
 */
export const hillSaturation: SaturationComponent = {
  lookupName: 'hill',
  prefix: 'saturation',
  defaultPriors: {
    slope: { dist: 'HalfNormal', sigma: 1.5 },
    kappa: { dist: 'HalfNormal', sigma: 1.5 },
    beta: { dist: 'HalfNormal', sigma: 1.5 },
  },
  scaleParam: 'beta',
  fn: (x, { slope, kappa, beta }) => tf.mul(beta, tf.sigmoid(tf.mul(slope, tf.sub(tf.log(tf.add(x, 1e-30)), tf.log(kappa))))),
};

/** Michaelis-Menten alpha x / (lam + x): alpha is the maximum contribution, lam the half-saturation spend. */
export const michaelisMentenSaturation: SaturationComponent = {
  lookupName: 'michaelis_menten',
  prefix: 'saturation',
  defaultPriors: { alpha: { dist: 'Gamma', alpha: 4, beta: 2 }, lam: { dist: 'HalfNormal', sigma: 1 } },
  scaleParam: 'alpha',
  fn: (x, { alpha, lam }) => tf.div(tf.mul(alpha, x), tf.add(lam, x)),
};

/** b tanh(x / (b c)): saturates at b; 1/c is the response per unit of (scaled) spend at zero. */
export const tanhSaturation: SaturationComponent = {
  lookupName: 'tanh',
  prefix: 'saturation',
  defaultPriors: { b: { dist: 'HalfNormal', sigma: 1 }, c: { dist: 'HalfNormal', sigma: 1 } },
  scaleParam: 'b',
  fn: (x, { b, c }) => tf.mul(b, tf.tanh(tf.div(x, tf.mul(b, c)))),
};

/** Saturation components by `lookupName`. */
export const SATURATIONS: Readonly<Record<SaturationKind, SaturationComponent>> = {
  logistic: logisticSaturation,
  hill: hillSaturation,
  michaelis_menten: michaelisMentenSaturation,
  tanh: tanhSaturation,
};
