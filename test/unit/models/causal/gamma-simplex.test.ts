/**
 * The gamma-simplex coordinates: their density is exactly the Gamma(a, 1) prior carried through the
 * map (its normalising constant and first two moments by quadrature), the tfjs side equals the
 * float64 one with finite gradients everywhere, and the inverse inverts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { lgammaF64 } from '../../../../src/engine/special-f64';
import {
  gammaCoordinateF64,
  gammaCoordinateLogDensityF64,
  gammaSimplexShape,
  gammaSimplexTensors,
  gammaSimplexWeightsF64,
  gammaVariateF64,
} from '../../../../src/models/causal/gamma-simplex';

const CONCENTRATIONS = [0.1, 0.5, 1, 2.5, 0.1];
// Linear-piece slopes (a >= 1 keeps slope 1): the last coordinate repeats a = 0.1 with another slope.
const SLOPES = [1, 0.4, 1, 1, 2.5];
const SHAPE = gammaSimplexShape(CONCENTRATIONS, SLOPES);

describe('gamma-simplex coordinates', () => {
  it('carry the Gamma(a, 1) density: normalising constant Gamma(a) / c, E[g] = a, E[g^2] = a (a + 1)', () => {
    CONCENTRATIONS.forEach((a, k) => {
      // Trapezoid on v in [-80, 80] (the left tail is e^v, the right e^-g): step 1e-3.
      const h = 1e-3;
      let m0 = 0;
      let m1 = 0;
      let m2 = 0;
      for (let v = -80; v <= 80; v += h) {
        const p = Math.exp(gammaCoordinateLogDensityF64(SHAPE, k, v));
        const g = gammaVariateF64(SHAPE, k, v);
        m0 += p * h;
        m1 += p * g * h;
        m2 += p * g * g * h;
      }
      // The density drops the constant log c (c = SHAPE.c[k]) with lgamma(a).
      expect(Math.log(m0)).toBeCloseTo(lgammaF64(a) - Math.log(SHAPE.c[k]), 5);
      expect(m1 / m0).toBeCloseTo(a, 5);
      expect(m2 / m0).toBeCloseTo(a * (a + 1), 4);
    });
    expect(SHAPE.c).toEqual([1, 0.4, 1, 1, 2.5]);
  });

  it('keeps its constants finite: slopes only for a <= 0.5, clamped to [0.1, 10]', () => {
    const shape = gammaSimplexShape([0.99, 0.1, 0.1, 1, 1000], [10, 1000, 1e-4, 3, 3]);
    expect(shape.c).toEqual([1, 10, 0.1, 1, 1]);
    for (const x of [...shape.u0, ...shape.g0]) {
      expect(Number.isFinite(x) && x > 1e-30 && x < 1e30).toBe(true);
      expect(Math.fround(x)).toBeGreaterThan(0);
    }
  });

  it('maps back: the coordinate of g gives g, on both pieces', () => {
    CONCENTRATIONS.forEach((_, k) => {
      for (const g of [1e-20, 1e-3, 0.05, SHAPE.g0[k], 0.7, 3, 40]) {
        expect(gammaVariateF64(SHAPE, k, gammaCoordinateF64(SHAPE, k, g)) / g).toBeCloseTo(1, 9);
      }
    });
  });

  it('tfjs equals float64 (log density, weights) with finite gradients, from the far tail to large g', () => {
    const shape = SHAPE;
    const points = [
      [-90, -5, 0, 0.5, 1.5],
      [0.3, 0.8, 2, 40, 0.2],
      [-1, 1.2, -20, 3, -60],
    ];
    const map = gammaSimplexTensors(shape);
    const v = tf.tensor2d(points);
    const lp = map(v).logDensity.arraySync();
    const w = map(v).weights.arraySync();
    const grad = tf.grad((x: tf.Tensor) => {
      const { weights, logDensity } = map(x as tf.Tensor2D);
      return tf.add(tf.sum(logDensity), tf.sum(tf.mul(weights, tf.tensor1d([1, 2, 3, 4, 5]))));
    })(v).arraySync() as number[][];
    points.forEach((row, c) => {
      const want = row.reduce((s, x, k) => s + gammaCoordinateLogDensityF64(shape, k, x), 0);
      // float32: ~1e-6 relative per op on terms up to 40 in size.
      expect(Math.abs(lp[c] - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
      const wf = gammaSimplexWeightsF64(shape, row);
      wf.forEach((x, k) => expect(Math.abs(w[c][k] - x)).toBeLessThan(1e-6));
      expect(grad[c].every(Number.isFinite)).toBe(true);
    });
    // The gradient is the float64 derivative (central differences) away from the join u0.
    const dv = 1e-5;
    points[1].forEach((x, k) => {
      const f = (y: number) => gammaCoordinateLogDensityF64(shape, k, y);
      const lpGrad = tf.grad((t: tf.Tensor) => tf.sum(map(t as tf.Tensor2D).logDensity))(tf.tensor2d([points[1]])).arraySync() as number[][];
      expect(lpGrad[0][k]).toBeCloseTo((f(x + dv) - f(x - dv)) / (2 * dv), 3);
    });
  });
});
