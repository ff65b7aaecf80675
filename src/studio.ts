/**
 * The automation and embedding API (DESIGN.md), implemented over the compute worker and IndexedDB.
 * `window.studio` (main.ts) and `mountStudio` (embed.ts) both hand out one of these.
 */
import type { BackendName, CsvOptions, DatasetInfo, FitSpec, Progress, RunResult, RunSummary, Studio } from './api/types';
import { InputError } from './api/errors';
import * as store from './store/db';
import { ComputeClient } from './worker/client';
import type { CohortTable } from './data/cohorts';
import type { CohortRequest } from './worker/cohorts';

export const VERSION = '0.1.0';

/** Change notifications for the UI: something in storage or the backend changed. */
export type StudioEvent = 'datasets' | 'runs' | 'backend';

export interface StudioInternals extends Studio {
  /** As Studio.loadCsv, with parse progress. */
  loadCsv(input: File | { name: string; text: string }, opts?: CsvOptions & { onProgress?: (p: Progress) => void }): Promise<DatasetInfo>;
  /** Subscribes to change events; returns the unsubscribe function. */
  subscribe(listener: (event: StudioEvent) => void): () => void;
  /** Cohort retention tables of a stored transactions dataset. */
  cohortTable(request: CohortRequest): Promise<CohortTable>;
  /** A fixed tfjs computation in the worker, to check the active backend computes right. */
  selfTest(): Promise<{ backend: BackendName; values: number[] }>;
}

export async function createStudio(): Promise<StudioInternals> {
  const settings = await store.getSettings().catch(() => ({}) as store.Settings);
  const listeners = new Set<(event: StudioEvent) => void>();
  const emit = (event: StudioEvent) => listeners.forEach((l) => l(event));
  const client = new ComputeClient(settings.backend, { onRestart: () => emit('backend') });

  return {
    version: VERSION,
    async backend() {
      const { name, detail } = await client.backend();
      return detail ? { name, detail } : { name };
    },
    async setBackend(name: BackendName) {
      await client.setBackend(name);
      await store.putSettings({ ...(await store.getSettings()), backend: name });
      emit('backend');
    },
    async loadCsv(input: File | { name: string; text: string }, opts?: CsvOptions & { onProgress?: (p: Progress) => void }) {
      if (!input || typeof input.name !== 'string' || !input.name) {
        throw new InputError('loadCsv needs a File or { name, text } with a non-empty name.');
      }
      const info = await client.loadCsv(input, input.name, opts?.onProgress, opts?.decimal ? { decimal: opts.decimal } : undefined);
      emit('datasets');
      return info;
    },
    datasets(): Promise<DatasetInfo[]> {
      return store.listDatasets();
    },
    async deleteDataset(id: string) {
      await store.deleteDataset(id);
      emit('datasets');
      emit('runs');
    },
    async fit(spec: FitSpec, opts?: { onProgress?: (p: Progress) => void; signal?: AbortSignal }): Promise<RunResult> {
      const result = await client.fit(spec, opts);
      emit('runs');
      return result;
    },
    runs(): Promise<RunSummary[]> {
      return store.listRuns();
    },
    async run(id: string): Promise<RunResult> {
      const result = await store.getRun(id);
      if (!result) throw new InputError(`No run with id "${id}".`);
      return result;
    },
    async deleteRun(id: string) {
      await store.deleteRun(id);
      emit('runs');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cohortTable(request) {
      return client.cohortTable(request);
    },
    selfTest() {
      return client.selfTest();
    },
  };
}
