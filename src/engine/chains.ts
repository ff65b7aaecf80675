/**
 * A batch of chains on this thread's tfjs backend: their HMC state, metric and random stream, moved
 * one transition at a time. The warm-up (`adaptation/chees.ts`) and the sampler drive chains only
 * through `Chains`, so that a batch in another worker (a proxy with the same methods) and several
 * batches joined as one (`joinChains`) are driven exactly as one local batch is.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../api/errors';
import { disposeAll, hmcInit, hmcStep, type HmcInfo, type HmcState } from './chees-hmc';
import { halton } from './halton';
import { createMetric, disposeMetric, usesDenseMetric, type Metric, type MetricValues } from './metric';
import type { Rng } from './rng';
import { createYielder } from './yield';
import type { CompiledModel } from './types';

/** Most leapfrog steps per transition: bounds the cost of one transition (each step is a gradient). */
export const MAX_LEAPFROG_STEPS = 256;

/**
 * Leapfrog steps of transition number `step`: the trajectory length jittered by the Halton
 * sequence (ChEES), in steps of `stepSize`, within 1..MAX_LEAPFROG_STEPS. Every batch of a run
 * counts transitions alike, so all chains take the same number of steps.
 */
export function leapfrogSteps(step: number, stepSize: number, trajectoryLength: number): number {
  return Math.min(MAX_LEAPFROG_STEPS, Math.max(1, Math.ceil((halton(step) * trajectoryLength) / stepSize)));
}

/** What one warm-up transition tells the adaptation about a batch's chains (host copies). */
export interface WarmupTransition {
  /** `[chains]` Metropolis acceptance probability of each proposal. */
  acceptProb: Float32Array;
  /** `[chains]` 1 where the trajectory diverged. */
  divergent: Float32Array;
  /** `[chains, dim]` the positions the transition started from (ChEES's initial positions). */
  before: Float32Array;
  /** `[chains, dim]` the proposals and their velocities. */
  proposal: Float32Array;
  velocity: Float32Array;
  /**
   * When asked (a metric window): sums over the batch's chains of the new positions (`dim`) and of
   * their squares (`dim`, diagonal metric) or outer products (`dim * dim`, dense).
   */
  moments?: { s1: Float64Array; s2: Float64Array };
}

/** `n` transitions kept as draws, all with one step size and trajectory length. */
export interface DrawRequest {
  n: number;
  stepSize: number;
  trajectoryLength: number;
  /** The run's transition count before the first of them (the Halton index, see leapfrogSteps). */
  step: number;
  /** Stop early once this many ms have passed since the call (absent: never). */
  withinMs?: number;
}

/** Draws of a batch. */
export interface DrawnBlock {
  /** Constrained draws laid out `[chain][draws][param]`. */
  values: Float64Array;
  /** Draws per chain taken (fewer than asked when `withinMs` ran out). */
  draws: number;
  /** Per draw: divergent transitions among the batch's chains, and the sum of their acceptance probabilities. */
  divergent: Float64Array;
  acceptSum: Float64Array;
}

/** Chains that a sampler moves; async throughout so that they may live in another worker. */
export interface Chains {
  readonly chains: number;
  /** Replaces the metric (inverse mass matrix) every later transition uses. */
  setMetric(values: MetricValues): Promise<void>;
  /** One warm-up transition of every chain; `moments` asks for the new positions' sums. */
  warmupTransition(stepSize: number, numSteps: number, moments: boolean): Promise<WarmupTransition>;
  draw(request: DrawRequest): Promise<DrawnBlock>;
  /** The chains' current unconstrained positions, `[chains, dim]`. */
  positions(): Promise<Float32Array>;
  /** Releases the chains' tensors. */
  dispose(): Promise<void>;
}

export interface LocalChainsOptions {
  signal?: AbortSignal;
  /** Called after each draw with the draw's index in the request, its divergent count and mean acceptance. */
  onDraw?: (d: number, divergent: number, acceptance: number) => void;
}

/**
 * Chains started at `starts` (`[chains, dim]`) on this thread; a chain whose start has a non-finite
 * log density (a Laplace draw in a tail where the model underflows) starts at `mode` instead. `rng`
 * seeds every transition's momentum and accept/reject uniforms.
 */
export async function createChains(
  model: CompiledModel,
  starts: Float32Array,
  mode: Float32Array,
  metricValues: MetricValues,
  rng: Rng,
  opts: LocalChainsOptions = {},
): Promise<Chains> {
  const dim = model.dim;
  const chains = starts.length / dim;
  const p = model.names.length;
  let state = await initialState(model, starts, mode, chains);
  let metric: Metric = createMetric(metricValues);
  // The moments' shape follows the model's size, not the metric's kind (a dense estimate may fall back to its diagonal).
  const dense = usesDenseMetric(dim);
  const tick = createYielder();
  const check = () => {
    if (opts.signal?.aborted) throw new CancelledError();
  };

  /** One transition; the read-back packs what `read` adds after acceptance and divergence. */
  async function transition(stepSize: number, numSteps: number, read: (next: HmcState, before: HmcState, info: HmcInfo) => tf.Tensor[]) {
    const { state: next, info } = hmcStep(model, state, { stepSize, numSteps, metric }, rng);
    const before = state;
    state = next;
    const packed = tf.tidy(() => tf.concat([info.acceptProb, info.divergent, ...read(next, before, info)].map((t) => tf.reshape(t, [-1]))));
    disposeAll(info);
    disposeAll(before);
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    return data;
  }

  return {
    chains,
    async setMetric(values) {
      disposeMetric(metric);
      metric = createMetric(values);
    },
    async warmupTransition(stepSize, numSteps, moments) {
      check();
      const data = await transition(stepSize, numSteps, (next, before, info) => {
        const parts: tf.Tensor[] = [before.position, info.proposal, info.velocity];
        if (moments) {
          const q = next.position;
          parts.push(tf.sum(q, 0), dense ? tf.matMul(q, q, true, false) : tf.sum(tf.square(q), 0));
        }
        return parts;
      });
      const cd = chains * dim;
      const out: WarmupTransition = {
        acceptProb: data.slice(0, chains),
        divergent: data.slice(chains, 2 * chains),
        before: data.slice(2 * chains, 2 * chains + cd),
        proposal: data.slice(2 * chains + cd, 2 * chains + 2 * cd),
        velocity: data.slice(2 * chains + 2 * cd, 2 * chains + 3 * cd),
      };
      if (moments) {
        const off = 2 * chains + 3 * cd;
        out.moments = { s1: Float64Array.from(data.subarray(off, off + dim)), s2: Float64Array.from(data.subarray(off + dim)) };
      }
      return out;
    },
    async draw({ n, stepSize, trajectoryLength, step, withinMs }) {
      const deadline = withinMs === undefined ? Infinity : performance.now() + withinMs;
      const block = new Float64Array(chains * n * p);
      const divergent = new Float64Array(n);
      const acceptSum = new Float64Array(n);
      let d = 0;
      for (; d < n && !(performance.now() > deadline); d++) {
        await tick();
        check();
        const numSteps = leapfrogSteps(step + d, stepSize, trajectoryLength);
        const data = await transition(stepSize, numSteps, (next) => [model.constrain(next.position)]);
        for (let c = 0; c < chains; c++) {
          divergent[d] += data[chains + c] > 0.5 ? 1 : 0;
          acceptSum[d] += data[c];
          block.set(data.subarray(2 * chains + c * p, 2 * chains + (c + 1) * p), (c * n + d) * p);
        }
        opts.onDraw?.(d, divergent[d], acceptSum[d] / chains);
      }
      return { values: d === n ? block : firstDraws(block, chains, n, d, p), draws: d, divergent: divergent.slice(0, d), acceptSum: acceptSum.slice(0, d) };
    },
    async positions() {
      return (await state.position.data()) as Float32Array;
    },
    async dispose() {
      disposeAll(state);
      disposeMetric(metric);
    },
  };
}

/**
 * Batches of chains moved as one, chain order kept (the first batch's chains first): each call goes
 * to every batch at once and their answers are concatenated, so the adaptation sees exactly what
 * one batch of all the chains would report. Sums of moments add the batches' partial sums in batch
 * order (the same on every run). A draw request cut short by a batch's clock keeps the draws every
 * batch took. A call settles when every batch's has (a cancelled run ends only once all its batches
 * stopped), with the first failure if any.
 */
export function joinChains(batches: readonly Chains[]): Chains {
  if (batches.length === 1) return batches[0];
  const every = async <T>(call: (b: Chains) => Promise<T>): Promise<T[]> => {
    const settled = await Promise.allSettled(batches.map(call));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  };
  const chains = batches.reduce((n, b) => n + b.chains, 0);
  const concat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of parts) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return {
    chains,
    async setMetric(values) {
      await every((b) => b.setMetric(values));
    },
    async warmupTransition(stepSize, numSteps, moments) {
      const parts = await every((b) => b.warmupTransition(stepSize, numSteps, moments));
      const out: WarmupTransition = {
        acceptProb: concat(parts.map((t) => t.acceptProb)),
        divergent: concat(parts.map((t) => t.divergent)),
        before: concat(parts.map((t) => t.before)),
        proposal: concat(parts.map((t) => t.proposal)),
        velocity: concat(parts.map((t) => t.velocity)),
      };
      if (moments) {
        const s1 = new Float64Array(parts[0].moments!.s1.length);
        const s2 = new Float64Array(parts[0].moments!.s2.length);
        for (const t of parts) {
          for (let i = 0; i < s1.length; i++) s1[i] += t.moments!.s1[i];
          for (let i = 0; i < s2.length; i++) s2[i] += t.moments!.s2[i];
        }
        out.moments = { s1, s2 };
      }
      return out;
    },
    async draw(request) {
      const parts = await every((b) => b.draw(request));
      const d = Math.min(...parts.map((b) => b.draws));
      const p = parts[0].draws > 0 ? parts[0].values.length / (batches[0].chains * parts[0].draws) : 0;
      const values = new Float64Array(chains * d * p);
      const divergent = new Float64Array(d);
      const acceptSum = new Float64Array(d);
      let at = 0;
      parts.forEach((part, i) => {
        const c = batches[i].chains;
        values.set(part.draws === d ? part.values : firstDraws(part.values, c, part.draws, d, p), at);
        at += c * d * p;
        for (let k = 0; k < d; k++) {
          divergent[k] += part.divergent[k];
          acceptSum[k] += part.acceptSum[k];
        }
      });
      return { values, draws: d, divergent, acceptSum };
    },
    async positions() {
      return concat(await every((b) => b.positions()));
    },
    async dispose() {
      await every((b) => b.dispose());
    },
  };
}

/** The first `d` of `n` draws per chain of a block `[chain][n][p]`, as `[chain][d][p]`. */
export function firstDraws(block: Float64Array, chains: number, n: number, d: number, p: number): Float64Array {
  const out = new Float64Array(chains * d * p);
  for (let c = 0; c < chains; c++) out.set(block.subarray(c * n * p, (c * n + d) * p), c * d * p);
  return out;
}

/**
 * The initial HMC state at `starts` `[chains, dim]`; a chain whose start has a non-finite log
 * density starts at the mode instead.
 */
async function initialState(model: CompiledModel, starts: Float32Array, mode: Float32Array, chains: number): Promise<HmcState> {
  const dim = model.dim;
  const position = tf.tensor2d(starts, [chains, dim]);
  const state = hmcInit(model, position);
  position.dispose();
  const [lp, g] = await Promise.all([state.logp.data(), state.grad.data()]);
  let replaced = false;
  for (let c = 0; c < chains; c++) {
    let ok = Number.isFinite(lp[c]);
    for (let i = 0; i < dim && ok; i++) ok = Number.isFinite(g[c * dim + i]);
    if (!ok) {
      starts.set(mode, c * dim);
      replaced = true;
    }
  }
  if (!replaced) return state;
  disposeAll(state);
  const fixed = tf.tensor2d(starts, [chains, dim]);
  const out = hmcInit(model, fixed);
  fixed.dispose();
  return out;
}
