/**
 * Maximum a posteriori by L-BFGS (Nocedal & Wright 2006, alg. 7.4/7.5) on the unconstrained space:
 * the instant answer, and the centre the samplers start from. The log density and gradient are
 * float32 tensors; the quasi-Newton algebra runs in float64 on the CPU (dim is small).
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError, InputError } from '../api/errors';
import { logpAndGrad } from './gradient';
import type { CompiledModel, StepReport } from './types';
import { createYielder } from './yield';

/** Pairs kept by L-BFGS. */
const MEMORY = 10;
/** Armijo sufficient-decrease constant. */
const ARMIJO = 1e-4;
/**
 * Stop when the largest gradient element is below this times max(1, |f|)^(1/2): float32 sums of a
 * few thousand terms carry ~1e-7 |f| noise, so a purely absolute tolerance is unreachable.
 */
const GRAD_TOL = 1e-4;
/** Or when a whole iteration improves f by less than this, relatively, three times in a row. */
const REL_TOL = 1e-9;
/**
 * Default iteration cap. A 10-channel daily MMM (37 parameters) needs ~560 iterations on a year and
 * ~1,700 on three; the sampler starts from the mode only when it converged, so a low cap sent such
 * models to spread starts their chains never recovered from.
 */
const MAX_ITERATIONS = 2000;

export interface MapOptions {
  /** Unconstrained start (default the model's initial point). */
  init?: Float32Array;
  maxIterations?: number;
  onProgress?: (r: StepReport) => void;
  signal?: AbortSignal;
}

export interface MapResult {
  /** Unconstrained mode, length dim. */
  point: Float32Array;
  /** Constrained values at the mode, in `model.names` order. */
  constrained: Float64Array;
  /** Log density at the mode (as compiled: priors and Jacobian included unless turned off). */
  logDensity: number;
  iterations: number;
  converged: boolean;
}

async function evaluate(model: CompiledModel, x: Float64Array): Promise<{ f: number; g: Float64Array }> {
  const { logp, grad } = tf.tidy(() => logpAndGrad(model, tf.tensor2d(Float32Array.from(x), [1, x.length])));
  const [lp, gr] = await Promise.all([logp.data(), grad.data()]);
  logp.dispose();
  grad.dispose();
  const g = new Float64Array(x.length);
  let finite = Number.isFinite(lp[0]);
  for (let i = 0; i < x.length; i++) {
    g[i] = -gr[i];
    if (!Number.isFinite(g[i])) finite = false;
  }
  return { f: finite ? -lp[0] : Infinity, g };
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Finds the mode of the model's log density. Throws InputError when it is not finite at the start. */
export async function findMap(model: CompiledModel, opts: MapOptions = {}): Promise<MapResult> {
  const dim = model.dim;
  const maxIterations = opts.maxIterations ?? MAX_ITERATIONS;
  let x = Float64Array.from(opts.init ?? model.initialPoint());
  let { f, g } = await evaluate(model, x);
  if (!Number.isFinite(f)) {
    throw new InputError('The model cannot be evaluated at its starting values (the log density is not finite): check the data for extreme values.');
  }
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  let converged = false;
  let stalls = 0;
  let iter = 0;
  const tick = createYielder();
  for (; iter < maxIterations; iter++) {
    await tick();
    if (opts.signal?.aborted) throw new CancelledError();
    if (maxAbs(g) < GRAD_TOL * Math.sqrt(Math.max(1, Math.abs(f)))) {
      converged = true;
      break;
    }
    // Two-loop recursion: d = -H g.
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let k = sList.length - 1; k >= 0; k--) {
      const a = dot(sList[k], q) / dot(yList[k], sList[k]);
      alphas[k] = a;
      for (let i = 0; i < dim; i++) q[i] -= a * yList[k][i];
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last], yList[last]) / dot(yList[last], yList[last]);
      for (let i = 0; i < dim; i++) q[i] *= gamma;
    } else {
      const scale = 1 / Math.max(1, maxAbs(g));
      for (let i = 0; i < dim; i++) q[i] *= scale;
    }
    for (let k = 0; k < sList.length; k++) {
      const b = dot(yList[k], q) / dot(yList[k], sList[k]);
      for (let i = 0; i < dim; i++) q[i] += sList[k][i] * (alphas[k] - b);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (noisy curvature pairs): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      for (let i = 0; i < dim; i++) d[i] = -g[i] / Math.max(1, maxAbs(g));
      slope = dot(g, d);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let accepted: { x: Float64Array; f: number; g: Float64Array } | undefined;
    for (let ls = 0; ls < 40; ls++) {
      const xNew = x.map((v, i) => v + step * d[i]);
      const trial = await evaluate(model, xNew);
      if (Number.isFinite(trial.f) && trial.f <= f + ARMIJO * step * slope) {
        accepted = { x: xNew, ...trial };
        break;
      }
      step *= ls === 0 && !Number.isFinite(trial.f) ? 0.1 : 0.5;
    }
    if (!accepted) {
      // No decrease possible along d at float32 resolution: we are at the noise floor.
      converged = maxAbs(g) < 1e-2 * Math.sqrt(Math.max(1, Math.abs(f)));
      break;
    }
    const s = accepted.x.map((v, i) => v - x[i]);
    const y = accepted.g.map((v, i) => v - g[i]);
    if (dot(s, y) > 1e-12 * dot(y, y)) {
      sList.push(s);
      yList.push(y);
      if (sList.length > MEMORY) {
        sList.shift();
        yList.shift();
      }
    }
    const improvement = f - accepted.f;
    x = Float64Array.from(accepted.x);
    f = accepted.f;
    g = accepted.g;
    opts.onProgress?.({ phase: 'map', iteration: iter + 1, total: maxIterations });
    stalls = improvement <= REL_TOL * Math.max(1, Math.abs(f)) ? stalls + 1 : 0;
    if (stalls >= 3) {
      converged = true;
      iter++;
      break;
    }
  }
  const point = Float32Array.from(x);
  const c = tf.tidy(() => model.constrain(tf.tensor2d(point, [1, dim])));
  const constrained = Float64Array.from(await c.data());
  c.dispose();
  return { point, constrained, logDensity: -f, iterations: iter, converged };
}
