/**
 * Maps from the unconstrained space the samplers move in to each parameter's support, with the
 * log-determinant of the Jacobian that keeps the density right (as PyMC's default transforms:
 * log for positive, logit for (0, 1) and intervals, and the additive log-ratio for simplices).
 */
import * as tf from '@tensorflow/tfjs';
import type { Support } from './priors';

export interface Bijector {
  /** Free coordinates for `size` constrained elements (a K-simplex has K-1). */
  unconstrainedSize(size: number): number;
  /**
   * `y` `[chains, unconstrainedSize]` -> constrained `x` `[chains, size]` and log|det J| summed
   * over elements, `[chains]`.
   */
  forward(y: tf.Tensor2D): { x: tf.Tensor2D; logDetJac: tf.Tensor1D };
  /** Constrained values (float64, one chain) -> unconstrained coordinates. */
  inverse(x: readonly number[]): number[];
}

const rowSum = (t: tf.Tensor): tf.Tensor1D => tf.sum(t, 1) as tf.Tensor1D;

const identity: Bijector = {
  unconstrainedSize: (size) => size,
  forward: (y) => ({ x: y, logDetJac: tf.zeros([y.shape[0]]) as tf.Tensor1D }),
  inverse: (x) => [...x],
};

/** x = exp(y): log|dx/dy| = y. */
const exp: Bijector = {
  unconstrainedSize: (size) => size,
  forward: (y) => ({ x: tf.exp(y), logDetJac: rowSum(y) }),
  inverse: (x) => x.map((v) => Math.log(v)),
};

/** x = lower + (upper - lower) sigmoid(y): log|dx/dy| = log(upper - lower) - softplus(-y) - softplus(y). */
function interval(lower: number, upper: number): Bijector {
  const width = upper - lower;
  return {
    unconstrainedSize: (size) => size,
    forward: (y) => {
      const s = tf.sigmoid(y);
      const x = lower === 0 && width === 1 ? s : tf.add(tf.mul(s, width), lower);
      const logDet = tf.neg(tf.add(tf.softplus(tf.neg(y)), tf.softplus(y)));
      const sum = rowSum(logDet);
      return { x: x as tf.Tensor2D, logDetJac: width === 1 ? sum : (tf.add(sum, y.shape[1] * Math.log(width)) as tf.Tensor1D) };
    },
    inverse: (x) =>
      x.map((v) => {
        const u = Math.min(Math.max((v - lower) / width, 1e-12), 1 - 1e-12);
        return Math.log(u / (1 - u));
      }),
  };
}

/**
 * K-simplex from K-1 free coordinates by the additive log-ratio: x = softmax([y, 0]). The
 * Jacobian of (y_1..y_{K-1}) -> (x_1..x_{K-1}) has determinant prod_{k=1..K} x_k.
 */
const simplex: Bijector = {
  unconstrainedSize: (size) => size - 1,
  forward: (y) => {
    const z = tf.concat([y, tf.zeros([y.shape[0], 1])], 1);
    const logX = tf.logSoftmax(z);
    return { x: tf.exp(logX) as tf.Tensor2D, logDetJac: rowSum(logX) };
  },
  inverse: (x) => {
    const last = Math.log(Math.max(x[x.length - 1], 1e-12));
    return x.slice(0, -1).map((v) => Math.log(Math.max(v, 1e-12)) - last);
  },
};

/** The bijector from the unconstrained space to a support. */
export function bijectorFor(support: Support): Bijector {
  if (support === 'real') return identity;
  if (support === 'positive') return exp;
  if (support === 'unit') return interval(0, 1);
  if (support === 'simplex') return simplex;
  return interval(support.lower, support.upper);
}
