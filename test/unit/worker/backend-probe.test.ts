/**
 * The automatic backend choice for a fit, through the real model and engine on Node's backends: a
 * backend that cannot start is recorded as failed, the fastest one that ran is used, the result
 * is cached per model family and chain count, and a software GPU is never timed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseCsvText } from '../../../src/data/csv';
import { backendsToMeasure, chooseFitBackend, fitChains, measurementKey, type BackendMeasurement } from '../../../src/worker/backend-probe';
import { initBackend } from '../../../src/engine/backend';
import type { FitSpec } from '../../../src/api/types';
import { readFixture } from '../../fixtures/read.mjs';

afterAll(async () => {
  await initBackend('cpu');
});

const spec: FitSpec = {
  dataset: 'cdnow',
  model: 'bgnbd',
  columns: { frequency: 'frequency', recency: 'recency', T: 'T' },
  inference: { method: 'mcmc', chains: 8 },
};

function mapCache() {
  const entries = new Map<string, BackendMeasurement>();
  return { entries, get: async (k: string) => entries.get(k), put: async (k: string, v: BackendMeasurement) => void entries.set(k, v) };
}

describe('backends to measure', () => {
  it('GPUs on hardware and WASM; the CPU only without WASM; software GPUs never', () => {
    const sw = { name: 'webgpu' as const, software: true };
    expect(backendsToMeasure([sw, { name: 'webgl', software: true }, { name: 'wasm', software: false }, { name: 'cpu', software: false }])).toEqual([{ name: 'wasm', software: false }]);
    expect(backendsToMeasure([{ name: 'webgpu', software: false }, { name: 'wasm', software: false }, { name: 'cpu', software: false }]).map((c) => c.name)).toEqual(['webgpu', 'wasm']);
    expect(backendsToMeasure([{ name: 'webgl', software: false }, { name: 'cpu', software: false }]).map((c) => c.name)).toEqual(['webgl', 'cpu']);
  });

  it('a MAP fit is timed at one chain, MCMC at its chains (default 32)', () => {
    expect(fitChains({ ...spec, inference: { method: 'map' } })).toBe(1);
    expect(fitChains(spec)).toBe(8);
    expect(fitChains({ ...spec, inference: undefined })).toBe(32);
  });
});

describe('chooseFitBackend', () => {
  it('times the fit on each backend, uses the fastest that ran, and measures once per key', async () => {
    const { table } = await parseCsvText(readFixture('cdnow_customers_summary.csv'), 'cdnow.csv');
    const cache = mapCache();
    // WebGL cannot start in Node: its probe fails and is recorded; WASM runs the model.
    const candidates = [
      { name: 'webgl' as const, software: false },
      { name: 'wasm' as const, software: false },
      { name: 'webgpu' as const, software: true, detail: 'SwiftShader' },
    ];
    const info = await chooseFitBackend(table, spec, { cache, candidates });
    expect(info?.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info?.rates).toMatch(/^wasm: [\d,.]+ gradients\/s, webgl: failed \(.+\); webgpu \(SwiftShader, software\): not used unless chosen$/);
    const key = measurementKey(spec, 8, candidates);
    const stored = cache.entries.get(key);
    expect(stored?.chosen).toBe('wasm');
    expect(stored?.rates.map((r) => [r.name, r.callsPerSecond > 0])).toEqual([
      ['webgl', false],
      ['wasm', true],
    ]);
    // The second fit of the family reads the cache: the stored measurement comes back unchanged.
    await initBackend('cpu');
    const again = await chooseFitBackend(table, spec, { cache, candidates });
    expect(again?.name).toBe('wasm');
    expect(cache.entries.get(key)).toBe(stored);
    expect(cache.entries.size).toBe(1);
  });

  it('leaves the backend alone when there is nothing to choose, or the model cannot be prepared', async () => {
    const { table } = await parseCsvText(readFixture('cdnow_customers_summary.csv'), 'cdnow.csv');
    await initBackend('cpu');
    const cache = mapCache();
    expect(await chooseFitBackend(table, spec, { cache, candidates: [{ name: 'wasm', software: false }, { name: 'webgpu', software: true }] })).toBeUndefined();
    const bad = { ...spec, columns: { frequency: 'no_such_column', recency: 'recency', T: 'T' } };
    expect(await chooseFitBackend(table, bad, { cache, candidates: [{ name: 'webgl', software: false }, { name: 'wasm', software: false }] })).toBeUndefined();
    expect(cache.entries.size).toBe(0);
    expect(tf.getBackend()).toBe('cpu');
  });
});
