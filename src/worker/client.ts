/**
 * The main thread's only handle on the compute worker. Owns the Worker, turns AbortSignals into
 * cancel messages, and forwards progress callbacks through Comlink. A worker that does not stop
 * within CANCEL_GRACE_MS of a cancel (stuck awaiting a GPU readback that will never come, after the
 * device was lost) is terminated and replaced, so the user is never left with a job that cannot end.
 */
import * as Comlink from 'comlink';
import type { BackendName, DatasetInfo, FitSpec, Progress, RunResult } from '../api/types';
import { CancelledError } from '../api/errors';
import type { BackendInfo } from '../engine/backend';
import type { ComputeApi, CsvInput } from './api';
import type { CohortTable } from '../data/cohorts';
import type { CohortRequest } from './cohorts';

/** How long a cancelled fit may take to stop before its worker is replaced. */
export const CANCEL_GRACE_MS = 5000;

/** What the client needs of a Worker (a test can pass a MessagePort-backed stand-in). */
export type WorkerLike = Comlink.Endpoint & { terminate(): void };

const createWorker = (): WorkerLike => new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' });

export interface ComputeClientOptions {
  /** Makes a worker (default the compute worker; tests pass stand-ins). */
  create?: () => WorkerLike;
  /** Default CANCEL_GRACE_MS. */
  graceMs?: number;
  /** Called after a worker was replaced (its backend may differ from the last one's). */
  onRestart?: () => void;
}

export class ComputeClient {
  #worker!: WorkerLike;
  #api!: Comlink.Remote<ComputeApi>;
  #ready!: Promise<BackendInfo>;
  #preferred: BackendName | undefined;
  readonly #options: ComputeClientOptions;

  constructor(preferred?: BackendName, options: ComputeClientOptions = {}) {
    this.#preferred = preferred;
    this.#options = options;
    this.#start();
  }

  #start(): void {
    this.#worker = (this.#options.create ?? createWorker)();
    this.#api = Comlink.wrap<ComputeApi>(this.#worker);
    this.#ready = this.#api.init(this.#preferred);
  }

  /** Replaces the worker: whatever it was doing is abandoned (its calls never settle). */
  #restart(): void {
    this.#worker.terminate();
    this.#start();
    this.#options.onRestart?.();
  }

  /** Resolves once tfjs is up in the worker, with the backend it chose. */
  ready(): Promise<BackendInfo> {
    return this.#ready;
  }

  async backend(): Promise<BackendInfo> {
    await this.#ready.catch(() => undefined);
    return this.#api.backend();
  }

  async setBackend(name: BackendName): Promise<BackendInfo> {
    await this.#ready.catch(() => undefined);
    const info = await this.#api.setBackend(name);
    this.#ready = Promise.resolve(info);
    this.#preferred = name;
    return info;
  }

  loadCsv(input: CsvInput, name: string, onProgress?: (p: Progress) => void): Promise<DatasetInfo> {
    return this.#api.loadCsv(input, name, onProgress && Comlink.proxy(onProgress));
  }

  async fit(spec: FitSpec, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}): Promise<RunResult> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const api = this.#api;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort = () => {};
    const stuck = new Promise<never>((_, reject) => {
      onAbort = () => {
        void api.cancel(runId).catch(() => undefined);
        timer = setTimeout(() => {
          if (this.#api === api) this.#restart();
          reject(new CancelledError());
        }, this.#options.graceMs ?? CANCEL_GRACE_MS);
      };
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([api.fit(runId, spec, onProgress && Comlink.proxy(onProgress)), stuck]);
    } catch (error) {
      // Comlink re-creates Errors without their class: restore cancellation as CancelledError.
      if (signal?.aborted || (error instanceof Error && error.name === 'CancelledError')) {
        throw new CancelledError();
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  cohortTable(request: CohortRequest): Promise<CohortTable> {
    return this.#api.cohortTable(request);
  }

  selfTest(): Promise<{ backend: BackendName; values: number[] }> {
    return this.#api.selfTest();
  }

  terminate(): void {
    this.#worker.terminate();
  }
}
