/**
 * ChEES-HMC against posteriors whose answers are known. Tolerances are 4 Monte Carlo standard
 * errors (from the run's own draws, as ArviZ computes them) plus the reference's own uncertainty
 * where the reference is itself an estimate.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileModel } from '../../../src/engine/model';
import { sample } from '../../../src/engine/sample';
import { essBulk, mcseMean, rhat, summarise } from '../../../src/engine/diagnostics';
import { normalLogPdf } from '../../../src/engine/distributions';
import type { Posterior, SamplingHints } from '../../../src/engine/types';

function check(post: Posterior, name: string, truth: number, extra = 0) {
  const x = post.column(name);
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const tol = 4 * mcseMean(x, post.chains) + extra;
  expect(Math.abs(mean - truth), `${name}: mean ${mean} vs ${truth} (tol ${tol})`).toBeLessThan(tol);
  return mean;
}

describe('ChEES-HMC on known posteriors', () => {
  it('10-d correlated Gaussian: means and variances', async () => {
    const d = 10;
    const scales = Array.from({ length: d }, (_, i) => 0.5 + 0.5 * i);
    const rho = 0.6;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = scales[i] * scales[j] * Math.pow(rho, Math.abs(i - j));
    // AR(1) correlation has a tridiagonal inverse: precision in closed form.
    const prec = new Float64Array(d * d);
    const c = 1 / (1 - rho * rho);
    for (let i = 0; i < d; i++) {
      prec[i * d + i] = (i === 0 || i === d - 1 ? c : c * (1 + rho * rho)) / (scales[i] * scales[i]);
      if (i + 1 < d) {
        prec[i * d + i + 1] = prec[(i + 1) * d + i] = (-rho * c) / (scales[i] * scales[i + 1]);
      }
    }
    const mu = Array.from({ length: d }, (_, i) => i - 4);
    const precision = tf.tensor2d(Float32Array.from(prec), [d, d]);
    const muT = tf.tensor1d(mu);
    const model = compileModel([{ name: 'x', prior: { dist: 'Flat' }, size: d }], ({ x }) => {
      const z = tf.sub(x, muT);
      return tf.mul(-0.5, tf.sum(tf.mul(tf.matMul(z, precision), z), 1)) as tf.Tensor1D;
    });
    const { posterior } = await sample(model, { chains: 16, warmup: 300, draws: 250, seed: 3 });
    for (let i = 0; i < d; i++) {
      const name = `x[${i}]`;
      check(posterior, name, mu[i]);
      const x = posterior.column(name);
      expect(rhat(x, posterior.chains)).toBeLessThan(1.02);
      const sq = x.map((v) => (v - mu[i]) ** 2);
      check({ ...posterior, column: () => sq } as Posterior, name, cov[i * d + i]);
    }
    expect(essBulk(posterior.column('x[9]'), posterior.chains)).toBeGreaterThan(400);
    tf.dispose([precision, muT]);
  }, 120_000);

  it('eight schools, non-centred: mu ~ 4.4, tau ~ 3.6', async () => {
    const y = tf.tensor1d([28, 8, -3, 7, -1, 1, 18, 12]);
    const sigma = tf.tensor1d([15, 10, 16, 11, 9, 11, 10, 18]);
    const model = compileModel(
      [
        { name: 'mu', prior: { dist: 'Normal', mu: 0, sigma: 5 } },
        { name: 'tau', prior: { dist: 'HalfCauchy', beta: 5 } },
        { name: 'theta_tilde', prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: 8 },
      ],
      ({ mu, tau, theta_tilde }) => tf.sum(normalLogPdf(y, tf.add(mu, tf.mul(tau, theta_tilde)), sigma), 1) as tf.Tensor1D,
    );
    const { posterior, divergences } = await sample(model, { chains: 16, warmup: 300, draws: 300, seed: 11 });
    // References: long NUTS runs (PyMC/Stan documentation): E[mu] = 4.4, E[tau] = 3.6, each +-0.1.
    check(posterior, 'mu', 4.4, 0.1);
    check(posterior, 'tau', 3.6, 0.1);
    expect(divergences).toBeLessThan(0.01 * 16 * 300);
    tf.dispose([y, sigma]);
  }, 120_000);

  it('logistic regression: posterior means equal the quadrature answer', async () => {
    const xs = [-2, -1.5, -1, -0.7, -0.3, 0, 0.2, 0.5, 0.9, 1.3, 1.7, 2.2, -1.2, 0.4, 1, -0.5, 0.8, -1.8, 1.5, 0.1];
    const ys = [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1];
    const x = tf.tensor2d(xs, [1, xs.length]);
    const yT = tf.tensor2d(ys, [1, ys.length]);
    const model = compileModel(
      [
        { name: 'a', prior: { dist: 'Normal', mu: 0, sigma: 2 } },
        { name: 'b', prior: { dist: 'Normal', mu: 0, sigma: 2 } },
      ],
      ({ a, b }) => {
        const eta = tf.add(a, tf.mul(b, x));
        // y eta - log(1 + e^eta) = y eta - softplus(eta)
        return tf.sum(tf.sub(tf.mul(yT, eta), tf.softplus(eta)), 1) as tf.Tensor1D;
      },
    );
    const { posterior } = await sample(model, { chains: 16, warmup: 200, draws: 250, seed: 5 });
    // Reference: 1201 x 1401 grid quadrature in float64 (scipy), error < 1e-4.
    check(posterior, 'a', -0.18878252943126372);
    check(posterior, 'b', 1.8268435315080374);
    tf.dispose([x, yT]);
  }, 120_000);

  it("Neal's funnel: divergences are reported, not hidden", async () => {
    const model = compileModel(
      [
        { name: 'v', prior: { dist: 'Normal', mu: 0, sigma: 3 } },
        { name: 'x', prior: { dist: 'Flat' }, size: 9 },
      ],
      ({ v, x }) => tf.sum(normalLogPdf(x, 0, tf.exp(tf.div(v, 2))), 1) as tf.Tensor1D,
    );
    // The funnel has no proper mode (the density grows as v -> -inf), so chains start uniformly on
    // (-2, 2) as Stan's do; the neck is then reached only with divergences, and the chains disagree.
    const { divergences, posterior } = await sample(model, { chains: 16, warmup: 150, draws: 150, seed: 2 });
    expect(divergences).toBeGreaterThan(0);
    expect(summarise(posterior).v.rhat).toBeGreaterThan(1.01);
  }, 120_000);

  it("honours a model's sampling hints: spread starts, and the known posterior with mean-acceptance tuning", async () => {
    // N(15, 2^2) in each coordinate (a mode beyond 20 would count as a runaway optimiser and start
    // chains spread anyway). Laplace starts are mode + N(0, 2^2) draws; spread starts are uniform on
    // (-2, 2), and one transition at the first step size (0.5 / dim^0.25, <= 3 leapfrog steps) moves
    // them a few units at most.
    const gaussian = (sampling?: SamplingHints) =>
      compileModel([{ name: 'x', prior: { dist: 'Flat' }, size: 2 }], ({ x }) => tf.mul(-0.5, tf.sum(tf.square(tf.div(tf.sub(x, 15), 2)), 1)) as tf.Tensor1D, {
        sampling,
      });
    const first = async (sampling?: SamplingHints) =>
      Array.from((await sample(gaussian(sampling), { chains: 8, warmup: 0, draws: 1, seed: 4 })).posterior.column('x[0]'));
    const laplace = await first();
    const spread = await first({ start: 'spread' });
    for (const x of laplace) expect(x).toBeGreaterThan(6);
    for (const x of spread) expect(x).toBeLessThan(5);
    // With both hints the sampler still finds and samples the posterior.
    const { posterior } = await sample(gaussian({ start: 'spread', acceptance: 'mean' }), { chains: 8, warmup: 300, draws: 250, seed: 4 });
    for (const name of ['x[0]', 'x[1]']) {
      check(posterior, name, 15);
      const sq = posterior.column(name).map((v) => (v - 15) ** 2);
      check({ ...posterior, column: () => sq } as Posterior, name, 4);
      expect(rhat(posterior.column(name), posterior.chains)).toBeLessThan(1.02);
    }
  }, 60_000);

  it('is reproducible for a seed, reports progress, and leaks no tensors', async () => {
    const model = compileModel([{ name: 's', prior: { dist: 'HalfNormal', sigma: 1 } }], ({ s }) =>
      tf.sum(normalLogPdf(tf.tensor1d([0.3, -0.5, 1.2]), 0, s), 1) as tf.Tensor1D,
    );
    const before = tf.memory().numTensors;
    const phases = new Set<string>();
    const a = await sample(model, { chains: 4, warmup: 30, draws: 20, seed: 9, onProgress: (r) => phases.add(r.phase) });
    const after = tf.memory().numTensors;
    const b = await sample(model, { chains: 4, warmup: 30, draws: 20, seed: 9 });
    expect(Array.from(a.posterior.values)).toEqual(Array.from(b.posterior.values));
    expect(after).toBe(before);
    expect([...phases].sort()).toEqual(['map', 'sampling', 'warmup']);
    const c = await sample(model, { chains: 4, warmup: 30, draws: 20, seed: 10 });
    expect(Array.from(c.posterior.values)).not.toEqual(Array.from(a.posterior.values));
  }, 60_000);

  it('stops with CancelledError when aborted', async () => {
    const model = compileModel([{ name: 'm', prior: { dist: 'Normal', mu: 0, sigma: 1 } }], ({ m }) => tf.sum(tf.mul(m, 0), 1) as tf.Tensor1D);
    const ctl = new AbortController();
    const run = sample(model, {
      chains: 2,
      warmup: 1000,
      draws: 1000,
      seed: 1,
      signal: ctl.signal,
      onProgress: (r) => {
        if (r.phase === 'warmup' && r.iteration === 5) ctl.abort();
      },
    });
    await expect(run).rejects.toThrow(/Cancelled/);
  });
});
