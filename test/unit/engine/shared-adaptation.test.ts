/**
 * Chains split over workers share one warm-up adaptation: the batches' reports are joined in chain
 * order and every statistic is computed on the union, so three "workers" (batches driven in-process
 * through the same interface a helper worker serves) tune exactly what one batch of the same
 * chains tunes, up to the float rounding of the moments' partial sums; and a sampled run split over
 * workers is reproducible for a seed and samples the known posterior.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cheesAdaptation, type CheesParameters } from '../../../src/engine/adaptation/chees';
import { createChains, joinChains, type Chains, type WarmupTransition } from '../../../src/engine/chains';
import { mcseMean } from '../../../src/engine/diagnostics';
import { normalLogPdf } from '../../../src/engine/distributions';
import { compileModel } from '../../../src/engine/model';
import { createRng } from '../../../src/engine/rng';
import { sample, shareSizes, type OpenChains } from '../../../src/engine/sample';

const DIM = 3;

/**
 * Stand-in chains `from`..`to - 1` of a run: each transition's statistics a fixed function of the
 * chain's index, the transition's number and the step it was asked to take (so the adaptation's
 * path feeds back into what the chains report, as real chains do).
 */
function fakeChains(from: number, to: number): Chains {
  const n = to - from;
  let k = 0;
  const row = (f: (i: number) => number) => Array.from({ length: DIM }, (_, i) => f(i));
  return {
    chains: n,
    async setMetric() {},
    async warmupTransition(stepSize, numSteps, moments): Promise<WarmupTransition> {
      k++;
      const t: WarmupTransition = {
        acceptProb: new Float32Array(n),
        divergent: new Float32Array(n),
        before: new Float32Array(n * DIM),
        proposal: new Float32Array(n * DIM),
        velocity: new Float32Array(n * DIM),
      };
      for (let j = 0; j < n; j++) {
        const c = from + j;
        t.acceptProb[j] = Math.min(1, Math.exp(-stepSize * (1 + ((c * 7 + k) % 5))));
        t.divergent[j] = (c * 13 + k) % 41 === 0 ? 1 : 0;
        t.before.set(row((i) => Math.sin(c + 2 * i + 0.1 * k)), j * DIM);
        t.proposal.set(row((i) => Math.sin(c + 2 * i + 0.1 * k) + stepSize * numSteps * Math.cos(3 * c + i + k)), j * DIM);
        t.velocity.set(row((i) => Math.cos(3 * c + i + k) - 0.05 * i), j * DIM);
      }
      if (moments) {
        const s1 = new Float64Array(DIM);
        const s2 = new Float64Array(DIM * DIM);
        for (let j = 0; j < n; j++) {
          for (let a = 0; a < DIM; a++) {
            s1[a] += t.proposal[j * DIM + a];
            for (let b = 0; b < DIM; b++) s2[a * DIM + b] += t.proposal[j * DIM + a] * t.proposal[j * DIM + b];
          }
        }
        t.moments = { s1, s2 };
      }
      return t;
    },
    draw: () => Promise.reject(new Error('not drawn')),
    positions: async () => new Float32Array(n * DIM),
    async dispose() {},
  };
}

async function tune(chains: Chains): Promise<CheesParameters> {
  let step = 0;
  const adaptation = cheesAdaptation({ dim: DIM, nextStep: () => step++, tick: async () => {} });
  const initial: CheesParameters = { stepSize: 0.3, trajectoryLength: 0.9, metric: { kind: 'diag', variances: new Float64Array(DIM).fill(1) } };
  return (await adaptation.run(chains, initial, 200)).parameters;
}

describe('one adaptation shared by chains split over workers', () => {
  it('tunes what one batch of the same chains tunes (three workers of 4, 3 and 3 chains)', async () => {
    const whole = await tune(fakeChains(0, 10));
    const split = await tune(joinChains([fakeChains(0, 4), fakeChains(4, 7), fakeChains(7, 10)]));
    // The adaptation actually moved (not the initial values), along the same path.
    expect(whole.stepSize).not.toBeCloseTo(0.3, 3);
    expect(whole.metric.kind).toBe('dense');
    expect(split.metric.kind).toBe(whole.metric.kind);
    expect(split.stepSize / whole.stepSize).toBeCloseTo(1, 10);
    expect(split.trajectoryLength / whole.trajectoryLength).toBeCloseTo(1, 10);
    const a = whole.metric.kind === 'dense' ? whole.metric.covariance : whole.metric.variances;
    const b = split.metric.kind === 'dense' ? split.metric.covariance : split.metric.variances;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 10));
    // And again: the same reports give the same parameters, exactly.
    expect(await tune(joinChains([fakeChains(0, 4), fakeChains(4, 7), fakeChains(7, 10)]))).toEqual(split);
  });

  it('splits chains into contiguous shares at most one apart', () => {
    expect(shareSizes(32, 3)).toEqual([11, 11, 10]);
    expect(shareSizes(4, 4)).toEqual([1, 1, 1, 1]);
    expect(() => shareSizes(2, 3)).toThrow(/each share needs a chain/);
  });

  it('a run over 2 workers is reproducible for a seed, samples a known Gaussian, and leaks no tensors', async () => {
    // x ~ N((1, -2), diag(1, 4)).
    const mu = [1, -2];
    const sd = [1, 2];
    const model = compileModel([{ name: 'x', prior: { dist: 'Flat' }, size: 2 }], ({ x }) =>
      tf.sum(normalLogPdf(x as tf.Tensor2D, tf.tensor1d(mu), tf.tensor1d(sd)), 1),
    );
    const peer: OpenChains = (share) => createChains(model, share.starts, share.mode, share.metric, createRng(share.seed));
    const before = tf.memory().numTensors;
    const run = () => sample(model, { chains: 8, warmup: 200, draws: 200, seed: 7, peers: [peer] });
    const a = await run();
    const b = await run();
    expect(Array.from(b.posterior.values)).toEqual(Array.from(a.posterior.values));
    expect(a.posterior.chains).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
    mu.forEach((m, i) => {
      const x = a.posterior.column(`x[${i}]`);
      const sq = x.map((v) => (v - m) ** 2);
      // Mean and variance each within 4 Monte Carlo standard errors of the truth.
      expect(Math.abs(mean(x) - m)).toBeLessThan(4 * mcseMean(x, 8));
      expect(Math.abs(mean(sq) - sd[i] ** 2)).toBeLessThan(4 * mcseMean(sq, 8));
    });
  });
});

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
