/**
 * The tensor form of each adstock kind (adstock.ts), for the model's log density: parameter
 * tensors of a common broadcast shape `[..., 1]` (in the model `[channels, chains, 1]`) to
 * normalised lag weights `[..., width]`, width = `adstockWidth(kind, lMax)`. A test checks that
 * each agrees with its descriptor's `f64` on random points.
 *
 * The model applies the weights as one batched matMul of `[channels, chains, L]` weights with a
 * constant `[channels, L, T]` lag matrix (see mmm.ts): no convolution, no gather.
 */
import * as tf from '@tensorflow/tfjs';
import { ADSTOCKS, adstockWidth, type AdstockDescriptor, type AdstockKind } from './adstock';

/** An adstock descriptor with its tensor form. */
export interface AdstockComponent extends AdstockDescriptor {
  tensor(params: Record<string, tf.Tensor>, lMax: number): tf.Tensor;
}

/** Lag offsets 0..n-1 (or 1..n with `from` = 1) as a constant row `[n]` (broadcasts over the last axis). */
function lagRow(n: number, from = 0): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: n }, (_, l) => l + from));
}

const normaliseLast = (w: tf.Tensor) => tf.div(w, tf.sum(w, -1, true));

const TENSORS: Record<AdstockKind, AdstockComponent['tensor']> = {
  // alpha^l written exp(l log alpha), so the gradient is finite for every alpha in (0, 1).
  geometric: ({ alpha }, lMax) => normaliseLast(tf.exp(tf.mul(tf.log(alpha), lagRow(lMax)))),
  delayed: ({ alpha, theta }, lMax) => normaliseLast(tf.exp(tf.mul(tf.log(alpha), tf.square(tf.sub(lagRow(lMax), theta))))),
  // Min-max scaling followed by normalisation is (w - min) / sum(w - min), w the density relative
  // to its peak (as in float64, so float32 does not underflow); a flat profile (sum 0, lMax = 1)
  // gets equal weights: `flat` is 1 there and 0 elsewhere (a step, no branch).
  weibull_pdf: ({ lam, k }, lMax) => {
    const logLam = tf.log(lam);
    const logZ = tf.sub(tf.log(lagRow(lMax, 1)), logLam); // log(t / lam)
    const logPdf = tf.sub(tf.add(tf.sub(tf.log(k), logLam), tf.mul(tf.sub(k, 1), logZ)), tf.exp(tf.mul(k, logZ)));
    const w = tf.exp(tf.sub(logPdf, tf.max(logPdf, -1, true)));
    const shifted = tf.sub(w, tf.min(w, -1, true));
    const total = tf.sum(shifted, -1, true);
    const flat = tf.sub(1, tf.step(total));
    return tf.div(tf.add(shifted, flat), tf.add(total, tf.mul(flat, lMax)));
  },
  // The running sum of (i/lam)^k is one matMul with a constant `[lMax, lMax + 1]` 0/1 matrix.
  weibull_cdf: ({ lam, k }, lMax) => {
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

/** Adstock components (descriptor and tensor form) by kind. */
export const ADSTOCK_COMPONENTS = Object.fromEntries(
  (Object.keys(ADSTOCKS) as AdstockKind[]).map((kind) => [kind, { ...ADSTOCKS[kind], tensor: TENSORS[kind] }]),
) as Readonly<Record<AdstockKind, AdstockComponent>>;
