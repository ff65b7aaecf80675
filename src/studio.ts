/**
 * The automation and embedding API (DESIGN.md), implemented over the compute worker and IndexedDB.
 * `window.studio` (main.ts) and `mountStudio` (embed.ts) both hand out one of these.
 */
import type { BackendName, BudgetPlan, CsvOptions, DatasetInfo, FitSpec, Progress, RunResult, RunSummary, Studio } from './api/types';
import { InputError } from './api/errors';
import * as store from './store/db';
import { ComputeClient, defaultWorkers } from './worker/client';
import type { CohortTable } from './data/cohorts';
import type { CohortRequest } from './worker/cohorts';
import type { GeoDesign } from './models/causal/geo-design';
import type { GeoDesignRequest } from './worker/geo-design';
import type { ModelGraph } from './engine/model-graph';
import type { PriorPredictive } from './models/types';
import { buildReport } from './app/report/report';

export const VERSION = '0.1.0';

/** Change notifications for the UI: something in storage or the backend changed. */
export type StudioEvent = 'datasets' | 'runs' | 'backend';

/**
 * The channel on which every studio of this origin (other tabs, embedded ones) announces its
 * changes to the shared store, so that their lists refresh without a reload.
 */
export const STORE_CHANNEL = 'marketing-studio:store';

/** The events about the store, shared with other studios (the backend is each tab's own). */
function isStoreEvent(value: unknown): value is 'datasets' | 'runs' {
  return value === 'datasets' || value === 'runs';
}

export interface StudioInternals extends Studio {
  /** Subscribes to change events; returns the unsubscribe function. */
  subscribe(listener: (event: StudioEvent) => void): () => void;
  /** Cohort retention tables of a stored transactions dataset. */
  cohortTable(request: CohortRequest): Promise<CohortTable>;
  /** A geo test design on a stored pre-period dataset (progress per candidate; abort `signal` to cancel). */
  geoDesign(request: GeoDesignRequest, opts?: { onProgress?: (p: Progress) => void; signal?: AbortSignal }): Promise<GeoDesign>;
  /** A fixed tfjs computation in the worker, to check the active backend computes right. */
  selfTest(): Promise<{ backend: BackendName; values: number[] }>;
  /** Stores an MMM run's budget plan with the run (undefined removes it); resolves to the run as stored. */
  saveBudgetPlan(runId: string, plan: BudgetPlan | undefined): Promise<RunResult>;
  /** The graph of a model on a stored dataset (its parameters, priors and likelihood), before fitting. */
  modelGraph(spec: FitSpec): Promise<ModelGraph>;
  /** Draws of the target from a model's priors against the data, before fitting (default 500 draws). */
  priorPredictive(spec: FitSpec, draws?: number): Promise<PriorPredictive>;
}

export async function createStudio(): Promise<StudioInternals> {
  const settings = await store.getSettings().catch(() => ({}) as store.Settings);
  const listeners = new Set<(event: StudioEvent) => void>();
  const notify = (event: StudioEvent) => listeners.forEach((l) => l(event));
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(STORE_CHANNEL);
  channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isStoreEvent(e.data)) notify(e.data);
  });
  const emit = (event: StudioEvent) => {
    notify(event);
    if (isStoreEvent(event)) channel?.postMessage(event);
  };
  const client = new ComputeClient(settings.backend, { onRestart: () => emit('backend'), workers: settings.workers ?? defaultWorkers() });
  let workersChosen = settings.workers !== undefined;

  return {
    version: VERSION,
    async backend() {
      const { name, detail, rates, automatic } = await client.backend();
      return { name, ...(detail ? { detail } : {}), ...(rates ? { rates } : {}), automatic: automatic ?? true };
    },
    async setBackend(name: BackendName | 'auto') {
      await client.setBackend(name);
      await store.putSettings({ ...(await store.getSettings()), backend: name === 'auto' ? undefined : name });
      emit('backend');
    },
    async workers() {
      return { count: client.workers, automatic: !workersChosen, cores: typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1 };
    },
    async setWorkers(count: number | 'auto') {
      if (count !== 'auto' && !(Number.isInteger(count) && count >= 1 && count <= 64)) {
        throw new InputError(`setWorkers takes a whole number from 1 to 64 or 'auto', got ${JSON.stringify(count)}.`);
      }
      client.setWorkers(count === 'auto' ? defaultWorkers() : count);
      workersChosen = count !== 'auto';
      await store.putSettings({ ...(await store.getSettings()), workers: count === 'auto' ? undefined : count });
      emit('backend');
    },
    async loadCsv(input: File | { name: string; text: string }, opts?: CsvOptions & { onProgress?: (p: Progress) => void; signal?: AbortSignal }) {
      if (!input || typeof input.name !== 'string' || !input.name) {
        throw new InputError('loadCsv needs a File or { name, text } with a non-empty name.');
      }
      const csv = opts?.decimal ? { decimal: opts.decimal } : undefined;
      const info = await client.loadCsv(input, input.name, { onProgress: opts?.onProgress, signal: opts?.signal, csv });
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
      // An automatic choice may have moved the worker to another backend, with new measured rates.
      emit('backend');
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
    async report(runId: string): Promise<string> {
      if (typeof runId !== 'string' || !runId) throw new InputError('report needs a run id (a non-empty string).');
      const run = await store.getRun(runId);
      if (!run) throw new InputError(`No run with id "${runId}".`);
      const dataset = (await store.listDatasets()).find((d) => d.id === run.datasetId);
      return buildReport(run, dataset, `Marketing Studio ${VERSION}`);
    },
    async deleteRun(id: string) {
      await store.deleteRun(id);
      emit('runs');
    },
    async labelRun(id: string, label: { name?: string; note?: string }) {
      if (typeof id !== 'string' || !label || typeof label !== 'object') throw new InputError('labelRun needs a run id and { name?, note? }.');
      await store.labelRun(id, label);
      emit('runs');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cohortTable(request) {
      return client.cohortTable(request);
    },
    geoDesign(request, opts) {
      return client.geoDesign(request, opts);
    },
    modelGraph(spec) {
      return client.modelGraph(spec);
    },
    priorPredictive(spec, draws) {
      return client.priorPredictive(spec, draws);
    },
    selfTest() {
      return client.selfTest();
    },
    async saveBudgetPlan(runId, plan) {
      const run = await store.getRun(runId);
      if (!run) throw new InputError(`No run with id "${runId}".`);
      if (run.model !== 'mmm') throw new InputError(`Run "${runId}" is a ${run.model} run; only MMM runs have a budget plan.`);
      const stored = await store.putBudgetPlan(runId, plan);
      emit('runs');
      return stored;
    },
  };
}
