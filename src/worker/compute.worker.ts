/// <reference lib="webworker" />
/**
 * The compute worker: all parsing, tfjs and model fitting runs here, off the main thread.
 * Reached only through Comlink (client.ts).
 */
// First, before any library runs: network APIs limited to this origin (defence in depth under the CSP).
import './same-origin-only';
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName, CsvOptions, FitSpec, Progress } from '../api/types';
import { CancelledError, GpuLostError } from '../api/errors';
import { activeBackend, gpuDeviceLost, initBackend, type BackendInfo } from '../engine/backend';
import { loadCsvIntoStore } from './load-csv';
import { fitAndStore } from './fit-run';
import { chooseFitBackend, type MeasurementCache } from './backend-probe';
import { getSettings, putSettings } from '../store/db';
import type { Table } from '../data/table';
import { cohortTableOf, type CohortRequest } from './cohorts';
import { geoDesignOf, type GeoDesignRequest } from './geo-design';
import { modelGraphOf, priorPredictiveOf } from './model-check';
import { helperChains, serveChains } from './chain-host';
import type { ComputeApi, CsvInput } from './api';

// Absolute: this worker runs from a blob: URL (client.ts), which is no base for the root-relative
// URLs the dev server gives.
const absolute = (url: string) => new URL(url, import.meta.url).href;
const wasmPaths = {
  'tfjs-backend-wasm.wasm': absolute(wasmPlain),
  'tfjs-backend-wasm-simd.wasm': absolute(wasmSimd),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreaded),
};

/**
 * The latest backend switch asked for, set when it is asked (not when it ends), so that a fit sent
 * while the start-up switch is still running waits for that switch instead of starting its own.
 */
let current: Promise<BackendInfo> | undefined;
/** The backend the user chose, or undefined: each fit then runs on the fastest measured (backend-probe.ts). */
let pinned: BackendName | undefined;
/** Automatic choices' measurements, kept in IndexedDB per model family, chain count and device. */
const measurements: MeasurementCache = {
  async get(key) {
    return (await getSettings()).backendMeasurements?.[key];
  },
  async put(key, value) {
    const settings = await getSettings();
    await putSettings({ ...settings, backendMeasurements: { ...settings.backendMeasurements, [key]: value } });
  },
};
/** Fits in progress (at most one, see ComputeApi.fit), by run id. */
const running = new Map<string, AbortController>();
/** CSV loads and geo designs in progress, by job id. */
const loading = new Map<string, AbortController>();

const api: ComputeApi = {
  init(preferred?: BackendName) {
    pinned = preferred;
    current = initBackend(preferred, wasmPaths);
    return current;
  },
  async backend() {
    current ??= initBackend(undefined, wasmPaths);
    return { ...(await current), automatic: pinned === undefined };
  },
  async setBackend(name: BackendName | 'auto') {
    // A switch under a running fit would move its tensors mid-computation.
    if (running.size > 0) throw new Error(`A fit is running; wait for it or cancel it before switching the backend to ${name}.`);
    pinned = name === 'auto' ? undefined : name;
    current = initBackend(pinned, wasmPaths);
    const info = await current;
    if (pinned && info.name !== name) {
      const reason = info.detail ?? 'unavailable';
      throw new Error(`The ${name} backend cannot run here (${reason}); still on ${info.name}.`);
    }
    return info;
  },
  async loadCsv(jobId: string, input: CsvInput, name: string, onProgress?: (p: Progress) => void, mayStore?: () => boolean, options?: CsvOptions) {
    const controller = new AbortController();
    loading.set(jobId, controller);
    try {
      return await loadCsvIntoStore(input, name, { onProgress, signal: controller.signal, mayStore }, options);
    } finally {
      loading.delete(jobId);
    }
  },
  async fit(runId: string, spec: FitSpec, onProgress?: (p: Progress) => void, mayStore?: () => boolean, helpers: MessagePort[] = []) {
    // The client sends one fit at a time; a second one here would corrupt the first (ComputeApi.fit).
    if (running.size > 0) throw new Error('Another fit is already running in this compute worker; fits run one after another.');
    // Registered before it waits for the backend, so that no switch can start in between.
    const controller = new AbortController();
    running.set(runId, controller);
    try {
      await api.backend();
      // A lost GPU device ends the fit at once (its pending readbacks might never settle); the client
      // then replaces this worker, whose tfjs state is gone with the device.
      const lost = gpuDeviceLost().then((reason): never => {
        controller.abort(new GpuLostError(reason));
        throw new GpuLostError(reason);
      });
      lost.catch(() => {}); // a loss after the fit settled concerns the next job, not this one
      // With no backend chosen, the fit's own model is timed on each backend that can run it.
      const chooseBackend = async (table: Table) => {
        if (!pinned) {
          const chosen = await chooseFitBackend(table, spec, { wasmPaths, cache: measurements });
          if (chosen) current = Promise.resolve(chosen);
        }
        return activeBackend();
      };
      // Helper workers run shares of the chains on the backend chosen here (chain-host.ts).
      const ready = (table: Table, backend: BackendName) => helperChains(helpers, table, { ...spec, columns: spec.columns ?? {} }, backend, controller.signal);
      return await Promise.race([fitAndStore(runId, spec, chooseBackend, { onProgress, signal: controller.signal, mayStore }, helpers.length ? ready : undefined), lost]);
    } finally {
      running.delete(runId);
    }
  },
  serveChains(port: MessagePort) {
    serveChains(port, async (name) => {
      if (activeBackend() === name && current) return;
      current = initBackend(name, wasmPaths);
      const info = await current;
      if (info.name !== name) throw new Error(`A helper worker could not start the ${name} backend the fit runs on (${info.detail ?? 'unavailable'}).`);
    });
  },
  cancel(jobId: string) {
    (running.get(jobId) ?? loading.get(jobId))?.abort(new CancelledError());
  },
  cohortTable(request: CohortRequest) {
    return cohortTableOf(request);
  },
  async geoDesign(jobId: string, request: GeoDesignRequest, onProgress?: (p: Progress) => void) {
    const controller = new AbortController();
    loading.set(jobId, controller);
    try {
      return await geoDesignOf(request, { onProgress, signal: controller.signal });
    } finally {
      loading.delete(jobId);
    }
  },
  modelGraph(spec: FitSpec) {
    return modelGraphOf(spec);
  },
  priorPredictive(spec: FitSpec, draws?: number) {
    return priorPredictiveOf(spec, draws);
  },
  async selfTest() {
    await api.backend();
    // Kept: a fit's scope may be open around this call, and its end would release the result.
    const values = tf.keep(tf.tidy(() => {
      const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const b = tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2]);
      return tf.concat([tf.matMul(a, b).reshape([-1]), tf.sum(tf.exp(tf.tensor1d([0, 1]))).reshape([1])]);
    }));
    const out = Array.from(await values.data());
    values.dispose();
    return { backend: activeBackend(), values: out };
  },
};

Comlink.expose(api);
