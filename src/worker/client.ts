/**
 * The main thread's only handle on the compute worker. Owns the Worker, turns AbortSignals into
 * cancel messages, and forwards progress callbacks through Comlink.
 */
import * as Comlink from 'comlink';
import type { BackendName, DatasetInfo, FitSpec, Progress, RunResult } from '../api/types';
import { CancelledError } from '../api/errors';
import type { BackendInfo } from '../engine/backend';
import type { ComputeApi, CsvInput } from './api';
import type { CohortTable } from '../data/cohorts';
import type { CohortRequest } from './cohorts';

export class ComputeClient {
  #worker: Worker;
  #api: Comlink.Remote<ComputeApi>;
  #ready: Promise<BackendInfo>;

  constructor(preferred?: BackendName) {
    this.#worker = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' });
    this.#api = Comlink.wrap<ComputeApi>(this.#worker);
    this.#ready = this.#api.init(preferred);
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
    return info;
  }

  loadCsv(input: CsvInput, name: string, onProgress?: (p: Progress) => void): Promise<DatasetInfo> {
    return this.#api.loadCsv(input, name, onProgress && Comlink.proxy(onProgress));
  }

  async fit(spec: FitSpec, opts: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}): Promise<RunResult> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const onAbort = () => void this.#api.cancel(runId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#api.fit(runId, spec, onProgress && Comlink.proxy(onProgress));
    } catch (error) {
      // Comlink re-creates Errors without their class: restore cancellation as CancelledError.
      if (signal?.aborted || (error instanceof Error && error.name === 'CancelledError')) {
        throw new CancelledError();
      }
      throw error;
    } finally {
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
