/**
 * The main thread's only handle on the compute worker. Owns the Worker, turns AbortSignals into
 * cancel messages, and forwards progress callbacks through Comlink. A worker that does not stop
 * within CANCEL_GRACE_MS of a cancel (stuck awaiting a GPU readback that will never come, after the
 * device was lost) is terminated and replaced, so the user is never left with a job that cannot end;
 * so is a worker whose fit reports that its GPU device was lost, or whose fit stops reporting progress
 * (then the fit is tried once more).
 *
 * Fits run one after another, queued here: tfjs keeps one scope stack per thread, and two fits
 * interleaved on it released each other's tensors ("Cannot read properties of undefined (reading
 * 'backend')"). The queue is here rather than in the worker so that a fit's stall clock starts when
 * it starts, not while it waits. A cancelled job stores nothing: the worker asks, before it stores,
 * whether the caller still wants the result, and the answer is no once the caller's signal aborted.
 *
 * An MCMC fit's chains split over several compute workers (`setWorkers`, `inference.workers`): the
 * fit runs in the first as always, and the others, started here as helpers and kept between fits,
 * each run a share of its chains, over a MessageChannel from the first (worker/chain-host.ts).
 * Whatever replaces the first worker (a cancel past its grace, a lost device, a stall) replaces the
 * helpers with it, so no share of a stopped fit keeps running.
 */
import * as Comlink from 'comlink';
import type { BackendName, CsvOptions, DatasetInfo, FitSpec, Progress, RunResult } from '../api/types';
import { CancelledError, StalledError } from '../api/errors';
import type { BackendInfo } from '../engine/backend';
import type { ComputeApi, CsvInput } from './api';
import type { CohortTable } from '../data/cohorts';
import type { CohortRequest } from './cohorts';
import type { GeoDesign } from '../models/causal/geo-design';
import type { GeoDesignRequest } from './geo-design';
import type { ModelGraph } from '../engine/model-graph';
import type { PriorPredictive } from '../models/types';
import computeWorkerUrl from './compute.worker.ts?worker&url';

/** How long a cancelled fit may take to stop before its worker is replaced. */
export const CANCEL_GRACE_MS = 5000;
/**
 * How long a fit may go without reporting progress, while it samples or optimises, before its worker
 * is presumed stuck. Those phases report every step; their longest silent stretch (a Laplace
 * Hessian) takes seconds even for the largest data sets we test.
 */
export const STALL_MS = 120_000;
/** Tries of a fit whose worker stalled (each on a fresh worker). */
const FIT_ATTEMPTS = 2;

/** Most compute workers a fit may use (`inference.workers`' upper bound in run-fit.ts). */
export const MAX_WORKERS = 64;

/** The default worker count: the device's cores less one (for the page), at least 1. */
export function defaultWorkers(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_WORKERS, cores - 1));
}

/** What the client needs of a Worker (a test can pass a MessagePort-backed stand-in). */
export type WorkerLike = Comlink.Endpoint & { terminate(): void };

/**
 * Starts the compute worker from a `blob:` URL whose module only imports the real worker bundle. A
 * worker started from a script URL takes its Content-Security-Policy from that script's response
 * headers (none, on a host that sends none), whereas a `blob:` worker inherits the policy of the page
 * that creates it, `<meta>` tag included (CSP3 policy container): the worker, which holds the data,
 * cannot reach another origin however the studio is hosted or embedded.
 */
const createWorker = (): WorkerLike => {
  // Absolute: a blob: URL is no base to resolve a relative import against.
  const script = new URL(computeWorkerUrl, import.meta.url).href;
  const blob = new Blob([`import ${JSON.stringify(script)};\n`], { type: 'text/javascript' });
  const url = URL.createObjectURL(blob);
  try {
    return new Worker(url, { type: 'module', name: 'compute' });
  } finally {
    // Safe at once: constructing the Worker resolved the URL to its blob.
    URL.revokeObjectURL(url);
  }
};

export interface ComputeClientOptions {
  /** Makes a worker (default the compute worker; tests pass stand-ins). */
  create?: () => WorkerLike;
  /** Default CANCEL_GRACE_MS. */
  graceMs?: number;
  /** Default STALL_MS. */
  stallMs?: number;
  /** Called after a worker was replaced (its backend may differ from the last one's). */
  onRestart?: () => void;
  /** Compute workers an MCMC fit uses unless its spec says (default 1; the studio passes its setting, `defaultWorkers()` unless the user chose). */
  workers?: number;
}

export class ComputeClient {
  #worker!: WorkerLike;
  #api!: Comlink.Remote<ComputeApi>;
  #ready!: Promise<BackendInfo>;
  #preferred: BackendName | undefined;
  readonly #options: ComputeClientOptions;
  /** Settles when the last fit queued so far has ended (never rejects). */
  #fitsDone: Promise<void> = Promise.resolve();
  /** Fits queued or running. */
  #fits = 0;
  /** Rejects when the current worker is replaced: its calls still in flight would never settle. */
  #replaced!: Promise<never>;
  /** Rejects when the current worker failed to start (its script did not load or threw). */
  #failedStart!: Promise<never>;
  #replace!: (error: Error) => void;
  /** Helper workers (started on a fit's demand, kept for the next). */
  #helpers: { worker: WorkerLike; api: Comlink.Remote<ComputeApi> }[] = [];
  #workers: number;

  constructor(preferred?: BackendName, options: ComputeClientOptions = {}) {
    this.#preferred = preferred;
    this.#options = options;
    this.#workers = options.workers ?? 1;
    this.#start();
  }

  /** Compute workers an MCMC fit uses unless its spec says. */
  get workers(): number {
    return this.#workers;
  }

  /** Sets the compute workers an MCMC fit uses unless its spec says (a whole number from 1 to MAX_WORKERS). */
  setWorkers(n: number): void {
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS)) throw new Error(`Compute workers must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(n)}.`);
    this.#workers = n;
    // Helpers beyond the new count are stopped (a fit asking for more starts them again).
    while (this.#helpers.length > n - 1) this.#helpers.pop()!.worker.terminate();
  }

  /** Workers a fit of `spec` uses: its own setting or the client's, never more than its chains; 1 for MAP. */
  #workersFor(spec: FitSpec): number {
    if (spec.inference?.method === 'map') return 1;
    const asked = spec.inference?.workers;
    const n = typeof asked === 'number' && Number.isInteger(asked) && asked >= 1 ? Math.min(asked, MAX_WORKERS) : this.#workers;
    const chains = spec.inference?.chains;
    return typeof chains === 'number' && chains >= 1 ? Math.min(n, Math.floor(chains)) : n;
  }

  /**
   * `n` helpers (started as needed, kept for later fits), each given one end of a new channel to
   * serve chains on; returns the other ends, for the fit's worker.
   */
  #helperPorts(n: number): MessagePort[] {
    while (this.#helpers.length < n) {
      const worker = (this.#options.create ?? createWorker)();
      this.#helpers.push({ worker, api: Comlink.wrap<ComputeApi>(worker) });
    }
    return this.#helpers.slice(0, n).map(({ api }) => {
      const channel = new MessageChannel();
      void api.serveChains(Comlink.transfer(channel.port1, [channel.port1])).catch(() => undefined);
      return channel.port2;
    });
  }

  #stopHelpers(): void {
    for (const h of this.#helpers) h.worker.terminate();
    this.#helpers = [];
  }

  #start(): void {
    const worker = (this.#options.create ?? createWorker)();
    this.#worker = worker;
    this.#api = Comlink.wrap<ComputeApi>(worker);
    this.#replaced = new Promise<never>((_, reject) => (this.#replace = reject));
    this.#replaced.catch(() => {}); // only calls in flight listen
    // A worker whose script cannot load (a host or portal policy that refuses blob: workers, a missing
    // file) answers nothing: every call on it would wait forever. Its 'error' before it is up fails
    // them all with a message instead.
    let up = false;
    const failed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        if (up) return;
        const detail = (event as ErrorEvent).message;
        const error = new Error(
          `The compute worker could not start${detail ? ` (${detail})` : ''}: its script failed to load or run. ` +
            "If the studio is embedded, the portal's Content-Security-Policy must allow `worker-src 'self' blob:` (README, Deploying and embedding).",
        );
        this.#replace(error);
        reject(error);
      });
    });
    failed.catch(() => {});
    this.#failedStart = failed;
    this.#ready = Promise.race([this.#api.init(this.#preferred), failed]);
    this.#ready.then(
      () => (up = true),
      () => {},
    );
  }

  /**
   * Replaces the worker: whatever it was doing is abandoned. Its calls would never settle: loads and
   * cohort tables in flight reject with a message (fits settle through their own cancel or stall path).
   */
  #restart(): void {
    this.#replace(new Error('The compute worker was restarted (a fit on it had to be stopped) before this finished; try again.'));
    this.#worker.terminate();
    this.#stopHelpers();
    this.#start();
    this.#options.onRestart?.();
  }

  /** Resolves once tfjs is up in the worker, with the backend it chose. */
  ready(): Promise<BackendInfo> {
    return this.#ready;
  }

  async backend(): Promise<BackendInfo> {
    await this.#ready.catch(() => undefined);
    return Promise.race([this.#api.backend(), this.#failedStart]);
  }

  async setBackend(name: BackendName | 'auto'): Promise<BackendInfo> {
    await this.#ready.catch(() => undefined);
    const info = await this.#api.setBackend(name);
    this.#ready = Promise.resolve(info);
    this.#preferred = name === 'auto' ? undefined : name;
    return info;
  }

  /**
   * Parses and stores a CSV in the worker. After `signal` aborts, the worker stops reading the file
   * (at its next chunk) and stores nothing; the promise rejects with CancelledError. `csv` holds the
   * parse options (the decimal separator).
   */
  async loadCsv(
    input: CsvInput,
    name: string,
    opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal; csv?: CsvOptions } = {},
  ): Promise<DatasetInfo> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const jobId = newJobId('load');
    const api = this.#api;
    const replaced = this.#replaced;
    const onAbort = () => void api.cancel(jobId).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const load = api.loadCsv(jobId, input, name, onProgress && Comlink.proxy(onProgress), Comlink.proxy(() => !signal?.aborted), opts.csv);
      return await Promise.race([load, replaced]);
    } catch (error) {
      throw asCancelled(error, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs a fit in the worker, after the fits queued before it (the user is told through `onProgress`
   * while it waits; an abort while it waits ends it at once). A fit that reports no progress for
   * `stallMs` (default STALL_MS) has its worker replaced and runs once more on the new one (the user
   * is told through `onProgress`); a second stall rejects with StalledError.
   */
  async fit(spec: FitSpec, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}): Promise<RunResult> {
    const before = this.#fitsDone;
    let ended!: () => void;
    const mine = new Promise<void>((resolve) => (ended = resolve));
    // The next fit waits for this one and for every one before it (this one may end first, cancelled while queued).
    this.#fitsDone = before.then(() => mine);
    const ahead = this.#fits++;
    try {
      if (ahead > 0) {
        opts.onProgress?.({ phase: 'queued', iteration: 0, total: 1, message: `Waiting for ${ahead === 1 ? 'the fit' : `${ahead} fits`} before this one to finish.` });
      }
      await untilOrAborted(before, opts.signal);
      return await this.#fitRetrying(spec, opts);
    } finally {
      this.#fits--;
      ended();
    }
  }

  async #fitRetrying(spec: FitSpec, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal }): Promise<RunResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#fitOnce(spec, opts);
      } catch (error) {
        if (!(error instanceof StalledError) || attempt >= FIT_ATTEMPTS) throw error;
        console.warn(`${error.message} Retrying (attempt ${attempt + 1} of ${FIT_ATTEMPTS}).`);
        opts.onProgress?.({ phase: 'map', iteration: 0, total: 1, message: `The worker stopped responding and was restarted; fitting again (attempt ${attempt + 1} of ${FIT_ATTEMPTS}).` });
      }
    }
  }

  async #fitOnce(spec: FitSpec, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal }): Promise<RunResult> {
    const { onProgress, signal } = opts;
    // The worker's backend first (its WebGPU start-up can take seconds): the stall clock starts after it.
    await this.#ready.catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    // A worker that never started cannot fit: say why rather than wait for the stall watch.
    await Promise.race([this.#failedStart, Promise.resolve()]);
    const runId = newJobId('run');
    const api = this.#api;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    let lastSeen = Date.now();
    let last = 'starting';
    // From 'diagnostics' on, a fit is synchronous CPU work (summaries, per-customer outputs: tens of
    // seconds on the largest data sets, BENCHMARKS.md) that cannot wait on a GPU: not watched.
    let cpuOnly = false;
    const stallMs = this.#options.stallMs ?? STALL_MS;
    let watch: ReturnType<typeof setInterval> | undefined;
    const stuck = new Promise<never>((_, reject) => {
      onAbort = () => {
        void api.cancel(runId).catch(() => undefined);
        timer = setTimeout(() => {
          if (this.#api === api) this.#restart();
          reject(new CancelledError());
        }, this.#options.graceMs ?? CANCEL_GRACE_MS);
      };
      watch = setInterval(() => {
        if (cpuOnly || Date.now() - lastSeen <= stallMs) return;
        if (this.#api === api) this.#restart();
        reject(new StalledError(Math.round(stallMs / 1000), last));
      }, Math.min(stallMs / 4, 5000));
    });
    const progress = (p: Progress) => {
      lastSeen = Date.now();
      last = `${p.phase} ${p.iteration}/${p.total}`;
      cpuOnly = p.phase === 'diagnostics' || p.phase === 'outputs';
      onProgress?.(p);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const mayStore = Comlink.proxy(() => !signal?.aborted);
      const ports = this.#helperPorts(this.#workersFor(spec) - 1);
      return await Promise.race([api.fit(runId, spec, Comlink.proxy(progress), mayStore, Comlink.transfer(ports, ports)), stuck]);
    } catch (error) {
      const cancelled = asCancelled(error, signal);
      if (cancelled instanceof CancelledError) throw cancelled;
      if (error instanceof Error && error.name === 'GpuLostError') {
        // tfjs in that worker lost its device for good: start afresh (a new device) for the next job.
        if (this.#api === api) this.#restart();
      }
      throw error;
    } finally {
      clearTimeout(timer);
      clearInterval(watch);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  cohortTable(request: CohortRequest): Promise<CohortTable> {
    return Promise.race([this.#api.cohortTable(request), this.#replaced]);
  }

  /** Designs a geo test in the worker; after `signal` aborts it stops at its next candidate and rejects with CancelledError. */
  async geoDesign(request: GeoDesignRequest, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}): Promise<GeoDesign> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const jobId = newJobId('design');
    const api = this.#api;
    const onAbort = () => void api.cancel(jobId).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([api.geoDesign(jobId, request, onProgress && Comlink.proxy(onProgress)), this.#replaced]);
    } catch (error) {
      throw asCancelled(error, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  selfTest(): Promise<{ backend: BackendName; values: number[] }> {
    return Promise.race([this.#api.selfTest(), this.#failedStart]);
  }

  modelGraph(spec: FitSpec): Promise<ModelGraph> {
    return Promise.race([this.#api.modelGraph(spec), this.#replaced]);
  }

  priorPredictive(spec: FitSpec, draws?: number): Promise<PriorPredictive> {
    return Promise.race([this.#api.priorPredictive(spec, draws), this.#replaced]);
  }

  terminate(): void {
    this.#worker.terminate();
    this.#stopHelpers();
  }
}

/** A job id for the worker's cancel: unique in this page. */
function newJobId(prefix: 'run' | 'load' | 'design'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A job's failure as the caller should see it: CancelledError once the caller aborted, or when the
 * worker says it was cancelled (Comlink re-creates Errors without their class); else the error.
 */
function asCancelled(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || (error instanceof Error && error.name === 'CancelledError')) return new CancelledError();
  return error;
}

/** Resolves when `turn` does, or rejects with CancelledError as soon as `signal` aborts. */
function untilOrAborted(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
