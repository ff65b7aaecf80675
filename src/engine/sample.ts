/**
 * The sampling driver: init (the mode, chains spread by its Laplace approximation), warm-up
 * (ChEES-HMC's adaptation of step size, trajectory length and metric: `adaptation/chees.ts`), then
 * draws, and, "until converged", more draws or a fresh warm-up while a check asks. The chains may be
 * split into shares, one here and the others in other workers (`SampleOptions.peers`): they are
 * moved together as one (`joinChains`), tuned by one adaptation and drawn without talking.
 */
import { CancelledError } from '../api/errors';
import { cheesAdaptation, type CheesParameters } from './adaptation/chees';
import { createChains, joinChains, type Chains } from './chains';
import { laplaceAtMode, RUNAWAY_UNCONSTRAINED } from './laplace';
import { covarianceFromPrecision, usesDenseMetric, type MetricValues } from './metric';
import { createPosterior } from './posterior';
import { createRng, type Rng } from './rng';
import { createYielder } from './yield';
import type { CompiledModel, Posterior, StepReport } from './types';

export { MAX_LEAPFROG_STEPS } from './chains';

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
  /**
   * Other workers, each to run a share of the chains (this thread runs the first share): with `n`
   * peers the chains split into `n + 1` contiguous shares, at most one chain apart in size.
   */
  peers?: readonly OpenChains[];
}

/** A share of a run's chains, as handed to the worker that runs it. */
export interface ChainShare {
  /** `[chains, dim]` unconstrained starting points of the share's chains. */
  starts: Float32Array;
  /** The mode, where a chain whose start has no finite log density starts instead. */
  mode: Float32Array;
  /** The first metric. */
  metric: MetricValues;
  /** Seeds the share's random stream (split from the run's seed). */
  seed: number;
}

/** Opens a share of the chains somewhere (another worker); the Chains returned move them there. */
export type OpenChains = (share: ChainShare) => Promise<Chains>;

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
  const peers = opts.peers ?? [];
  const shares = shareSizes(chains, 1 + peers.length);
  const dim = model.dim;
  const names = model.names;
  const p = names.length;
  const [startRng, ...shareRngs] = createRng(opts.seed).split(1 + shares.length);
  const t0 = performance.now();
  const tick = createYielder();
  const check = () => {
    if (opts.signal?.aborted) throw new CancelledError();
  };

  // Init.
  const start = await startingPoints(model, chains, startRng, opts);
  check();
  const firstStep = 0.5 / Math.pow(dim, 0.25);
  const fresh = (metric: MetricValues): CheesParameters => ({ stepSize: firstStep, trajectoryLength: firstStep * 3, metric });
  let parameters = fresh(start.metric);

  /** Kept draws, one block per batch, each laid out `[chain][draw][param]`. */
  let blocks: { values: Float64Array; draws: number }[] = [];
  let kept = 0;
  let divergences = 0;
  let acceptSum = 0;
  let warmupMs = 0;
  let drawMs = 0;
  let drawCount = 0;
  /** Transitions so far: the index into the Halton sequence that jitters trajectory lengths. */
  let step = 0;
  /** What the current phase's progress reports say (an extension's reason). */
  let message: string | undefined;
  /** The current batch of draws, for the progress reports of this thread's share. */
  let batch = { n: 0, divergent: 0 };

  const seeds = shareRngs.map((r) => r.seed());
  const shareOf = (i: number) => {
    const from = shares.slice(0, i).reduce((a, b) => a + b, 0);
    return { starts: start.starts.slice(from * dim, (from + shares[i]) * dim), mode: start.mode, metric: start.metric, seed: seeds[i] };
  };
  const local = await createChains(model, shareOf(0).starts, start.mode, start.metric, createRng(seeds[0]), {
    signal: opts.signal,
    // Progress of the draws as this thread's share sees them (all of them when there are no peers).
    onDraw: (d, divergent, acceptance) => {
      batch.divergent += divergent;
      opts.onProgress?.({
        phase: 'sampling',
        iteration: kept + d + 1,
        total: kept + batch.n,
        stepSize: parameters.stepSize,
        acceptance,
        divergences: divergences + batch.divergent,
        trajectoryLength: parameters.trajectoryLength,
        ...(message ? { message } : {}),
      });
    },
  });
  const opened = await Promise.allSettled(peers.map((open, i) => open(shareOf(i + 1))));
  const all = joinChains([local, ...opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))]);
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    await all.dispose();
    throw failed.reason;
  }

  const adaptation = cheesAdaptation({
    dim,
    acceptance: model.sampling?.acceptance,
    nextStep: () => step++,
    tick: async () => {
      await tick();
      check();
    },
    onIteration: (r) => opts.onProgress?.({ phase: 'warmup', ...r, ...(message ? { message } : {}) }),
  });

  /** Up to `n` more draws per chain (fewer if the clock passes `deadline`); returns how many. */
  async function drawMore(n: number, deadline = Infinity): Promise<number> {
    check();
    const t = performance.now();
    batch = { n, divergent: 0 };
    const { stepSize, trajectoryLength } = parameters;
    const got = await all.draw({ n, stepSize, trajectoryLength, step, ...(deadline < Infinity ? { withinMs: deadline - t } : {}) });
    step += got.draws;
    for (let d = 0; d < got.draws; d++) {
      divergences += got.divergent[d];
      acceptSum += got.acceptSum[d] / chains;
    }
    drawMs += performance.now() - t;
    drawCount += got.draws;
    if (got.draws > 0) blocks.push({ values: got.values, draws: got.draws });
    kept += got.draws;
    return got.draws;
  }

  /** A fresh warm-up from the chains' last positions (their spread as the first metric), dropping the draws so far. */
  async function warmUpAfresh(iterations: number): Promise<void> {
    const positions = await all.positions();
    blocks = [];
    kept = 0;
    divergences = 0;
    acceptSum = 0;
    const t = performance.now();
    ({ parameters } = await adaptation.run(all, fresh({ kind: 'diag', variances: initialInvMass(positions, chains, dim) }), iterations));
    warmupMs += performance.now() - t;
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
      const { stepSize } = parameters;
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
        message = `${request.reason}: a fresh warm-up (${iterations} iterations) and ${draws} new draws per chain ${used()}`;
        await warmUpAfresh(iterations);
        await drawMore(draws);
        report.warmups++;
        report.rounds++;
        continue;
      }
      const room = ext.maxDraws - kept;
      if (room < 1) return { ...report, stop: 'cap' };
      const n = Math.min(Math.ceil(request.draws), room, Math.floor(left / Math.max(msPerDraw, 1e-3)));
      if (!(n >= 1)) return { ...report, stop: 'budget' };
      message = `${request.reason}: sampling ${n} more draws per chain ${used()}`;
      const got = await drawMore(n, ext.deadline);
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
    ({ parameters } = await adaptation.run(all, parameters, warmup));
    warmupMs = warmup === 0 ? 0 : performance.now() - t0;
    await drawMore(draws);
    if (opts.extend) extension = await extendUntil(opts.extend);
  } finally {
    await all.dispose();
  }
  const samplingMs = performance.now() - t0 - warmupMs;
  return {
    posterior: posteriorSoFar(),
    divergences,
    stepSize: parameters.stepSize,
    trajectoryLength: parameters.trajectoryLength,
    acceptance: acceptSum / kept,
    warmupMs,
    samplingMs,
    ...(extension ? { extension } : {}),
  };
}

/** `chains` split into `n` contiguous shares at most one chain apart, the larger first. */
export function shareSizes(chains: number, n: number): number[] {
  if (!(n >= 1 && n <= chains)) throw new Error(`sample: ${n} shares of ${chains} chains; each share needs a chain at least.`);
  return Array.from({ length: n }, (_, i) => Math.floor(chains / n) + (i < chains % n ? 1 : 0));
}

/**
 * Where the chains start, and the first metric. The mode, then chains spread by the Laplace
 * approximation so all begin near the typical set, with its covariance as the first metric when
 * dense (exact for a Gaussian posterior), else the starts' cross-chain variances. A posterior
 * without a proper mode (a hierarchical scale whose density grows towards 0, as in Neal's funnel)
 * sends the optimiser off to the boundary: then chains start as Stan's do, uniform on (-2, 2) in the
 * unconstrained space, and warm-up finds the typical set; so do they where the model asks
 * (`sampling.start`). The mode stays the fallback for a non-finite start.
 */
async function startingPoints(
  model: CompiledModel,
  chains: number,
  rng: Rng,
  opts: Pick<SampleOptions, 'init' | 'signal' | 'onProgress'>,
): Promise<{ starts: Float32Array; mode: Float32Array; metric: MetricValues }> {
  const dim = model.dim;
  const spread = model.sampling?.start === 'spread';
  const { map, laplace, failure } = await laplaceAtMode(model, {
    n: chains,
    normal: rng.normal,
    init: opts.init,
    signal: opts.signal,
    onProgress: opts.onProgress,
    wanted: (m) => !spread && m.converged && m.point.every((v) => Math.abs(v) < RUNAWAY_UNCONSTRAINED),
  });
  const mode = map.point;
  let starts: Float32Array = new Float32Array(chains * dim);
  let covariance: Float64Array | undefined;
  if (laplace) {
    starts = laplace.draws;
    if (usesDenseMetric(dim)) covariance = covarianceFromPrecision(laplace.precision, dim);
  } else if (failure) {
    for (let c = 0; c < chains; c++) for (let i = 0; i < dim; i++) starts[c * dim + i] = mode[i] + 0.1 * rng.normal();
  } else {
    for (let k = 0; k < starts.length; k++) starts[k] = 4 * rng.uniform() - 2;
  }
  const metric: MetricValues = covariance ? { kind: 'dense', covariance } : { kind: 'diag', variances: initialInvMass(starts, chains, dim) };
  return { starts, mode, metric };
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
