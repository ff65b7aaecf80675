/**
 * The tensor form of each saturation kind (saturation.ts), for the model's log density and the
 * lift-test likelihood: `tensor(x, params)` with x >= 0 (any shape) and parameters broadcasting
 * against it (in the model x is `[channels, chains, T]` and parameters `[channels, chains, 1]`),
 * the contribution on the max-scaled target in the broadcast shape. A test checks that each agrees
 * with its descriptor's `f64` on random points.
 */
import * as tf from '@tensorflow/tfjs';
import { SATURATIONS, type SaturationDescriptor, type SaturationKind } from './saturation';

/** A saturation descriptor with its tensor form. */
export interface SaturationComponent extends SaturationDescriptor {
  tensor(x: tf.Tensor, params: Record<string, tf.Tensor>): tf.Tensor;
}

const TENSORS: Record<SaturationKind, SaturationComponent['tensor']> = {
  // beta tanh(lam x / 2): stable for large lam x.
  logistic: (x, { lam, beta }) => tf.mul(beta, tf.tanh(tf.mul(tf.mul(lam, x), 0.5))),
  // beta sigmoid(slope (log x - log kappa)); x = 0 gives 0 through log(x + 1e-30) (finite, with a finite gradient).
  hill: (x, { slope, kappa, beta }) => tf.mul(beta, tf.sigmoid(tf.mul(slope, tf.sub(tf.log(tf.add(x, 1e-30)), tf.log(kappa))))),
  michaelis_menten: (x, { alpha, lam }) => tf.div(tf.mul(alpha, x), tf.add(lam, x)),
  tanh: (x, { b, c }) => tf.mul(b, tf.tanh(tf.div(x, tf.mul(b, c)))),
};

/** Saturation components (descriptor and tensor form) by kind. */
export const SATURATION_COMPONENTS = Object.fromEntries(
  (Object.keys(SATURATIONS) as SaturationKind[]).map((kind) => [kind, { ...SATURATIONS[kind], tensor: TENSORS[kind] }]),
) as Readonly<Record<SaturationKind, SaturationComponent>>;
