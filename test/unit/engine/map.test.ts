import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileModel } from '../../../src/engine/model';
import { findMap } from '../../../src/engine/map';
import { gammaLogPdf } from '../../../src/engine/distributions';

describe('findMap (L-BFGS)', () => {
  it('finds the maximum-likelihood Gamma shape and rate (closed-form check via the score equations)', async () => {
    const data = [0.8, 1.9, 2.4, 0.5, 3.1, 1.2, 2.2, 0.9, 1.7, 4.0];
    const x = tf.tensor2d(data, [1, data.length]);
    const model = compileModel(
      [
        { name: 'alpha', prior: { dist: 'HalfFlat' } },
        { name: 'beta', prior: { dist: 'HalfFlat' } },
      ],
      ({ alpha, beta }) => tf.sum(gammaLogPdf(x, alpha, beta), 1) as tf.Tensor1D,
      { jacobian: false },
    );
    const fit = await findMap(model);
    expect(fit.converged).toBe(true);
    const [alpha, beta] = fit.constrained;
    // At the MLE: beta = alpha / mean(x), and log(alpha) - digamma(alpha) = log(mean) - mean(log x).
    const mean = data.reduce((a, v) => a + v, 0) / data.length;
    expect(beta).toBeCloseTo(alpha / mean, 3);
    // scipy.stats.gamma.fit(data, floc=0): shape 3.02236, scale 0.61872 (float64).
    expect(alpha).toBeCloseTo(3.02236, 2);
    expect(1 / beta).toBeCloseTo(0.61872, 2);
    x.dispose();
  });

  it('says so when the start is not finite', async () => {
    const model = compileModel([{ name: 'a', prior: { dist: 'Flat' } }], ({ a }) => tf.sum(tf.log(tf.neg(tf.abs(a))), 1) as tf.Tensor1D);
    await expect(findMap(model)).rejects.toThrow(/not finite/);
  });
});
