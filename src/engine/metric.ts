/**
 * The HMC metric (inverse mass matrix) shared by all chains: diagonal, or dense for models small
 * enough that the chains' pooled covariance estimates it well. A dense metric whitens correlated
 * posteriors (BG/NBD's a and b correlate at 0.95 on CDNOW), so trajectories need far fewer
 * leapfrog steps than with a diagonal one; it costs one [dim, dim] matMul per leapfrog step.
 */
import * as tf from '@tensorflow/tfjs';
import { cholesky } from './laplace';

/** Models up to this many parameters get a dense metric (when enough draws estimate it). */
export const DENSE_MAX_DIM = 64;
/** A dense estimate needs at least this many pooled draws per parameter, else the diagonal is used. */
const DENSE_MIN_DRAWS_PER_DIM = 10;

export type Metric =
  /** `[dim]` posterior variances. */
  | { readonly kind: 'diag'; readonly invMass: tf.Tensor1D }
  /** `[dim, dim]` posterior covariance and `[dim, dim]` the inverse of its lower Cholesky factor. */
  | { readonly kind: 'dense'; readonly invMass: tf.Tensor2D; readonly cholInv: tf.Tensor2D };

/** Host-side values of a metric, as estimated (row-major covariance for dense). */
export type MetricValues = { kind: 'diag'; variances: Float64Array } | { kind: 'dense'; covariance: Float64Array };

/** Uploads a metric; a dense covariance that is not positive definite falls back to its diagonal. */
export function createMetric(values: MetricValues): Metric {
  if (values.kind === 'dense') {
    const dim = Math.round(Math.sqrt(values.covariance.length));
    const l = cholesky(values.covariance, dim);
    if (l) {
      return {
        kind: 'dense',
        invMass: tf.tensor2d(Float32Array.from(values.covariance), [dim, dim]),
        cholInv: tf.tensor2d(Float32Array.from(lowerInverse(l, dim)), [dim, dim]),
      };
    }
    return createMetric({ kind: 'diag', variances: diagonal(values.covariance, dim) });
  }
  return { kind: 'diag', invMass: tf.tensor1d(Float32Array.from(values.variances)) };
}

export function disposeMetric(m: Metric): void {
  tf.dispose(m.kind === 'dense' ? [m.invMass, m.cholInv] : [m.invMass]);
}

/** Momentum p ~ N(0, M) for each chain, M = invMass^-1: `[chains, dim]`. */
export function sampleMomentum(m: Metric, chains: number, dim: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const z = tf.randomNormal([chains, dim], 0, 1, 'float32', seed) as tf.Tensor2D;
    // Dense: invMass = L L^T, so p = z L^-1 (rows) has covariance L^-T L^-1 = invMass^-1.
    return m.kind === 'dense' ? tf.matMul(z, m.cholInv) : (tf.div(z, tf.sqrt(m.invMass)) as tf.Tensor2D);
  });
}

/** Velocity dq/dt = invMass p, `[chains, dim]`. */
export function velocity(m: Metric, p: tf.Tensor2D): tf.Tensor2D {
  return m.kind === 'dense' ? tf.matMul(p, m.invMass) : (tf.mul(p, m.invMass) as tf.Tensor2D);
}

/** Kinetic energy p' invMass p / 2 per chain, `[chains]`. */
export function kineticEnergy(m: Metric, p: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(p, velocity(m, p)), 1)) as tf.Tensor1D);
}

/** Pooled first and second moments of draws over a warm-up window (second: full matrix when dense). */
export interface Moments {
  n: number;
  s1: Float64Array;
  /** `dim` sums of squares (diagonal) or `dim * dim` sums of outer products (dense). */
  s2: Float64Array;
  dense: boolean;
}

export function emptyMoments(dim: number, dense: boolean): Moments {
  return { n: 0, s1: new Float64Array(dim), s2: new Float64Array(dense ? dim * dim : dim), dense };
}

/** Whether a model of `dim` parameters estimates a dense metric. */
export function usesDenseMetric(dim: number): boolean {
  return dim >= 2 && dim <= DENSE_MAX_DIM;
}

/**
 * The metric from a window's moments, shrunk as Stan regularises its metric: n / (n + 5) Sigma +
 * 1e-3 * 5 / (n + 5) I. Too few draws for a dense estimate, or a non-finite one, gives the
 * diagonal; a non-finite variance keeps the previous value.
 */
export function estimateMetric(m: Moments, previous: MetricValues): MetricValues {
  const dim = m.s1.length;
  const mean = Array.from(m.s1, (v) => v / m.n);
  const shrink = m.n / (m.n + 5);
  const floor = 1e-3 * (5 / (m.n + 5));
  const unbias = m.n / (m.n - 1);
  const prevVar = previous.kind === 'diag' ? previous.variances : diagonal(previous.covariance, dim);
  if (m.dense && m.n >= DENSE_MIN_DRAWS_PER_DIM * dim) {
    const cov = new Float64Array(dim * dim);
    let finite = true;
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        const c = (m.s2[i * dim + j] / m.n - mean[i] * mean[j]) * unbias;
        cov[i * dim + j] = shrink * c + (i === j ? floor : 0);
        if (!Number.isFinite(cov[i * dim + j])) finite = false;
      }
    }
    if (finite && cholesky(cov, dim)) return { kind: 'dense', covariance: cov };
  }
  const variances = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const s2 = m.dense ? m.s2[i * dim + i] : m.s2[i];
    const v = shrink * Math.max(0, s2 / m.n - mean[i] * mean[i]) * unbias + floor;
    variances[i] = Number.isFinite(v) && v > 0 ? v : prevVar[i];
  }
  return { kind: 'diag', variances };
}

/** The covariance (inverse) of a symmetric positive-definite precision matrix, or undefined if it is not. */
export function covarianceFromPrecision(precision: Float64Array, dim: number): Float64Array | undefined {
  const l = cholesky(precision, dim);
  if (!l) return undefined;
  // P = L L^T, so P^-1 = L^-T L^-1.
  const li = lowerInverse(l, dim);
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < dim; k++) s += li[k * dim + i] * li[k * dim + j];
      cov[i * dim + j] = s;
      cov[j * dim + i] = s;
    }
  }
  return cov;
}

function diagonal(a: Float64Array, dim: number): Float64Array {
  return Float64Array.from({ length: dim }, (_, i) => a[i * dim + i]);
}

/** Inverse of a lower-triangular matrix (row-major), by forward substitution. */
function lowerInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * n + k] * inv[k * n + j];
      inv[i * n + j] = -s / l[i * n + i];
    }
  }
  return inv;
}
