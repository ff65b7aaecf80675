import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createPosterior } from '../../../src/engine/posterior';
import { createRng } from '../../../src/engine/rng';
import { thinStep } from '../../../src/engine/thin';
import { compactTrace, rankHistograms, toFloat32Decimal, traceParameters, TRACE_LIMITS } from '../../../src/engine/trace';

/** Standard-normal draws laid out [chain][draw][param], chain c shifted by shift(c). */
function normalPosterior(chains: number, draws: number, params: number, seed: number, shift = (_c: number) => 0) {
  const rng = createRng(seed);
  const values = new Float64Array(chains * draws * params);
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < draws * params; i++) values[c * draws * params + i] = Math.fround(rng.normal() + shift(c));
  }
  const names = Array.from({ length: params }, (_, j) => `theta[${j}]`);
  return createPosterior(names, chains, draws, values);
}

/** Pearson's chi-square statistic of counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((s, k) => s + (k - expected) ** 2 / expected, 0);
}

describe('compact trace', () => {
  it('thins evenly with a whole step and keeps at most 250 draws', () => {
    expect(thinStep(1000, 250)).toBe(4);
    expect(thinStep(300, 250)).toBe(2);
    expect(thinStep(250, 250)).toBe(1);
    expect(thinStep(60, 250)).toBe(1);
    const p = normalPosterior(3, 1001, 2, 1);
    const t = compactTrace(p);
    expect(t.thin).toBe(5);
    expect(t.draws).toBe(201);
    expect(t.chains).toBe(3);
    const x = p.column('theta[1]');
    for (const c of [0, 2]) {
      for (const i of [0, 1, 100, 200]) expect(Math.fround(t.params['theta[1]'][c][i]!)).toBe(x[c * 1001 + i * 5]);
    }
  });

  it('keeps the first 8 chains and the first 40 parameters in model order, and counts the rest', () => {
    const p = normalPosterior(32, 100, 45, 2);
    const t = compactTrace(p);
    expect(t.chains).toBe(8);
    expect(t.draws).toBe(100);
    expect(Object.keys(t.params)).toEqual(p.names.slice(0, 40));
    expect(Object.keys(t.ranks)).toEqual(p.names.slice(0, 40));
    expect(t.omitted).toBe(5);
    expect(t.params['theta[0]']).toHaveLength(8);
    expect(t.ranks['theta[0]'].counts).toHaveLength(8);
    // Every draw of a kept chain is counted, not only the kept ones.
    for (const row of t.ranks['theta[39]'].counts) expect(row.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('writes each draw as the shortest decimal of its float32; non-finite draws become null', () => {
    expect(toFloat32Decimal(0.1)).toBe(0.1);
    expect(toFloat32Decimal(1)).toBe(1);
    expect(toFloat32Decimal(Math.fround(Math.PI))).toBe(3.1415927);
    expect(toFloat32Decimal(1 / 3)).toBe(0.33333334);
    expect(toFloat32Decimal(Infinity)).toBeNull();
    expect(toFloat32Decimal(NaN)).toBeNull();
    expect(toFloat32Decimal(1e39)).toBeNull(); // beyond float32
    const rng = createRng(3);
    for (let k = 0; k < 2000; k++) {
      const v = Math.fround(rng.normal() * 10 ** (rng.uniform() * 20 - 10));
      const d = toFloat32Decimal(v)!;
      expect(Math.fround(d)).toBe(v);
      const significand = d.toExponential().replace(/^-|e.*$|\./g, '');
      expect(significand.length).toBeLessThanOrEqual(9);
    }
  });

  it('rank histograms over pooled draws are near uniform for chains of one distribution', () => {
    const t = compactTrace(normalPosterior(8, 1000, 1, 4));
    const { bins, counts } = t.ranks['theta[0]'];
    expect(bins).toBe(20);
    // chi-square(19): P(> 43.8) = 0.001.
    for (const row of counts) expect(chiSquare(row)).toBeLessThan(43.8);
  });

  it('rank histograms over pooled draws show chains with shifted means', () => {
    // Chain 0 sits 0.5 sd above the others: its ranks pile up at the top, the others' lean low.
    const t = compactTrace(normalPosterior(8, 1000, 1, 5, (c) => (c === 0 ? 0.5 : 0)));
    const counts = t.ranks['theta[0]'].counts;
    expect(chiSquare(counts[0])).toBeGreaterThan(200);
    expect(counts[0][19]).toBeGreaterThan(2 * counts[0][0]);
    // Ranks are pooled over all chains: a chain's own ranks alone would be uniform.
    const alone = rankHistograms(normalPosterior(1, 1000, 1, 5, () => 0.5).column('theta[0]'), 1, 1, 20)[0];
    expect(alone.every((k) => k === 50)).toBe(true);
  });

  it('counts only the kept chains but ranks them among all chains', () => {
    // 16 chains, the last 8 shifted up: the first 8 (kept) all lean low.
    const p = normalPosterior(16, 400, 1, 6, (c) => (c >= 8 ? 1 : 0));
    const counts = rankHistograms(p.column('theta[0]'), 16, 8, 20);
    expect(counts).toHaveLength(8);
    for (const row of counts) expect(row.slice(0, 10).reduce((a, b) => a + b, 0)).toBeGreaterThan(260);
  });

  it('with the run\'s R-hats, keeps the 40 worst-mixing parameters (a non-computable one first), in model order', () => {
    const p = normalPosterior(8, 100, 45, 3);
    // theta[44] mixes worst, theta[43]'s R-hat could not be computed; theta[0..4] mix best.
    const rhats = Object.fromEntries(p.names.map((n, i) => [n, { rhat: i === 44 ? 1.9 : i === 43 ? NaN : i < 5 ? 1.0 : 1.001 + i * 1e-4 }]));
    const t = compactTrace(p, rhats);
    const kept = Object.keys(t.params);
    expect(kept).toHaveLength(40);
    expect(kept).toEqual(p.names.slice(5));
    expect(t.omitted).toBe(5);
    expect(traceParameters(p.names, 40)).toEqual(p.names.slice(0, 40));
    expect(traceParameters(['a', 'b'], 40, { a: { rhat: 2 } })).toEqual(['a', 'b']);
  });

  it('uses no more bins than draws per chain', () => {
    const t = compactTrace(normalPosterior(4, 5, 1, 7));
    expect(t.ranks['theta[0]'].bins).toBe(5);
    expect(t.ranks['theta[0]'].counts.flat().every(Number.isInteger)).toBe(true);
  });

  it(`keeps a ${TRACE_LIMITS.params}-parameter run small: < 0.76 MB as a structured clone (IndexedDB), < 1.1 MB as JSON`, () => {
    // 32 chains x 1000 draws x 60 parameters over magnitudes 1e-5..1e5 (long decimals, exponents).
    const p = normalPosterior(32, 1000, 60, 8);
    const scaled = createPosterior(p.names, 32, 1000, p.values.map((v, i) => Math.fround(v * 10 ** ((i % 60) / 6 - 5))));
    const t = compactTrace(scaled);
    expect(t.omitted).toBe(20);
    const json = JSON.stringify(t).length;
    const clone = serialize(t).length;
    expect(json).toBeLessThan(1_100_000);
    expect(clone).toBeLessThan(760_000);
  });
});
