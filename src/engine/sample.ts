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
/** A step size below this after warm-up means the adaptation collapsed (the chains barely move). */
export const COLLAPSED_STEP_SIZE = 1e-6;
/** A mean acceptance below this over the draws means the adaptation failed (nearly every proposal refused). */
export const FAILED_ACCEPTANCE = 0.05;
/** Fresh warm-ups an extended run may take when the adaptation failed or the chains diverged. */
export const MAX_FRESH_WARMUPS = 2;
/** Iterations of a fresh warm-up at least (the planned warm-up when longer). */
const MIN_FRESH_WARMUP = 200;

/** Why the draws so far are not enough, and how many more per chain would likely fix it. */
export interface ExtendRequest {
  /** What fails, in words, e.g. "R-hat 1.03 at sigma"; progress messages start with it. */
  reason: string;
  /** More draws per chain wanted (the sampler takes fewer when the cap or the budget says so). */
  draws: number;
  /**
   * More draws cannot fix it (divergent transitions, which stay in the count): warm up afresh from
   * the chains' last positions and draw again, dropping the draws so far.
   */
  warmup?: boolean;
}

/**
 * "Until converged": after the planned draws, `check` judges the draws so far; while it asks for
 * more, the chains continue from their last state with the adapted step size, trajectory length
 * and metric (or warm up afresh when the adaptation failed), until it passes, the draws per chain
 * reach `maxDraws`, or the clock passes `deadline`.
 */
export interface ExtendOptions {
  /** `performance.now()` when the budget started (the fit's start): progress messages count from it. */
  startedAt: number;
  /** `performance.now()` past which no more draws are taken. */
  deadline: number;
  /** Most draws per chain kept in all, the planned ones included (bounds memory). */
  maxDraws: number;
  /**
   * Undefined when the draws pass, else what fails; `divergences` counts the divergent transitions
   * among them. Called after the planned draws and after each extension.
   */
  check(posterior: Posterior, divergences: number): ExtendRequest | undefined;
}

/** Why an extended run stopped: it passed, or the budget, the draw cap or the fresh warm-ups ran out. */
export type ExtendStop = 'passed' | 'budget' | 'cap' | 'warmups';

/** What the "until converged" loop did. */
export interface ExtensionReport {
  /** Extensions taken (each a batch of more draws, or a fresh warm-up and new draws). */
  rounds: number;
  /** Fresh warm-ups among them. */
  warmups: number;
  stop: ExtendStop;
  /** The last check's reason when it did not pass. */
  reason?: string;
}

export interface SampleOptions {
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  /** Unconstrained centre to start from (default: the MAP). */
  init?: Float32Array;
  /** Take more draws while the draws fail a check (see ExtendOptions); absent: exactly `draws`. */
  extend?: ExtendOptions;
  onProgress?: (r: StepReport) => void;
  signal?: AbortSignal;
}

export interface SampleResult {
  /** The draws kept: the planned ones and every extension's (after a fresh warm-up, only the new ones). */
  posterior: Posterior;
  /** Divergent transitions among the kept draws (all chains). */
  divergences: number;
  stepSize: number;
  trajectoryLength: number;
  /** Mean Metropolis acceptance over the kept draws. */
  acceptance: number;
  warmupMs: number;
  samplingMs: number;
  /** Present when `extend` was given. */
  extension?: ExtensionReport;
}

/** `ms` as m:ss. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
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

  const names = model.names;
  const p = names.length;
  /** Kept draws, one block per batch, each laid out `[chain][draw][param]`. */
  let blocks: { values: Float64Array; draws: number }[] = [];
  let kept = 0;
  let divergences = 0;
  let acceptSum = 0;
  let warmupMs = 0;
  let drawMs = 0;
  let drawCount = 0;
  let stepSize = firstStep;
  let trajectoryLength = firstStep * 3;
  /** Transitions so far: the index into the Halton sequence that jitters trajectory lengths. */
  let step = 0;

  /** One transition of every chain; one read-back (see below), every tensor of it disposed. */
  async function transition(warm: boolean, inWindow: boolean) {
    const jitter = halton(step++);
    const numSteps = Math.min(MAX_LEAPFROG_STEPS, Math.max(1, Math.ceil((jitter * trajectoryLength) / stepSize)));
    const { state: next, info } = hmcStep(model, state, { stepSize, numSteps, metric }, rng.seed());
    // The transition's starting positions, which the ChEES criterion compares the proposals with
    // (BlackJAX's `initial_positions`): kept until the statistics are read.
    const before = state;
    state = next;
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
    let divergentNow = 0;
    let acceptMean = 0;
    for (let c = 0; c < chains; c++) {
      divergentNow += divergent[c] > 0.5 ? 1 : 0;
      acceptMean += acceptProb[c] / chains;
    }
    return { data, jitter, acceptProb, divergent, divergentNow, acceptMean };
  }

  /**
   * `iterations` warm-up transitions: step size and trajectory length by ChEES, the metric
   * re-estimated over the mass windows; ends on the averaged step size and trajectory length.
   */
  async function warmUp(iterations: number, message?: string): Promise<void> {
    const windows = MASS_WINDOWS.map(([a, b]) => [Math.floor(a * iterations), Math.floor(b * iterations)] as const);
    let moment = emptyMoments(dim, dense);
    for (let it = 0; it < iterations; it++) {
      await tick();
      check();
      ({ stepSize, trajectoryLength } = cheesCurrent(adapt));
      const inWindow = windows.some(([a, b]) => it >= a && it < b);
      const { data, jitter, acceptProb, divergent, divergentNow } = await transition(true, inWindow);
      let off = 2 * chains;
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
      }
      const endsWindow = windows.find(([, b]) => it === b - 1);
      if (endsWindow && moment.n > 1) {
        metricValues = estimateMetric(moment, metricValues);
        disposeMetric(metric);
        metric = createMetric(metricValues);
        adapt = cheesRestartStepSize(adapt, cheesCurrent(adapt).stepSize);
        moment = emptyMoments(dim, dense);
      }
      opts.onProgress?.({
        phase: 'warmup',
        iteration: it + 1,
        total: iterations,
        stepSize,
        acceptance: harmonicMeanAcceptance(acceptProb, divergent),
        divergences: divergentNow,
        trajectoryLength,
        ...(message ? { message } : {}),
      });
    }
    ({ stepSize, trajectoryLength } = cheesFinal(adapt));
  }

  /** Up to `n` more draws per chain (fewer if the clock passes `deadline`); returns how many. */
  async function drawMore(n: number, message?: string, deadline = Infinity): Promise<number> {
    const block = new Float64Array(chains * n * p);
    let d = 0;
    for (; d < n && !(performance.now() > deadline); d++) {
      await tick();
      check();
      const t = performance.now();
      const { data, divergentNow, acceptMean } = await transition(false, false);
      const off = 2 * chains;
      for (let c = 0; c < chains; c++) block.set(data.subarray(off + c * p, off + (c + 1) * p), (c * n + d) * p);
      divergences += divergentNow;
      acceptSum += acceptMean;
      drawMs += performance.now() - t;
      drawCount++;
      opts.onProgress?.({
        phase: 'sampling',
        iteration: kept + d + 1,
        total: kept + n,
        stepSize,
        acceptance: acceptMean,
        divergences,
        trajectoryLength,
        ...(message ? { message } : {}),
      });
    }
    if (d > 0) blocks.push({ values: d === n ? block : firstDraws(block, chains, n, d, p), draws: d });
    kept += d;
    return d;
  }

  /** A fresh start of the adaptation from the chains' last positions (their spread as the first metric). */
  async function resetAdaptation(): Promise<void> {
    const positions = (await state.position.data()) as Float32Array;
    metricValues = { kind: 'diag', variances: initialInvMass(positions, chains, dim) };
    disposeMetric(metric);
    metric = createMetric(metricValues);
    adapt = cheesInit(firstStep, firstStep * 3, model.sampling?.acceptance);
    blocks = [];
    kept = 0;
    divergences = 0;
    acceptSum = 0;
  }

  const posteriorSoFar = () => createPosterior(names, chains, kept, joinBlocks(blocks, chains, kept, p));

  /** The "until converged" loop (see ExtendOptions). */
  async function extendUntil(ext: ExtendOptions): Promise<ExtensionReport> {
    const report: ExtensionReport = { rounds: 0, warmups: 0, stop: 'passed' };
    const used = () => `(${clock(performance.now() - ext.startedAt)} of ${clock(ext.deadline - ext.startedAt)} used)`;
    for (;;) {
      let request = ext.check(posteriorSoFar(), divergences);
      if (!request) {
        delete report.reason;
        report.stop = 'passed';
        return report;
      }
      const acceptance = acceptSum / Math.max(1, kept);
      if (!(stepSize >= COLLAPSED_STEP_SIZE)) request = { ...request, reason: `step size collapsed to ${stepSize.toPrecision(2)}`, warmup: true };
      else if (!(acceptance >= FAILED_ACCEPTANCE)) request = { ...request, reason: `acceptance ${acceptance.toFixed(3)}`, warmup: true };
      report.reason = request.reason;
      const msPerDraw = drawMs / Math.max(1, drawCount);
      const left = ext.deadline - performance.now();
      if (request.warmup) {
        if (report.warmups >= MAX_FRESH_WARMUPS) return { ...report, stop: 'warmups' };
        const iterations = Math.max(warmup, MIN_FRESH_WARMUP);
        // The draws so far are dropped only for a warm-up and draws that fit in the budget
        // (a warm-up transition costs about a draw's), and the new draws are then all taken.
        if ((iterations + draws) * msPerDraw > left) return { ...report, stop: 'budget' };
        const message = `${request.reason}: a fresh warm-up (${iterations} iterations) and ${draws} new draws per chain ${used()}`;
        await resetAdaptation();
        const t = performance.now();
        await warmUp(iterations, message);
        warmupMs += performance.now() - t;
        await drawMore(draws, message);
        report.warmups++;
        report.rounds++;
        continue;
      }
      const room = ext.maxDraws - kept;
      if (room < 1) return { ...report, stop: 'cap' };
      const n = Math.min(Math.ceil(request.draws), room, Math.floor(left / Math.max(msPerDraw, 1e-3)));
      if (!(n >= 1)) return { ...report, stop: 'budget' };
      const got = await drawMore(n, `${request.reason}: sampling ${n} more draws per chain ${used()}`, ext.deadline);
      report.rounds++;
      if (got < n) {
        // The clock ran out during the extension: judge what was drawn, and stop there.
        const last = ext.check(posteriorSoFar(), divergences);
        return last ? { ...report, reason: last.reason, stop: 'budget' } : { rounds: report.rounds, warmups: report.warmups, stop: 'passed' };
      }
    }
  }

  let extension: ExtensionReport | undefined;
  try {
    await warmUp(warmup);
    warmupMs = warmup === 0 ? 0 : performance.now() - t0;
    await drawMore(draws);
    if (opts.extend) extension = await extendUntil(opts.extend);
  } finally {
    disposeAll(state);
    disposeMetric(metric);
  }
  const samplingMs = performance.now() - t0 - warmupMs;
  return {
    posterior: posteriorSoFar(),
    divergences,
    stepSize,
    trajectoryLength,
    acceptance: acceptSum / kept,
    warmupMs,
    samplingMs,
    ...(extension ? { extension } : {}),
  };
}

/** The first `d` of `n` draws per chain of a block `[chain][n][p]`, as `[chain][d][p]`. */
function firstDraws(block: Float64Array, chains: number, n: number, d: number, p: number): Float64Array {
  const out = new Float64Array(chains * d * p);
  for (let c = 0; c < chains; c++) out.set(block.subarray(c * n * p, (c * n + d) * p), c * d * p);
  return out;
}

/** Blocks of draws `[chain][draws_b][p]`, one after another per chain, as one `[chain][total][p]`. */
function joinBlocks(blocks: readonly { values: Float64Array; draws: number }[], chains: number, total: number, p: number): Float64Array {
  if (blocks.length === 1) return blocks[0].values;
  const out = new Float64Array(chains * total * p);
  let at = 0;
  for (const b of blocks) {
    for (let c = 0; c < chains; c++) out.set(b.values.subarray(c * b.draws * p, (c + 1) * b.draws * p), (c * total + at) * p);
    at += b.draws;
  }
  return out;
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
