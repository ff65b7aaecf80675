/**
 * Pareto/NBD against the published MLE (Fader, Hardie & Lee 2005 note) and an independent float64
 * implementation with scipy.special.hyp2f1 (both branches alpha >= beta and alpha < beta).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  paretonbdSpec,
  paretoNbdConditionalExpected,
  paretoNbdConditionalPmf,
  paretoNbdExpected,
  paretoNbdLogLikF64,
  paretoNbdPAlive,
} from '../../../../src/models/clv/paretonbd';
import { compileModel } from '../../../../src/engine/model';
import { createRng } from '../../../../src/engine/rng';
import { findMap } from '../../../../src/engine/map';
import { cdnowSummary, countData } from './fixtures';

const MLE = { r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 };

describe('Pareto/NBD', () => {
  const { x, tx, T } = cdnowSummary();

  it('float64 likelihood and predictions equal scipy (hyp2f1) to 1e-8', () => {
    const ll = x.reduce((s, _, i) => s + paretoNbdLogLikF64(MLE, x[i], tx[i], T[i]), 0);
    expect(ll).toBeCloseTo(-9594.973931133585, 5);
    expect(paretoNbdPAlive(MLE, 26, 30.857, 31)).toBeCloseTo(0.9978712764231754, 8);
    expect(paretoNbdPAlive(MLE, 0, 0, 31)).toBeCloseTo(0.3489118681577069, 8);
    expect(paretoNbdPAlive(MLE, 2, 5, 38.86)).toBeCloseTo(0.13007240811410975, 8);
    expect(paretoNbdConditionalExpected(MLE, 52, 26, 30.857, 31)).toBeCloseTo(25.455530961135917, 6);
    expect(paretoNbdConditionalExpected(MLE, 39, 2, 5, 38.86)).toBeCloseTo(0.21777538594679124, 8);
    const want = [0.051008889546698334, 0.4278152908746783, 1.21347606729246, 1.9099967450421431];
    [1, 10, 39, 78].forEach((t, i) => expect(paretoNbdExpected(MLE, t)).toBeCloseTo(want[i], 10));
    // alpha > beta branch, including a heavy buyer (x = 40).
    const p2 = { r: 0.4, alpha: 15, s: 0.8, beta: 5 };
    expect(paretoNbdLogLikF64(p2, 3, 20, 38)).toBeCloseTo(-13.021456580813393, 8);
    expect(paretoNbdLogLikF64(p2, 0, 0, 38)).toBeCloseTo(-0.1971571732405506, 8);
    expect(paretoNbdLogLikF64(p2, 40, 37, 38)).toBeCloseTo(-53.70209738374075, 7);
  });

  it('conditional pmf: sums to 1, its mean is the closed-form expectation, and it matches a simulation', () => {
    const cases: [number, number, number, number][] = [
      [52, 26, 30.857, 31],
      [39, 2, 5, 38.86],
      [39, 0, 0, 38.86],
    ];
    for (const [t, x, tx, T] of cases) {
      let mass = 0;
      let mean = 0;
      for (let n = 0; n < 400; n++) {
        const pn = paretoNbdConditionalPmf(MLE, t, n, x, tx, T);
        mass += pn;
        mean += n * pn;
      }
      expect(mass).toBeCloseTo(1, 8);
      expect(mean).toBeCloseTo(paretoNbdConditionalExpected(MLE, t, x, tx, T), 6);
    }
    // Simulation of the model's story for a customer with x = 2, t_x = 5, T = 38.86 over 39 weeks:
    // alive with P(alive); then lambda ~ gamma(r + x, alpha + T), mu ~ gamma(s, beta + T),
    // tau ~ Exp(mu), N ~ Poisson(lambda min(tau, t)). 200,000 draws: P(n) within 4 standard errors.
    const rng = createRng(12345);
    const unif = () => 1 - rng.uniform();
    const normal = () => rng.normal();
    const gamma = (shape: number): number => {
      if (shape < 1) return gamma(shape + 1) * Math.pow(unif(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const z = normal();
        const v = (1 + c * z) ** 3;
        if (v > 0 && Math.log(unif()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    const poisson = (m: number) => {
      let k = 0;
      let p = Math.exp(-m);
      let cdf = p;
      const u = unif();
      while (u > cdf && k < 10000) {
        k++;
        p *= m / k;
        cdf += p;
      }
      return k;
    };
    const [t, x, tx, T] = [39, 2, 5, 38.86];
    const pAlive = paretoNbdPAlive(MLE, x, tx, T);
    const counts = [0, 0, 0, 0];
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      let n = 0;
      if (unif() < pAlive) {
        const lambda = gamma(MLE.r + x) / (MLE.alpha + T);
        const mu = gamma(MLE.s) / (MLE.beta + T);
        const tau = -Math.log(unif()) / mu;
        n = poisson(lambda * Math.min(tau, t));
      }
      if (n < 4) counts[n]++;
    }
    counts.forEach((c, n) => {
      const want = paretoNbdConditionalPmf(MLE, t, n, x, tx, T);
      expect(Math.abs(c / N - want), `n = ${n}`).toBeLessThan(4 * Math.sqrt((want * (1 - want)) / N) + 1e-6);
    });
  });

  it('batched log density agrees with float64, and maximum likelihood reproduces the published values', async () => {
    const data = countData(x, tx, T);
    const got = tf.tidy(() => {
      const v = (k: keyof typeof MLE) => tf.tensor2d([MLE[k]], [1, 1]);
      return paretonbdSpec.logLikelihood(data)({ r: v('r'), alpha: v('alpha'), s: v('s'), beta: v('beta') }).dataSync()[0];
    });
    // float32 with 24-node quadrature: within 0.05 of -9594.97 (5e-6 relative).
    expect(Math.abs(got + 9594.973931133585)).toBeLessThan(0.05);
    const model = compileModel(
      paretonbdSpec.paramNames.map((name) => ({ name, prior: { dist: 'HalfFlat' } as const })),
      paretonbdSpec.logLikelihood(data),
      { jacobian: false },
    );
    const fit = await findMap(model);
    expect(Math.abs(fit.logDensity + 9594.97)).toBeLessThan(0.1);
    // The Pareto/NBD surface is flat along (s, beta): parameters to 3%.
    (['r', 'alpha', 's', 'beta'] as const).forEach((n, i) => expect(Math.abs(fit.constrained[i] / MLE[n] - 1), n).toBeLessThan(0.03));
  }, 120_000);
});
