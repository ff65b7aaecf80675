/**
 * The batched tfjs log likelihood of the causal regression block against its float64 reference
 * (plain loops, no tfjs), with every feature the models use: several terms, a local level
 * (random walk) and a gamma-parametrised simplex; and the per-draw predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createPosterior } from '../../../../src/engine/posterior';
import { createRng } from '../../../../src/engine/rng';
import { thinIndices } from '../../../../src/engine/thin';
import { gammaCoordinateF64, gammaSimplexShape } from '../../../../src/models/causal/gamma-simplex';
import {
  coefficientDraws,
  regressionBlock,
  regressionDraws,
  regressionLogLikF64,
  type RegressionSpec,
} from '../../../../src/models/causal/regression';

const rng = createRng(11);
const n = 24;
const col = () => Float64Array.from({ length: n }, () => rng.normal());

function spec(overrides: Partial<RegressionSpec> = {}): RegressionSpec {
  return {
    prefix: '',
    terms: [
      { name: 'intercept', prior: { dist: 'Normal', mu: 0, sigma: 2 }, columns: [new Float64Array(n).fill(1)] },
      { name: 'beta', prior: { dist: 'Normal', mu: 0, sigma: 2 }, columns: [col(), col()], labels: ['a', 'b'] },
    ],
    y: col(),
    fitRows: 18,
    sigmaPrior: { dist: 'HalfNormal', sigma: 1 },
    ...overrides,
  };
}

/** Evaluates the block's batched log likelihood on `chains` points given as records of arrays. */
function batched(s: RegressionSpec, points: Record<string, number[]>[]): number[] {
  return tf.tidy(() => {
    const block = regressionBlock(s);
    const values: Record<string, tf.Tensor2D> = {};
    for (const p of block.params) {
      values[p.name] = tf.tensor2d(points.map((pt) => pt[p.name]), [points.length, p.size ?? 1]);
    }
    return Array.from(block.logLik(values).dataSync());
  });
}

function randomPoint(s: RegressionSpec): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of regressionBlockParams(s)) {
    out[p.name] = Array.from({ length: p.size }, () => (p.positive ? 0.3 + Math.abs(rng.normal()) : rng.normal()));
  }
  return out;
}

function regressionBlockParams(s: RegressionSpec): { name: string; size: number; positive: boolean }[] {
  return tf.tidy(() =>
    regressionBlock(s).params.map((p) => ({ name: p.name, size: p.size ?? 1, positive: p.name.endsWith('sigma') || p.name.endsWith('sigma_level') })),
  );
}

describe('causal regression block', () => {
  // float32 data and parameters: the sum of 18 squared standardised residuals (each O(1..10)) and
  // the log terms carry ~1e-6 relative error per op; 1e-4 relative (abs floor 1e-3) leaves margin.
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-3 + 1e-4 * Math.abs(b));

  it('matches the float64 reference for plain terms, over a batch of chains', () => {
    const s = spec();
    const pts = [randomPoint(s), randomPoint(s), randomPoint(s)];
    const got = batched(s, pts);
    pts.forEach((p, c) => close(got[c], regressionLogLikF64(s, p)));
  });

  it('matches with a local level (random walk) and a placebo prefix', () => {
    const s = spec({ prefix: 'placebo_', levelPrior: { dist: 'HalfNormal', sigma: 0.05 } });
    const pts = [randomPoint(s), randomPoint(s)];
    const got = batched(s, pts);
    pts.forEach((p, c) => close(got[c], regressionLogLikF64(s, p)));
    expect(Object.keys(pts[0]).sort()).toEqual(['placebo_beta', 'placebo_intercept', 'placebo_level_z', 'placebo_sigma', 'placebo_sigma_level']);
    expect(pts[0].placebo_level_z.length).toBe(18);
  });

  it('matches with a gamma-parametrised Dirichlet simplex, and its weights sum to 1', () => {
    const s = spec({
      terms: [{ name: 'weights', prior: { dist: 'Dirichlet', a: [0.1, 0.5, 2] }, columns: [col(), col(), col()], labels: ['x', 'y', 'z'], gammaSimplex: true }],
    });
    // Coordinates on both pieces of the map (below and above u0) and deep in the unused tail.
    const pts = [randomPoint(s), randomPoint(s), { ...randomPoint(s), weights_raw: [-30, 2.5, 0.1] }];
    const got = batched(s, pts);
    pts.forEach((p, c) => close(got[c], regressionLogLikF64(s, p)));
  });

  it('predicts every row per draw, leaves out effect terms, and maps gamma coordinates to weights', () => {
    const s = spec({
      terms: [
        { name: 'gap', prior: { dist: 'Normal', mu: 0, sigma: 2 }, columns: [new Float64Array(n).fill(1)] },
        { name: 'delta', prior: { dist: 'Normal', mu: 0, sigma: 2 }, columns: [Float64Array.from({ length: n }, (_, i) => (i >= 18 ? 1 : 0))] },
      ],
      fitRows: n,
      effectTerms: ['delta'],
    });
    // Two draws (one chain): gap 1.5 / -0.5, delta 10 / 20, sigma 0.1.
    const post = createPosterior(['gap', 'delta', 'sigma'], 1, 2, Float64Array.from([1.5, 10, 0.1, -0.5, 20, 0.1]));
    const d = regressionDraws(s, post, [0, 1], createRng(1));
    expect(d.mean[0].every((v) => v === 1.5)).toBe(true);
    expect(d.mean[1].every((v) => v === -0.5)).toBe(true);
    expect(Array.from(d.sigma)).toEqual([0.1, 0.1]);

    const g = spec({ terms: [{ name: 'weights', prior: { dist: 'Dirichlet', a: [1, 1] }, columns: [col(), col()], labels: ['p', 'q'], gammaSimplex: true }] });
    // Coordinates of Gamma variates 1 and 3: weights 1/4 and 3/4.
    const shape = gammaSimplexShape([1, 1]);
    const raw = [1, 3].map((g, k) => gammaCoordinateF64(shape, k, g));
    const pg = createPosterior(['weights_raw[p]', 'weights_raw[q]', 'sigma'], 1, 1, Float64Array.from([...raw, 1]));
    const b = coefficientDraws(g, pg, [0]);
    expect(b[0][0]).toBeCloseTo(0.25, 14);
    expect(b[0][1]).toBeCloseTo(0.75, 14);
  });

  it('continues the random walk after the fitted rows', () => {
    const s = spec({ fitRows: 3, y: new Float64Array(6), terms: [], levelPrior: { dist: 'HalfNormal', sigma: 1 } });
    const post = createPosterior(['sigma', 'sigma_level', 'level_z[0]', 'level_z[1]', 'level_z[2]'], 1, 1, Float64Array.from([1, 2, 1, -1, 0.5]));
    const m = regressionDraws(s, post, [0], createRng(5)).mean[0];
    // Fitted level: 2 * cumsum(1, -1, 0.5) = 2, 0, 1; then fresh N(0, 2) steps from 1.
    expect(Array.from(m.subarray(0, 3))).toEqual([2, 0, 1]);
    const r = createRng(5);
    let level = 1;
    for (let i = 3; i < 6; i++) {
      level += 2 * r.normal();
      expect(m[i]).toBeCloseTo(level, 12);
    }
  });

  it('thins draws evenly', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(thinIndices(10, 4)).toEqual([0, 2, 5, 7]);
  });
});
