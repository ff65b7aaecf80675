/**
 * The sampling driver: MAP, Laplace-jittered initial positions, ChEES-HMC warm-up (step size,
 * trajectory length, metric from cross-chain moments: dense for small models, diagonal beyond
 * DENSE_MAX_DIM), then sampling. One device
 * read-back per transition; every tensor of a transition is disposed before the next.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../api/errors';
import {
  cheesCurrent,
  cheesFinal,
  cheesInit,
  cheesRestartStepSize,
  cheesUpdate,
  harmonicMeanAcceptance,
} from './adaptation/chees';
import { disposeAll, hmcInit, hmcStep, type HmcState } from './chees-hmc';
import { halton } from './halton';
import { laplaceDraws, RUNAWAY_UNCONSTRAINED } from './laplace';
import { findMap } from './map';
import {
  covarianceFromPrecision,
  createMetric,
  disposeMetric,
  emptyMoments,
  estimateMetric,
  usesDenseMetric,
  type MetricValues,
} from './metric';
import { createPosterior } from './posterior';
import { createRng } from './rng';
import { createYielder } from './yield';
import type { CompiledModel, Posterior, StepReport } from './types';

/** Most leapfrog steps per transition: bounds the cost of one transition (each step is a gradient). */
export const MAX_LEAPFROG_STEPS = 256;
/**
 * Warm-up schedule as fractions of the warm-up: the metric is re-estimated from the
 * chains' pooled moments over each window, and step-size dual averaging restarts after each update.
 * The final quarter adapts step size and trajectory length to the final metric only.
 */
const MASS_WINDOWS: readonly [number, number][] = [
  [0.1, 0.35],
  [0.35, 0.75],
];


export interface SampleOptions {
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  /** Unconstrained centre to start from (default: the MAP). */
  init?: Float32Array;
  onProgress?: (r: StepReport) => void;
  signal?: AbortSignal;
}

export interface SampleResult {
  posterior: Posterior;
  /** Divergent transitions during sampling (all chains). */
  divergences: number;
  stepSize: number;
  trajectoryLength: number;
  /** Mean Metropolis acceptance during sampling. */
  acceptance: number;
  warmupMs: number;
  samplingMs: number;
}

/** Draws from the model's posterior with ChEES-HMC over `chains` chains. */
export async function sample(model: CompiledModel, opts: SampleOptions): Promise<SampleResult> {
  const { chains, warmup, draws } = opts;
  if (!(chains >= 1 && draws >= 1 && warmup >= 0)) throw new Error('sample: chains and draws must be positive.');
  const dim = model.dim;
  const rng = createRng(opts.seed);
  const t0 = performance.now();
  const tick = createYielder();
  const check = () => {
    if (opts.signal?.aborted) throw new CancelledError();
  };

  // Start: the mode, then chains spread by the Laplace approximation so all begin near the typical
  // set. A posterior without a proper mode (a hierarchical scale whose density grows towards 0, as
  // in Neal's funnel) sends the optimiser off to the boundary: then chains start as Stan's do,
  // uniform on (-2, 2) in the unconstrained space, and warm-up finds the typical set; so do they
  // where the model asks (`sampling.start`). The mode stays the fallback for a non-finite start.
  const map = await findMap(model, { init: opts.init, signal: opts.signal, onProgress: opts.onProgress });
  check();
  const mode = map.point;
  const dense = usesDenseMetric(dim);
  const degenerate = !map.converged || mode.some((v) => !(Math.abs(v) < RUNAWAY_UNCONSTRAINED));
  let starts: Float32Array = new Float32Array(chains * dim);
  let laplaceCovariance: Float64Array | undefined;
  if (degenerate || model.sampling?.start === 'spread') {
    for (let k = 0; k < starts.length; k++) starts[k] = 4 * rng.uniform() - 2;
  } else {
    try {
      const laplace = await laplaceDraws(model, mode, chains, rng.normal);
      starts = laplace.draws;
      if (dense) laplaceCovariance = covarianceFromPrecision(laplace.precision, dim);
    } catch {
      for (let c = 0; c < chains; c++) for (let i = 0; i < dim; i++) starts[c * dim + i] = mode[i] + 0.1 * rng.normal();
    }
  }
  let state = await initialState(model, starts, mode, chains);

  // The first metric: the Laplace covariance when dense (exact for a Gaussian posterior), else the
  // starts' cross-chain variances.
  let metricValues: MetricValues = laplaceCovariance
    ? { kind: 'dense', covariance: laplaceCovariance }
    : { kind: 'diag', variances: initialInvMass(starts, chains, dim) };
  let metric = createMetric(metricValues);
  const firstStep = 0.5 / Math.pow(dim, 0.25);
  let adapt = cheesInit(firstStep, firstStep * 3, model.sampling?.acceptance);
  const windows = MASS_WINDOWS.map(([a, b]) => [Math.floor(a * warmup), Math.floor(b * warmup)] as const);
  let moment = emptyMoments(dim, dense);

  const names = model.names;
  const p = names.length;
  const values = new Float64Array(chains * draws * p);
  let divergences = 0;
  let acceptSum = 0;
  let warmupMs = 0;
  let stepSize = firstStep;
  let trajectoryLength = firstStep * 3;

  try {
    const total = warmup + draws;
    for (let it = 0; it < total; it++) {
      await tick();
      check();
      const warm = it < warmup;
      if (it === warmup) {
        ({ stepSize, trajectoryLength } = cheesFinal(adapt));
        warmupMs = performance.now() - t0;
      } else if (warm) {
        ({ stepSize, trajectoryLength } = cheesCurrent(adapt));
      }
      const jitter = halton(it);
      const numSteps = Math.min(MAX_LEAPFROG_STEPS, Math.max(1, Math.ceil((jitter * trajectoryLength) / stepSize)));
      const { state: next, info } = hmcStep(model, state, { stepSize, numSteps, metric }, rng.seed());
      // The transition's starting positions, which the ChEES criterion compares the proposals with
      // (BlackJAX's `initial_positions`): kept until the statistics are read.
      const before = state;
      state = next;

      const inWindow = warm && windows.some(([a, b]) => it >= a && it < b);
      // One read-back: [accept (C), divergent (C), ChEES terms (2C)?, moments (D + D or D*D)?, draws (C*P)?].
      const packed = tf.tidy(() => {
        const parts: tf.Tensor[] = [info.acceptProb, info.divergent];
        if (warm) {
          const centre = (x: tf.Tensor2D) => tf.sub(x, tf.mean(x, 0));
          const prop = centre(info.proposal);
          const start = centre(before.position);
          parts.push(tf.sub(tf.sum(tf.square(prop), 1), tf.sum(tf.square(start), 1)));
          parts.push(tf.sum(tf.mul(prop, info.velocity), 1));
        }
        if (inWindow) {
          const q = state.position;
          parts.push(tf.sum(q, 0), dense ? tf.matMul(q, q, true, false) : tf.sum(tf.square(q), 0));
        }
        if (!warm) parts.push(tf.reshape(model.constrain(state.position), [-1]));
        return tf.concat(parts.map((t) => tf.reshape(t, [-1])));
      });
      disposeAll(info);
      disposeAll(before);
      const data = await packed.data();
      packed.dispose();

      const acceptProb = data.subarray(0, chains);
      const divergent = data.subarray(chains, 2 * chains);
      let off = 2 * chains;
      let divergentNow = 0;
      let acceptMean = 0;
      for (let c = 0; c < chains; c++) {
        divergentNow += divergent[c] > 0.5 ? 1 : 0;
        acceptMean += acceptProb[c] / chains;
      }
      if (warm) {
        const maxT = MAX_LEAPFROG_STEPS * stepSize;
        adapt = cheesUpdate(
          adapt,
          {
            acceptProb,
            divergent,
            sqDistChange: data.subarray(off, off + chains),
            centredDotVelocity: data.subarray(off + chains, off + 2 * chains),
            jitter,
          },
          maxT,
        );
        off += 2 * chains;
        if (inWindow) {
          for (let i = 0; i < dim; i++) moment.s1[i] += data[off + i];
          for (let i = 0; i < moment.s2.length; i++) moment.s2[i] += data[off + dim + i];
          moment.n += chains;
          off += dim + moment.s2.length;
        }
        const endsWindow = windows.find(([, b]) => it === b - 1);
        if (endsWindow && moment.n > 1) {
          metricValues = estimateMetric(moment, metricValues);
          disposeMetric(metric);
          metric = createMetric(metricValues);
          adapt = cheesRestartStepSize(adapt, cheesCurrent(adapt).stepSize);
          moment = emptyMoments(dim, dense);
        }
      } else {
        const d = it - warmup;
        for (let c = 0; c < chains; c++) {
          values.set(data.subarray(off + c * p, off + (c + 1) * p), (c * draws + d) * p);
        }
        divergences += divergentNow;
        acceptSum += acceptMean;
      }
      opts.onProgress?.({
        phase: warm ? 'warmup' : 'sampling',
        iteration: warm ? it + 1 : it - warmup + 1,
        total: warm ? warmup : draws,
        stepSize,
        acceptance: warm ? harmonicMeanAcceptance(acceptProb, divergent) : acceptMean,
        divergences: warm ? divergentNow : divergences,
        trajectoryLength,
      });
    }
  } finally {
    disposeAll(state);
    disposeMetric(metric);
  }
  if (warmup === 0) warmupMs = 0;
  const samplingMs = performance.now() - t0 - warmupMs;
  return {
    posterior: createPosterior(names, chains, draws, values),
    divergences,
    stepSize,
    trajectoryLength,
    acceptance: acceptSum / draws,
    warmupMs,
    samplingMs,
  };
}

/**
 * The initial HMC state at `starts` `[chains, dim]`; a chain whose start has a non-finite log
 * density (a Laplace draw in a tail where the model underflows) starts at the mode instead.
 */
async function initialState(model: CompiledModel, starts: Float32Array, mode: Float32Array, chains: number): Promise<HmcState> {
  const dim = model.dim;
  const position = tf.tensor2d(starts, [chains, dim]);
  const state = hmcInit(model, position);
  position.dispose();
  const [lp, g] = await Promise.all([state.logp.data(), state.grad.data()]);
  let replaced = false;
  for (let c = 0; c < chains; c++) {
    let ok = Number.isFinite(lp[c]);
    for (let i = 0; i < dim && ok; i++) ok = Number.isFinite(g[c * dim + i]);
    if (!ok) {
      starts.set(mode, c * dim);
      replaced = true;
    }
  }
  if (!replaced) return state;
  disposeAll(state);
  const fixed = tf.tensor2d(starts, [chains, dim]);
  const out = hmcInit(model, fixed);
  fixed.dispose();
  return out;
}

/** Cross-chain variance of the starting points, or ones with too few chains to estimate it. */
function initialInvMass(starts: Float32Array, chains: number, dim: number): Float64Array {
  const out = new Float64Array(dim).fill(1);
  if (chains < 4) return out;
  for (let i = 0; i < dim; i++) {
    let s1 = 0;
    let s2 = 0;
    for (let c = 0; c < chains; c++) {
      const v = starts[c * dim + i];
      s1 += v;
      s2 += v * v;
    }
    const mean = s1 / chains;
    const variance = s2 / chains - mean * mean;
    if (variance > 1e-10 && Number.isFinite(variance)) out[i] = variance;
  }
  return out;
}
