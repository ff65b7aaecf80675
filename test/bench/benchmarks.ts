/**
 * The benchmarks themselves, free of DOM so the browser page and the Node (Dawn WebGPU) runner
 * share them. Timings include waiting for the device (each measurement reads a result back).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/api/types';
import { essBulk, rhat } from '../../src/engine/diagnostics';
import { logpAndGrad } from '../../src/engine/gradient';
import { compileModel } from '../../src/engine/model';
import { normalLogPdf } from '../../src/engine/distributions';
import { sample } from '../../src/engine/sample';
import type { CompiledModel, Posterior } from '../../src/engine/types';
import { DEFAULT_RUNS, defaultRun, defaultRunOnWorkers, KERNEL_MODELS, MODEL_BENCHMARKS, REFERENCE_DEFAULT_RUNS, TARGET_RUNS, type DataReader } from './model-benchmarks';

export interface BenchResults {
  /** Each bundled sample's default run (`--defaults`): verdict, time, diagnostics. */
  defaults?: (Awaited<ReturnType<typeof defaultRun>> & { backend: string; workers?: number; firstSeconds?: number })[];
  /** Per hot model: tfjs kernels in one log-density + gradient call, and milliseconds per call by chain count. */
  kernels?: { backend: string; model: string; dim: number; kernels: number; msPerCall: Record<number, number> }[];
  gradients: { backend: string; model: string; chains: number; evalsPerSec: number; chainGradsPerSec: number }[];
  convergence: {
    backend: string;
    target: string;
    chains: number;
    warmup: number;
    draws: number;
    seconds: number;
    rhatMax: number;
    essBulkMin: number;
    reached: boolean;
  }[];
  models: { backend: string; name: string; what: string; seconds: number; rhatMax?: number; essBulkMin?: number; note?: string }[];
  skipped: { backend: string; reason: string }[];
}

/** The backend name that asks for the studio's automatic choice (as a default fit gets it). */
export const AUTO = 'auto';

export interface BenchOptions {
  /** Backends to run on, or `auto` for the automatic choice. */
  backends: (BackendName | typeof AUTO)[];
  quick: boolean;
  log: (line: string) => void;
  /** Makes `name` (or the automatic choice) the active tfjs backend; returns why not when it cannot. */
  selectBackend: (name: BackendName | typeof AUTO) => Promise<string | undefined>;
  backendName: () => string;
  /** Backends to run the model benchmarks on (default all). */
  modelBackends?: string[];
  /** Model benchmarks to run, by name; when given, only these run (no gradient or convergence runs). */
  only?: string[];
  /** Only the per-call measurements of the hot models (kernels per call, ms per call at 8, 64, 512 chains). */
  kernels?: boolean;
  /** Only the bundled samples' default runs and their verdicts. */
  defaults?: boolean;
  /** With `defaults`: run each default fit through the studio's compute workers, once per worker count. */
  workers?: number[];
  /** Only the default runs of the hardware issue's speed targets (with the backend chosen automatically when `backends` is `auto`). */
  targets?: boolean;
  /** Reads a reference data file (test/fixtures), or a bundled sample as `samples/<file>`, as text. */
  data: DataReader;
}

/** Bayesian logistic regression, 500 rows x 20 features: the "mid-size model" of the gradient benchmark. */
function logisticModel(rows = 500, features = 20): CompiledModel {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const x = new Float32Array(rows * features).map(rand);
  const w = Array.from({ length: features }, rand);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let eta = 0.3;
    for (let j = 0; j < features; j++) eta += x[i * features + j] * w[j];
    y[i] = rand() * 0.5 + 0.5 < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const xT = tf.tensor2d(x, [rows, features]).transpose();
  const yT = tf.tensor2d(y, [1, rows]);
  return compileModel(
    [
      { name: 'intercept', prior: { dist: 'Normal', mu: 0, sigma: 2 } },
      { name: 'w', prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: features },
    ],
    ({ intercept, w: weights }) => {
      const eta = tf.add(intercept, tf.matMul(weights, xT));
      return tf.sum(tf.sub(tf.mul(yT, eta), tf.softplus(eta)), 1) as tf.Tensor1D;
    },
  );
}

/** A 10-d Gaussian with AR(1) correlation 0.6 and scales 0.5..5 (the engine's unit-test target). */
function correlatedGaussian(): CompiledModel {
  const d = 10;
  const scales = Array.from({ length: d }, (_, i) => 0.5 + 0.5 * i);
  const rho = 0.6;
  const c = 1 / (1 - rho * rho);
  const prec = new Float32Array(d * d);
  for (let i = 0; i < d; i++) {
    prec[i * d + i] = (i === 0 || i === d - 1 ? c : c * (1 + rho * rho)) / (scales[i] * scales[i]);
    if (i + 1 < d) prec[i * d + i + 1] = prec[(i + 1) * d + i] = (-rho * c) / (scales[i] * scales[i + 1]);
  }
  const precision = tf.tensor2d(prec, [d, d]);
  return compileModel([{ name: 'x', prior: { dist: 'Flat' }, size: d }], ({ x }) =>
    tf.mul(-0.5, tf.sum(tf.mul(tf.matMul(x, precision), x), 1)) as tf.Tensor1D,
  );
}

function eightSchools(): CompiledModel {
  const y = tf.tensor1d([28, 8, -3, 7, -1, 1, 18, 12]);
  const sigma = tf.tensor1d([15, 10, 16, 11, 9, 11, 10, 18]);
  return compileModel(
    [
      { name: 'mu', prior: { dist: 'Normal', mu: 0, sigma: 5 } },
      { name: 'tau', prior: { dist: 'HalfCauchy', beta: 5 } },
      { name: 'theta_tilde', prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: 8 },
    ],
    ({ mu, tau, theta_tilde }) => tf.sum(normalLogPdf(y, tf.add(mu, tf.mul(tau, theta_tilde)), sigma), 1) as tf.Tensor1D,
  );
}

/**
 * Log-density + gradient calls per second of `model` at `chains` chains, each call read back: three
 * warm-up calls, then calls for `seconds` (at least one; none after `deadline`, a `Date.now()` time).
 */
export async function gradientRate(model: CompiledModel, chains: number, seconds: number, deadline = Infinity): Promise<number> {
  const theta = tf.randomNormal([chains, model.dim], 0, 0.1, 'float32', 1) as tf.Tensor2D;
  const once = async () => {
    const { logp, grad } = logpAndGrad(model, theta);
    await grad.data();
    tf.dispose([logp, grad]);
  };
  for (let i = 0; i < 3 && Date.now() < deadline; i++) await once();
  const t0 = performance.now();
  let n = 0;
  while (n === 0 || (performance.now() - t0 < seconds * 1000 && Date.now() < deadline)) {
    await once();
    n++;
  }
  theta.dispose();
  return n / ((performance.now() - t0) / 1000);
}

/** Worst R-hat and bulk-ESS over every parameter. */
export function worstDiagnostics(p: Posterior): { rhatMax: number; essBulkMin: number } {
  let rhatMax = 0;
  let essBulkMin = Infinity;
  for (const name of p.names) {
    const x = p.column(name);
    rhatMax = Math.max(rhatMax, rhat(x, p.chains));
    essBulkMin = Math.min(essBulkMin, essBulk(x, p.chains));
  }
  return { rhatMax, essBulkMin };
}

/**
 * Time to R-hat < 1.01 and bulk-ESS >= 400: sample with `chains` chains, doubling the draws
 * until both hold (each attempt a fresh run; the time reported is the successful run's).
 */
export async function timeToConverge(
  model: CompiledModel,
  chains: number,
  warmup: number,
  firstDraws: number,
  maxDraws: number,
  signal?: AbortSignal,
): Promise<{ seconds: number; draws: number; rhatMax: number; essBulkMin: number; reached: boolean }> {
  let draws = firstDraws;
  for (;;) {
    const t0 = performance.now();
    const { posterior } = await sample(model, { chains, warmup, draws, seed: 1, signal });
    const seconds = (performance.now() - t0) / 1000;
    const d = worstDiagnostics(posterior);
    const reached = d.rhatMax < 1.01 && d.essBulkMin >= 400;
    if (reached || draws * 2 > maxDraws) return { seconds, draws, ...d, reached };
    draws *= 2;
  }
}

/** tfjs kernels one log-density + gradient call of `model` dispatches (at 8 chains). */
async function kernelsPerCall(model: CompiledModel): Promise<number> {
  const theta = tf.randomNormal([8, model.dim], 0, 0.1, 'float32', 1) as tf.Tensor2D;
  const info = await tf.profile(() => {
    const { logp, grad } = logpAndGrad(model, theta);
    tf.dispose([logp, grad]);
  });
  theta.dispose();
  return info.kernels.length;
}

async function runKernelBenchmarks(opts: BenchOptions, backend: string, results: BenchResults): Promise<void> {
  for (const m of KERNEL_MODELS) {
    // With --only, the hot models whose name starts with one given (e.g. --kernels --only=Geo MMM).
    if (opts.only && !opts.only.some((o) => m.name.startsWith(o))) continue;
    const model = await m.load(opts.data);
    const kernels = await kernelsPerCall(model);
    const msPerCall: Record<number, number> = {};
    for (const chains of [8, 64, 512]) msPerCall[chains] = 1000 / (await gradientRate(model, chains, opts.quick ? 0.5 : 1.5));
    (results.kernels ??= []).push({ backend, model: m.name, dim: model.dim, kernels, msPerCall });
    opts.log(`${backend} ${m.name}: ${kernels} kernels, ${Object.entries(msPerCall).map(([c, ms]) => `${c} chains ${ms.toFixed(2)} ms`).join(', ')}`);
  }
}

/**
 * Runs `work` on each requested backend that starts (the others are recorded as skipped), inside a
 * tfjs scope that releases what it made.
 */
async function onEachBackend(opts: BenchOptions, results: BenchResults, work: (backend: string) => Promise<void>): Promise<void> {
  for (const backend of opts.backends) {
    const why = await opts.selectBackend(backend);
    if (why) {
      results.skipped.push({ backend, reason: why });
      opts.log(`skip ${backend}: ${why}`);
      continue;
    }
    opts.log(`backend ${opts.backendName()}`);
    tf.engine().startScope();
    try {
      await work(backend === AUTO ? `${AUTO}: ${opts.backendName()}` : backend);
    } finally {
      tf.engine().endScope();
    }
  }
}

async function runDefaultRuns(opts: BenchOptions, backend: string, results: BenchResults): Promise<void> {
  // With --only, the default runs of those models or files (e.g. --only=rd,did or --only=donations.csv), or of
  // one file's model (--only=mmm-weekly.csv:mmm); --targets, the speed targets' runs. With --workers, each
  // run goes through the studio's compute workers, once per worker count.
  const runs = opts.targets ? TARGET_RUNS : [...DEFAULT_RUNS, ...REFERENCE_DEFAULT_RUNS];
  const picked = (r: (typeof runs)[number]) =>
    !opts.only || opts.only.includes(r.spec.model) || opts.only.includes(r.sample) || opts.only.includes(`${r.sample}:${r.spec.model}`);
  for (const r of runs.filter(picked)) {
    for (const workers of opts.workers ?? [undefined]) {
      const row = workers === undefined ? await defaultRun(r, opts.data) : await defaultRunOnWorkers(r, opts.data, workers, backend as BackendName);
      (results.defaults ??= []).push({ ...row, backend });
      const steps = row.stepsPerDraw !== undefined ? `, ~${row.stepsPerDraw.toFixed(1)} gradients per draw` : '';
      opts.log(`${backend} ${workers ?? ''} ${row.sample} ${row.model}: ${row.verdict} in ${row.seconds.toFixed(1)} s, R-hat ${row.rhatMax.toFixed(4)}, bulk-ESS ${row.essBulkMin.toFixed(0)}, ${row.extension}; warm-up ${row.warmupSeconds?.toFixed(1)} s, sampling ${row.samplingSeconds?.toFixed(1)} s${steps}`);
    }
  }
}

export async function runBenchmarks(opts: BenchOptions): Promise<BenchResults> {
  const results: BenchResults = { gradients: [], convergence: [], models: [], skipped: [] };
  if (opts.defaults || opts.targets) {
    await onEachBackend(opts, results, (backend) => runDefaultRuns(opts, backend, results));
    return results;
  }
  if (opts.kernels) {
    await onEachBackend(opts, results, (backend) => runKernelBenchmarks(opts, backend, results));
    return results;
  }
  const chainCounts = opts.quick ? [1, 16] : [1, 16, 256, 1024];
  await onEachBackend(opts, results, async (backend) => {
    const logistic = logisticModel();
    for (const chains of opts.only ? [] : chainCounts) {
      const evalsPerSec = await gradientRate(logistic, chains, opts.quick ? 1 : 3);
      results.gradients.push({
        backend,
        model: 'logistic regression, 500 rows x 20 features (21 parameters)',
        chains,
        evalsPerSec,
        chainGradsPerSec: evalsPerSec * chains,
      });
      opts.log(`${backend} gradients chains=${chains}: ${evalsPerSec.toFixed(1)}/s`);
    }
    const targets: [string, CompiledModel][] = [
      ['10-d correlated Gaussian', correlatedGaussian()],
      ['eight schools (non-centred, 10 parameters)', eightSchools()],
      ['logistic regression (21 parameters)', logistic],
    ];
    for (const [target, model] of opts.only ? [] : targets) {
      const chains = 64;
      const warmup = opts.quick ? 150 : 300;
      const r = await timeToConverge(model, chains, warmup, 50, opts.quick ? 100 : 800);
      results.convergence.push({ backend, target, chains, warmup, ...r });
      opts.log(`${backend} ${target}: ${r.seconds.toFixed(1)} s, R-hat ${r.rhatMax.toFixed(3)}, ESS ${r.essBulkMin.toFixed(0)}`);
    }
    for (const bench of MODEL_BENCHMARKS) {
      if (opts.quick && !bench.quick) continue;
      if (opts.modelBackends && !opts.modelBackends.includes(backend)) continue;
      if (opts.only && !opts.only.includes(bench.name)) continue;
      // One failing benchmark is reported, not allowed to lose the others' results.
      const r = await bench.run(opts.data).catch((e: unknown) => ({ seconds: NaN, note: `failed: ${(e as Error).message}` }));
      results.models.push({ backend, name: bench.name, what: bench.what, ...r });
      opts.log(`${backend} ${bench.name} ${bench.what}: ${r.seconds.toFixed(2)} s ${r.note ?? ''}`);
    }
  });
  return results;
}
