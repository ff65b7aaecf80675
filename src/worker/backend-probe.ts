/**
 * The worker's automatic backend choice for one fit: when the user has not pinned a backend and
 * more than one non-software backend can run here, the fit's own model is timed on each (at the
 * fit's chain count) and the fit runs on the fastest. The rates are cached per model family, chain
 * count and set of backends found, so a device measures once (IndexedDB, through `cache`).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, FitSpec } from '../api/types';
import { activeBackend, backendCandidates, initBackend, type BackendCandidate, type BackendInfo, type WasmPaths } from '../engine/backend';
import { chooseBackend, describeRates, measureBackends, timeGradients, type BackendMeasurement } from '../engine/backend-choice';

export type { BackendMeasurement } from '../engine/backend-choice';
import type { Table } from '../data/table';
import { findModel } from '../models/registry';
import { INFERENCE_DEFAULTS } from '../models/run-fit';


/** Where measurements are kept between fits (IndexedDB in the worker; a Map in tests). */
export interface MeasurementCache {
  get(key: string): Promise<BackendMeasurement | undefined>;
  put(key: string, value: BackendMeasurement): Promise<void>;
}

/** The backends worth timing: GPUs on hardware and WASM; the CPU only where WASM cannot run. */
export function backendsToMeasure(candidates: readonly BackendCandidate[]): BackendCandidate[] {
  const fast = candidates.filter((c) => !c.software && c.name !== 'cpu');
  if (fast.some((c) => c.name === 'wasm')) return fast;
  return [...fast, ...candidates.filter((c) => c.name === 'cpu')];
}

/** The chain count a fit's log density is evaluated at: its MCMC chains, or 1 for MAP's optimiser. */
export function fitChains(spec: FitSpec): number {
  if ((spec.inference?.method ?? 'mcmc') === 'map') return 1;
  const chains = spec.inference?.chains;
  return typeof chains === 'number' && Number.isInteger(chains) && chains > 0 ? chains : INFERENCE_DEFAULTS.chains;
}

/** The cache key: model family, chain count and the backends this device offers. */
export function measurementKey(spec: FitSpec, chains: number, candidates: readonly BackendCandidate[]): string {
  const device = candidates.map((c) => `${c.name}${c.software ? '(software)' : ''}${c.detail ? `=${c.detail}` : ''}`).join(' + ');
  return `${spec.model}|${chains}|${device}`;
}

/**
 * Activates the fastest backend for `spec` on `table` and returns the backend info to show, with
 * the measured rates in `rates`; undefined, with the active backend left as it is, where there is
 * nothing to choose between (one non-software backend) or the model cannot be prepared (bad input:
 * the fit itself then reports the problem).
 */
export async function chooseFitBackend(
  table: Table,
  spec: FitSpec,
  opts: { wasmPaths?: WasmPaths; cache: MeasurementCache; candidates?: readonly BackendCandidate[] },
): Promise<BackendInfo | undefined> {
  const { wasmPaths, cache } = opts;
  const candidates = opts.candidates ?? (await backendCandidates(wasmPaths));
  const measured = backendsToMeasure(candidates);
  if (measured.length <= 1) return undefined;
  const chains = fitChains(spec);
  const key = measurementKey(spec, chains, candidates);
  let measurement = await cache.get(key).catch(() => undefined);
  if (!measurement) {
    const definition = findModel(spec.model);
    const before = activeBackend();
    let prepareError: unknown;
    const rates = await measureBackends(measured, async (name) => {
      if (prepareError) throw prepareError;
      const info = await initBackend(name, wasmPaths);
      if (info.name !== name) throw new Error(info.detail ?? 'did not start');
      tf.engine().startScope();
      try {
        let prepared;
        try {
          prepared = definition.prepare(table, { ...spec, columns: spec.columns ?? {} });
        } catch (error) {
          prepareError = error;
          throw error;
        }
        return await timeGradients(prepared.model, chains);
      } finally {
        tf.engine().endScope();
      }
    });
    if (prepareError) {
      await initBackend(before, wasmPaths);
      return undefined;
    }
    measurement = { rates, chosen: chooseBackend(rates), at: new Date().toISOString() };
    await cache.put(key, measurement).catch(() => undefined);
  }
  const info = await initBackend(measurement.chosen, wasmPaths);
  const software = candidates.filter((c) => c.software).map((c) => `${c.name} (${c.detail ? `${c.detail}, ` : ''}software): not used unless chosen`);
  return { ...info, rates: [describeRates(measurement.rates), ...software].join('; ') };
}
