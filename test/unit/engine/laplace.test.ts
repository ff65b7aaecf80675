import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cholesky, hessianAt, laplaceDraws } from '../../../src/engine/laplace';
import type { CompiledModel } from '../../../src/engine/types';

/** Gaussian log density with precision P and mean m, batched over rows. */
function gaussian(m: number[], p: number[][]): CompiledModel {
  const dim = m.length;
  const names = m.map((_, i) => `x[${i}]`);
  return {
    dim,
    constrainedDim: dim,
    names,
    parameters: [{ name: 'x', offset: 0, size: dim }],
    logDensity: (theta) =>
      tf.tidy(() => {
        const d = tf.sub(theta, tf.tensor1d(m));
        return tf.mul(-0.5, tf.sum(tf.mul(tf.matMul(d, tf.tensor2d(p)), d), 1)) as tf.Tensor1D;
      }),
    constrain: (theta) => tf.clone(theta),
    initialPoint: () => new Float32Array(dim),
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('laplace', () => {
  const m = [1, -2, 0.5];
  const p = [
    [2, 0.6, 0],
    [0.6, 1, 0.3],
    [0, 0.3, 4],
  ];

  it('finite-difference Hessian of a Gaussian is minus its precision', async () => {
    const h = await hessianAt(gaussian(m, p), m);
    // Gradients are exact-linear here, so only float32 rounding (~1e-7 / step 1e-3) remains.
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[i * 3 + j]).toBeCloseTo(-p[i][j], 3);
  });

  it('cholesky rejects an indefinite matrix', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined();
    const l = cholesky(Float64Array.from([4, 2, 2, 3]), 2)!;
    expect(Array.from(l)).toEqual([2, 0, 1, Math.sqrt(2)]);
  });

  it('draws have the Gaussian mean and covariance', async () => {
    const n = 20000;
    const { draws, jitter } = await laplaceDraws(gaussian(m, p), m, n, normals(7));
    expect(jitter).toBe(0);
    // Covariance = P^-1, computed by hand (3x3 inverse).
    const det = 2 * (1 * 4 - 0.09) - 0.6 * (0.6 * 4 - 0) + 0;
    const cov = [
      [(4 - 0.09) / det, -(0.6 * 4) / det, (0.6 * 0.3) / det],
      [-(0.6 * 4) / det, (2 * 4) / det, -(2 * 0.3) / det],
      [(0.6 * 0.3) / det, -(2 * 0.3) / det, (2 - 0.36) / det],
    ];
    const mean = [0, 0, 0];
    for (let s = 0; s < n; s++) for (let i = 0; i < 3; i++) mean[i] += draws[s * 3 + i] / n;
    for (let i = 0; i < 3; i++) {
      // Monte-Carlo standard error of a mean: sqrt(var / n); allow 4 of them.
      expect(Math.abs(mean[i] - m[i])).toBeLessThan(4 * Math.sqrt(cov[i][i] / n));
      for (let j = 0; j < 3; j++) {
        let c = 0;
        for (let s = 0; s < n; s++) c += (draws[s * 3 + i] - m[i]) * (draws[s * 3 + j] - m[j]);
        c /= n;
        // SE of a sample covariance ~ sqrt((cov_ii cov_jj + cov_ij^2) / n); allow 4 of them.
        const se = Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] ** 2) / n);
        expect(Math.abs(c - cov[i][j])).toBeLessThan(4 * se);
      }
    }
  });
});
