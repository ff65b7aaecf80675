/**
 * Backend switches never overlap: tfjs answers `false` to a setBackend whose asynchronous start-up
 * (WASM's here, WebGPU's in the browser) was overtaken by another switch, so two overlapping
 * initBackend calls used to leave the first one falling back to the next backend in line while the
 * second one's fit ran. Each call now gets the backend it asked for, in the order asked.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend';

describe('initBackend', () => {
  it('overlapping switches run one after another, each to the backend it asked for', async () => {
    // Two first switches to WASM at once (the worker's start-up and a fit sent before it ended):
    // overlapping, the first was told `false` by tfjs and fell back to the CPU.
    const both = await Promise.all([initBackend('wasm'), initBackend('wasm')]);
    expect(both.map((b) => b.name)).toEqual(['wasm', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
    const [first, second] = await Promise.all([initBackend('wasm'), initBackend('cpu')]);
    expect(first.name).toBe('wasm');
    expect(second.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const again = await Promise.all([initBackend('cpu'), initBackend('wasm')]);
    expect(again.map((b) => b.name)).toEqual(['cpu', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
    await initBackend('cpu');
  });
});
