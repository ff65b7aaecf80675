/**
 * Laplace approximation at a mode: a Gaussian on the unconstrained space with the negative inverse
 * Hessian of the log density as covariance, sampled independently and mapped to the constrained
 * space. It gives the fast "MAP" answers an honest (approximate) uncertainty.
 */
import * as tf from '@tensorflow/tfjs';
import { runawayColumns, RUNAWAY_UNCONSTRAINED } from './runaway';
import { findMap, type MapResult } from './map';
import { createPosterior } from './posterior';
import { paretoK } from './psis';
import type { LaplaceCheck } from '../api/types';
import type { CompiledModel, Posterior, StepReport } from './types';

/** Relative finite-difference step for the Hessian (central differences of float32 gradients). */
const FD_STEP = 1e-3;

/**
 * Hessian of the log density at `point` by central differences of the gradient, all 2*dim
 * evaluations in one batched call. Symmetrised. Returns a dim x dim row-major Float64Array.
 */
export async function hessianAt(model: CompiledModel, point: ArrayLike<number>): Promise<Float64Array> {
  const dim = model.dim;
  const steps = Array.from({ length: dim }, (_, i) => FD_STEP * Math.max(1, Math.abs(point[i])));
  const grads = tf.tidy(() => {
    const rows = new Float32Array(2 * dim * dim);
    for (let k = 0; k < 2 * dim; k++) {
      const i = k >> 1;
      for (let j = 0; j < dim; j++) rows[k * dim + j] = point[j];
      rows[k * dim + i] += k % 2 === 0 ? steps[i] : -steps[i];
    }
    const theta = tf.tensor2d(rows, [2 * dim, dim]);
    return tf.grad((t: tf.Tensor) => tf.sum(model.logDensity(t as tf.Tensor2D)))(theta);
  });
  const g = await grads.data();
  grads.dispose();
  const h = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      h[i * dim + j] = (g[2 * i * dim + j] - g[(2 * i + 1) * dim + j]) / (2 * steps[i]);
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (h[i * dim + j] + h[j * dim + i]);
      h[i * dim + j] = s;
      h[j * dim + i] = s;
    }
  }
  return h;
}

/** Lower Cholesky factor of a symmetric positive-definite matrix, or undefined if it is not. */
export function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

export interface LaplaceResult {
  /** Precision matrix (negative Hessian) of the free coordinates, after any diagonal regularisation. */
  precision: Float64Array;
  /** Diagonal jitter added to make the precision positive definite (0 when none was needed). */
  jitter: number;
  /** Unconstrained draws `[n, dim]` row-major. */
  draws: Float32Array;
  /** Each draw's log density under the approximation, up to a constant shared by all: -||z||^2 / 2. */
  logProposal: Float64Array;
}

/**
 * Draws `n` independent samples from N(mode, (-H)^-1). If -H is not positive definite (a flat or
 * saddle direction), the smallest diagonal jitter that makes it so is added and reported.
 * `normal` supplies standard-normal variates (seeded by the caller).
 */
export async function laplaceDraws(
  model: CompiledModel,
  mode: ArrayLike<number>,
  n: number,
  normal: () => number,
): Promise<LaplaceResult> {
  const dim = model.dim;
  const hessian = await hessianAt(model, mode);
  const precision = hessian.map((h) => -h);
  if (!precision.every(Number.isFinite)) {
    throw new Error('The log density has a non-finite curvature at its mode (the gradient overflows there).');
  }
  let jitter = 0;
  let l = cholesky(precision, dim);
  const scale = Math.max(1e-8, ...Array.from({ length: dim }, (_, i) => Math.abs(precision[i * dim + i])));
  while (!l) {
    jitter = jitter === 0 ? 1e-8 * scale : jitter * 10;
    if (jitter > 1e6 * scale) throw new Error('The log density has no finite curvature at its mode.');
    const regularised = precision.slice();
    for (let i = 0; i < dim; i++) regularised[i * dim + i] += jitter;
    l = cholesky(regularised, dim);
    if (l) precision.set(regularised);
  }
  // x = mode + L^-T z, where precision = L L^T, so cov(x) = (L L^T)^-1.
  const draws = new Float32Array(n * dim);
  const logProposal = new Float64Array(n);
  const z = new Float64Array(dim);
  for (let s = 0; s < n; s++) {
    let sq = 0;
    for (let i = 0; i < dim; i++) {
      z[i] = normal();
      sq += z[i] * z[i];
    }
    logProposal[s] = -0.5 * sq;
    for (let i = dim - 1; i >= 0; i--) {
      let v = z[i];
      for (let k = i + 1; k < dim; k++) v -= l[k * dim + i] * z[k];
      z[i] = v / l[i * dim + i];
    }
    for (let i = 0; i < dim; i++) draws[s * dim + i] = mode[i] + z[i];
  }
  return { precision, jitter, draws, logProposal };
}

/**
 * The one Laplace path (a MAP fit's answer, and the sampler's starting points): the mode on the
 * unconstrained space from `init` (default the model's initial point), then, unless `wanted` says
 * not for this mode, `n` draws of the Gaussian there. A failure of the approximation (no finite
 * curvature) is returned, not thrown: the sampler starts elsewhere, a MAP fit reports it.
 */
export async function laplaceAtMode(
  model: CompiledModel,
  opts: {
    n: number;
    normal: () => number;
    init?: Float32Array;
    wanted?: (map: MapResult) => boolean;
    signal?: AbortSignal;
    onProgress?: (r: StepReport) => void;
  },
): Promise<{ map: MapResult; laplace?: LaplaceResult; failure?: Error }> {
  const map = await findMap(model, { init: opts.init, signal: opts.signal, onProgress: opts.onProgress });
  if (opts.wanted && !opts.wanted(map)) return { map };
  try {
    return { map, laplace: await laplaceDraws(model, map.point, opts.n, opts.normal) };
  } catch (error) {
    return { map, failure: error instanceof Error ? error : new Error(String(error)) };
  }
}

export interface LaplaceFit {
  /** The approximation's independent draws, constrained, read as 4 groups ("chains"). */
  posterior: Posterior;
  /** The posterior mode on the constrained scale (the MLE under flat priors), in `model.names` order. */
  mode: Float64Array;
  check: LaplaceCheck;
}

/** Re-exported for the sampler's degenerate-mode check (see runaway.ts). */
export { RUNAWAY_UNCONSTRAINED };
/** Log densities evaluated per batch for the importance ratios (bounds the memory of a large model). */
const RATIO_BATCH = 250;

/**
 * MAP + Laplace: the mode on the unconstrained space, `n` independent draws from the Gaussian
 * there, their Pareto k against the posterior, and the mode on the constrained scale (what a user
 * means by "the MAP": the optimum of the density without the bijectors' Jacobians, started from the
 * first mode).
 */
export async function laplaceFit(
  model: CompiledModel,
  opts: { n: number; normal: () => number; signal?: AbortSignal; onProgress?: (r: StepReport) => void },
): Promise<LaplaceFit> {
  const { map, laplace, failure } = await laplaceAtMode(model, opts);
  if (!laplace) throw failure;
  const dim = model.dim;
  const logTarget = new Float64Array(opts.n);
  for (let start = 0; start < opts.n; start += RATIO_BATCH) {
    const rows = Math.min(RATIO_BATCH, opts.n - start);
    const lp = tf.tidy(() => model.logDensity(tf.tensor2d(laplace.draws.subarray(start * dim, (start + rows) * dim), [rows, dim])));
    logTarget.set(await lp.data(), start);
    lp.dispose();
  }
  const paretoKValue = paretoK(logTarget.map((v, i) => v - laplace.logProposal[i]));
  const c = tf.tidy(() => model.constrain(tf.tensor2d(laplace.draws, [opts.n, dim])));
  const values = Float64Array.from(await c.data());
  c.dispose();
  let mode = map.constrained;
  if (model.modeDensity) {
    const constrainedMap = await findMap({ ...model, logDensity: model.modeDensity }, { init: map.point, signal: opts.signal });
    if (constrainedMap.constrained.every(Number.isFinite)) mode = constrainedMap.constrained;
  }
  const names = model.names;
  // A mode coordinate past the bound: the optimiser ran off to a boundary, there is no proper mode.
  const coordinates = dim === names.length ? names : Array.from({ length: dim }, (_, i) => `unconstrained coordinate ${i + 1}`);
  const runaway = runawayColumns(coordinates, map.point.map((u) => (Number.isNaN(u) ? Infinity : u)), RUNAWAY_UNCONSTRAINED);
  return {
    posterior: createPosterior(names, 4, opts.n / 4, values),
    mode,
    check: { paretoK: paretoKValue, converged: map.converged, iterations: map.iterations, jitter: laplace.jitter, runaway },
  };
}
