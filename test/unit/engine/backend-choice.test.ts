/**
 * The backend a fit runs on when the user has not chosen one: measured, fastest first, and never a
 * software GPU while another backend runs (with SwiftShader's WebGPU adapter present, BG/NBD on
 * CDNOW took 226 s where WASM takes 7.7 s). Stand-in backends and rates; one real timing on `cpu`.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, describeRates, measureBackends, timeGradients, type BackendRate } from '../../../src/engine/backend-choice';
import { automaticOrder, isSoftwareAdapter } from '../../../src/engine/backend';
import { compileModel } from '../../../src/engine/model';

const rate = (name: BackendRate['name'], callsPerSecond: number, software = false, detail?: string): BackendRate => ({ name, callsPerSecond, software, detail });

describe('chooseBackend', () => {
  it('takes the fastest backend that ran', () => {
    expect(chooseBackend([rate('webgpu', 2400), rate('webgl', 900), rate('wasm', 840)])).toBe('webgpu');
    expect(chooseBackend([rate('webgpu', 300), rate('wasm', 840)])).toBe('wasm');
  });

  it('never takes a software GPU while another backend runs, however it measured', () => {
    expect(chooseBackend([rate('webgpu', 5000, true, 'SwiftShader'), rate('wasm', 840)])).toBe('wasm');
    expect(chooseBackend([rate('webgpu', 31, true), rate('webgl', 40, true), rate('cpu', 20)])).toBe('cpu');
  });

  it('takes a software GPU when it is all that runs, and says so when nothing runs', () => {
    expect(chooseBackend([rate('webgpu', 31, true), rate('wasm', 0, false, 'no binaries')])).toBe('webgpu');
    expect(() => chooseBackend([rate('wasm', 0, false, 'no binaries')])).toThrow(/No backend ran the model \(wasm: no binaries\)/);
  });

  it('describes the rates for the header, fastest first', () => {
    expect(describeRates([rate('webgpu', 31, true, 'SwiftShader'), rate('wasm', 840.4)])).toBe('wasm: 840 gradients/s, webgpu (SwiftShader, software): 31/s');
    expect(describeRates([rate('wasm', 1234.5), rate('webgl', 0, false, 'context lost')])).toBe('wasm: 1,235 gradients/s, webgl: failed (context lost)');
  });
});

describe('measureBackends', () => {
  it('probes each candidate in turn and records a failing one with its reason', async () => {
    const probed: string[] = [];
    const rates = await measureBackends(
      [
        { name: 'webgpu', software: false, detail: 'nvidia hopper' },
        { name: 'webgl', software: false },
        { name: 'wasm', software: false },
      ],
      async (name) => {
        probed.push(name);
        if (name === 'webgl') throw new Error('context lost');
        return name === 'webgpu' ? 2000 : 800;
      },
    );
    expect(probed).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(rates).toEqual([rate('webgpu', 2000, false, 'nvidia hopper'), rate('webgl', 0, false, 'context lost'), rate('wasm', 800)]);
    expect(chooseBackend(rates)).toBe('webgpu');
  });
});

describe('automatic start-up order', () => {
  it('hardware GPUs, then WASM and CPU, then software GPUs', () => {
    expect(
      automaticOrder([
        { name: 'webgpu', software: true },
        { name: 'webgl', software: true },
        { name: 'wasm', software: false },
        { name: 'cpu', software: false },
      ]),
    ).toEqual(['wasm', 'cpu', 'webgpu', 'webgl']);
    expect(
      automaticOrder([
        { name: 'webgpu', software: false },
        { name: 'webgl', software: true },
        { name: 'wasm', software: false },
        { name: 'cpu', software: false },
      ]),
    ).toEqual(['webgpu', 'wasm', 'cpu', 'webgl']);
  });

  it("recognises a software adapter by its flag or by SwiftShader's name", () => {
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'intel', isFallbackAdapter: true } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' } })).toBe(false);
    expect(isSoftwareAdapter({ info: { vendor: 'apple', architecture: 'metal-3' } })).toBe(false);
  });
});

describe('timeGradients', () => {
  it("times the model's log density and gradient on the active backend and leaves no tensor behind", async () => {
    const model = compileModel([{ name: 'x', prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: 3 }], ({ x }) => tf.mul(-0.5, tf.sum(tf.square(x), 1)) as tf.Tensor1D);
    const before = tf.memory().numTensors;
    const callsPerSecond = await timeGradients(model, 8, 200);
    expect(callsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(callsPerSecond)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
