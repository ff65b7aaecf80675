/**
 * Adstock (carry-over) components as PyMC-Marketing's `mmm/components/adstock.py`: the spend of
 * period t keeps acting for l_max periods with lag weights w_0..w_{L-1} (normalised to sum 1), and
 * the adstocked series is sum_l w_l x_{t-l}. Two layers, as there: pure weight functions on
 * tensors, and one descriptor per component `{ lookupName, prefix, defaultPriors, fn }` whose
 * prior keys are exactly the parameters `fn` reads (checked by a test).
 *
 * The model applies the weights as one batched matMul of `[channels, chains, L]` weights with a
 * constant `[channels, L, T]` lag matrix (see mmm.ts): no convolution, no gather.
 */
import * as tf from '@tensorflow/tfjs';
import type { Prior } from '../../engine/priors';
import { adstockWidth, type AdstockKind } from './adstock-f64';

export { ADSTOCK_KINDS, adstockWidth, type AdstockKind } from './adstock-f64';

/**
 * One adstock component. `fn(params, lMax)` maps parameter tensors of a common broadcast shape
 * `[..., 1]` (in the model `[channels, chains, 1]`) to normalised lag weights `[..., width]`,
 * width = `adstockWidth(lookupName, lMax)`.
 */
export interface AdstockComponent {
  readonly lookupName: AdstockKind;
  readonly prefix: 'adstock';
  /** Default priors keyed by parameter name; the model names them `adstock_${key}`. */
  readonly defaultPriors: Readonly<Record<string, Prior>>;
  fn(params: Record<string, tf.Tensor>, lMax: number): tf.Tensor;
}

/** Lag offsets 0..n-1 (or 1..n with `from` = 1) as a constant row `[n]` (broadcasts over the last axis). */
function lagRow(n: number, from = 0): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: n }, (_, l) => l + from));
}

const normaliseLast = (w: tf.Tensor) => tf.div(w, tf.sum(w, -1, true));

/**
 * Geometric adstock, alpha^l normalised (PyMC-Marketing `geometric_adstock(normalize=True)`),
 * written exp(l log alpha) so the gradient is finite for every alpha in (0, 1).
 */
export const geometricAdstock: AdstockComponent = {
  lookupName: 'geometric',
  prefix: 'adstock',
  defaultPriors: { alpha: { dist: 'Beta', alpha: 1, beta: 3 } },
  fn: ({ alpha }, lMax) => normaliseLast(tf.exp(tf.mul(tf.log(alpha), lagRow(lMax)))),
};

/** Delayed geometric adstock alpha^((l - theta)^2), normalised: the effect peaks `theta` periods after spend. */
export const delayedAdstock: AdstockComponent = {
  lookupName: 'delayed',
  prefix: 'adstock',
  defaultPriors: { alpha: { dist: 'Beta', alpha: 1, beta: 3 }, theta: { dist: 'HalfNormal', sigma: 1 } },
  fn: ({ alpha, theta }, lMax) => normaliseLast(tf.exp(tf.mul(tf.log(alpha), tf.square(tf.sub(lagRow(lMax), theta))))),
};

/**
 * Weibull PDF adstock: the Weibull(k, lam) density at t = 1..lMax, min-max scaled, normalised
 * (PyMC-Marketing `WeibullPDFAdstock`; its Gamma(mu=2, sigma=1) and Gamma(mu=3, sigma=1) priors in
 * shape/rate form). Min-max scaling followed by normalisation is (w - min) / sum(w - min).
 */
export const weibullPdfAdstock: AdstockComponent = {
  lookupName: 'weibull_pdf',
  prefix: 'adstock',
  defaultPriors: { lam: { dist: 'Gamma', alpha: 4, beta: 2 }, k: { dist: 'Gamma', alpha: 9, beta: 3 } },
  fn: ({ lam, k }, lMax) => {
    const logLam = tf.log(lam);
    const logZ = tf.sub(tf.log(lagRow(lMax, 1)), logLam); // log(t / lam)
    const logPdf = tf.sub(tf.add(tf.sub(tf.log(k), logLam), tf.mul(tf.sub(k, 1), logZ)), tf.exp(tf.mul(k, logZ)));
    const w = tf.exp(logPdf);
    const shifted = tf.sub(w, tf.min(w, -1, true));
    // The tiny floor keeps a flat (all-equal) profile finite; PyMC-Marketing would give 0/0 there.
    return tf.div(shifted, tf.add(tf.sum(shifted, -1, true), 1e-30));
  },
};

/**
 * Weibull CDF adstock: w_0 = 1 and w_j = prod_{i<=j} exp(-(i/lam)^k), j = 1..lMax, normalised
 * (PyMC-Marketing `WeibullCDFAdstock`, Gamma(mu=2, sigma=2.5) priors in shape/rate form). The
 * running sum of (i/lam)^k is one matMul with a constant `[lMax, lMax + 1]` 0/1 matrix.
 */
export const weibullCdfAdstock: AdstockComponent = {
  lookupName: 'weibull_cdf',
  prefix: 'adstock',
  defaultPriors: { lam: { dist: 'Gamma', alpha: 0.64, beta: 0.32 }, k: { dist: 'Gamma', alpha: 0.64, beta: 0.32 } },
  fn: ({ lam, k }, lMax) => {
    const hazard = tf.exp(tf.mul(k, tf.sub(tf.log(lagRow(lMax, 1)), tf.log(lam)))); // (t / lam)^k, [..., lMax]
    const shape = hazard.shape;
    const width = adstockWidth('weibull_cdf', lMax);
    const upper = new Float32Array(lMax * width);
    for (let i = 0; i < lMax; i++) for (let j = i + 1; j < width; j++) upper[i * width + j] = 1;
    const flat = tf.reshape(hazard, [-1, lMax]) as tf.Tensor2D;
    const cum = tf.reshape(tf.matMul(flat, tf.tensor2d(upper, [lMax, width])), [...shape.slice(0, -1), width]);
    return normaliseLast(tf.exp(tf.neg(cum)));
  },
};

/** Adstock components by `lookupName`. */
export const ADSTOCKS: Readonly<Record<AdstockKind, AdstockComponent>> = {
  geometric: geometricAdstock,
  delayed: delayedAdstock,
  weibull_pdf: weibullPdfAdstock,
  weibull_cdf: weibullCdfAdstock,
};
