import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { priorLogProb } from '../../../src/engine/distributions';
import { normalCdfF64 } from '../../../src/engine/special-f64';
import { bijectorFor } from '../../../src/engine/bijectors';
import { mergePriors, validatePrior, type Prior } from '../../../src/engine/priors';

// Reference values: scipy.stats logpdf in float64 (HalfStudentT as log 2 + t.logpdf).
const CASES: [Prior, number[], number[]][] = [
  [{ dist: 'Normal', mu: 1.5, sigma: 2 }, [-3, 0, 1.5, 4.2], [-4.14333571376, -1.89333571376, -1.61208571376, -2.52333571376]],
  [{ dist: 'HalfNormal', sigma: 2 }, [0.1, 1, 3.7], [-0.920188533205, -1.0439385332, -2.6301885332]],
  [{ dist: 'StudentT', nu: 4.5, mu: 1, sigma: 2 }, [-5, 0.3, 1, 9], [-4.68839166369, -1.74106816048, -1.66720786985, -5.83716346561]],
  [{ dist: 'HalfStudentT', nu: 3, sigma: 1.5 }, [0.2, 2, 10], [-0.725023650544, -1.64393327655, -6.23510107162]],
  [{ dist: 'Cauchy', alpha: 0.5, beta: 2 }, [-4, 0.5, 3], [-3.63999932267, -1.83787706641, -2.77886041087]],
  [{ dist: 'HalfCauchy', beta: 2.5 }, [0.1, 2.5, 30], [-1.36947215853, -2.06102061772, -6.34460717958]],
  [{ dist: 'Laplace', mu: 0.5, b: 1.5 }, [-2, 0.5, 3], [-2.76527895533, -1.09861228867, -2.76527895533]],
  [{ dist: 'Gamma', alpha: 3, beta: 2 }, [0.05, 1, 4], [-4.70517018599, -0.61370563888, -3.84111691664]],
  [{ dist: 'InverseGamma', alpha: 2.5, beta: 1.5 }, [0.1, 1, 6], [-6.21197227472, -0.771020100203, -5.7921782425]],
  [{ dist: 'Beta', alpha: 1, beta: 3 }, [0.01, 0.3, 0.95], [1.07851161696, 0.385262400791, -4.89285225844]],
  [{ dist: 'Beta', alpha: 2.5, beta: 0.7 }, [0.01, 0.3, 0.95], [-6.56488546808, -1.35910201316, 1.16163445064]],
  [{ dist: 'LogNormal', mu: 0.3, sigma: 0.8 }, [0.2, 1, 5], [-1.93475796121, -0.76610748189, -3.64478574317]],
  [{ dist: 'Exponential', lam: 1.7 }, [0, 0.5, 3], [0.530628251062, -0.319371748938, -4.56937174894]],
  [{ dist: 'Weibull', alpha: 1.8, beta: 2.2 }, [0.1, 1.5, 5], [-2.67733854397, -1.00894860147, -3.92702463733]],
  [{ dist: 'Uniform', lower: -1, upper: 3 }, [-0.5, 2.9], [-1.38629436112, -1.38629436112]],
  [{ dist: 'TruncatedNormal', mu: 1, sigma: 2, lower: 0, upper: 5 }, [0.1, 1, 4.9], [-1.31093440143, -1.20968440143, -3.11093440143]],
];

describe('priorLogProb', () => {
  it.each(CASES)('%o matches scipy', (prior, xs, want) => {
    const got = tf.tidy(() => Array.from(priorLogProb(prior, tf.tensor2d(xs, [xs.length, 1])).dataSync()));
    // float32 arithmetic on O(1..10) log densities: 2e-5 absolute covers a few ulps per op.
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
  });

  it('Dirichlet matches scipy', () => {
    const got = tf.tidy(() =>
      Array.from(priorLogProb({ dist: 'Dirichlet', a: [2, 3, 1.5] }, tf.tensor2d([0.2, 0.5, 0.3, 0.6, 0.1, 0.3], [2, 3])).dataSync()),
    );
    expect(got[0]).toBeCloseTo(1.4924784412154817, 4);
    expect(got[1]).toBeCloseTo(-0.6277850949846089, 4);
  });

  it('Flat priors add nothing', () => {
    const got = tf.tidy(() => Array.from(priorLogProb({ dist: 'Flat' }, tf.tensor2d([1, 2, 3], [3, 1])).dataSync()));
    expect(got).toEqual([0, 0, 0]);
  });
});

describe('normalCdfF64', () => {
  it('matches scipy.stats.norm.cdf', () => {
    const z = [-6, -2, -0.3, 0, 0.4, 1.7, 5];
    const want = [9.86587645e-10, 2.27501319e-2, 3.82088578e-1, 0.5, 6.55421742e-1, 9.55434537e-1, 9.99999713e-1];
    z.forEach((v, i) => expect(Math.abs(normalCdfF64(v) - want[i]) / want[i]).toBeLessThan(1e-7));
  });
});

describe('bijectors', () => {
  // log|det J| against a central finite difference of the forward map (float32, step 1e-2: ~1e-3 accuracy).
  it.each(['positive', 'unit', { lower: -2, upper: 5 }] as const)('%o log-det matches finite differences', (support) => {
    const b = bijectorFor(support);
    for (const y of [-2, -0.3, 0.4, 1.7]) {
      const h = 1e-2;
      const [x0, x1, logDet] = tf.tidy(() => {
        const lo = b.forward(tf.tensor2d([y - h], [1, 1])).x.dataSync()[0];
        const hi = b.forward(tf.tensor2d([y + h], [1, 1])).x.dataSync()[0];
        return [lo, hi, b.forward(tf.tensor2d([y], [1, 1])).logDetJac.dataSync()[0]];
      });
      expect(logDet).toBeCloseTo(Math.log((x1 - x0) / (2 * h)), 3);
      const x = tf.tidy(() => b.forward(tf.tensor2d([y], [1, 1])).x.dataSync()[0]);
      expect(b.inverse([x])[0]).toBeCloseTo(y, 4);
    }
  });

  it('simplex: sums to one, inverse round-trips, log-det is the log product of all coordinates', () => {
    const b = bijectorFor('simplex');
    const y = [0.3, -1.2];
    const { x, logDet } = tf.tidy(() => {
      const r = b.forward(tf.tensor2d(y, [1, 2]));
      return { x: Array.from(r.x.dataSync()), logDet: r.logDetJac.dataSync()[0] };
    });
    expect(x.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    expect(b.inverse(x)[0]).toBeCloseTo(y[0], 5);
    expect(b.inverse(x)[1]).toBeCloseTo(y[1], 5);
    // Finite-difference Jacobian determinant of (y1, y2) -> (x1, x2).
    const h = 1e-3;
    const f = (v: number[]) => tf.tidy(() => Array.from(b.forward(tf.tensor2d(v, [1, 2])).x.dataSync()));
    const j = [0, 1].map((k) => {
      const up = [...y];
      const dn = [...y];
      up[k] += h;
      dn[k] -= h;
      const a = f(up);
      const c = f(dn);
      return [(a[0] - c[0]) / (2 * h), (a[1] - c[1]) / (2 * h)];
    });
    const det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
    expect(logDet).toBeCloseTo(Math.log(Math.abs(det)), 2);
  });
});

describe('priors', () => {
  it('validates distribution names and parameters', () => {
    expect(validatePrior({ dist: 'Gamma', alpha: 3, beta: 1 }, 'p')).toEqual({ dist: 'Gamma', alpha: 3, beta: 1 });
    expect(() => validatePrior({ dist: 'Gama', alpha: 3 }, 'priors.lam')).toThrow(/priors.lam: unknown distribution "Gama"/);
    expect(() => validatePrior({ dist: 'Normal', mu: 0 }, 'p')).toThrow(/needs a finite number for 'sigma'/);
    expect(() => validatePrior({ dist: 'HalfNormal', sigma: -1 }, 'p')).toThrow(/'sigma' > 0/);
    expect(() => validatePrior({ dist: 'Normal', mu: 0, sigma: 1, nu: 3 }, 'p')).toThrow(/no parameter 'nu'/);
    expect(() => validatePrior({ dist: 'Uniform', lower: 2, upper: 1 }, 'p')).toThrow(/lower < upper/);
    expect(() => validatePrior({ dist: 'Dirichlet', a: [1] }, 'p')).toThrow(/at least 2/);
  });

  it('merges user priors over defaults and rejects unknown keys', () => {
    const defaults: Record<string, Prior> = { a: { dist: 'HalfNormal', sigma: 2 }, b: { dist: 'Beta', alpha: 1, beta: 3 } };
    const merged = mergePriors(defaults, { b: { dist: 'Beta', alpha: 2, beta: 2 } });
    expect(merged).toEqual({ a: { dist: 'HalfNormal', sigma: 2 }, b: { dist: 'Beta', alpha: 2, beta: 2 } });
    expect(defaults.b).toEqual({ dist: 'Beta', alpha: 1, beta: 3 });
    expect(() => mergePriors(defaults, { c: { dist: 'Flat' } })).toThrow(/unknown prior 'c'; expected one of a, b/);
  });
});
