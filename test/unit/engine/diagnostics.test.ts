/**
 * Diagnostics against an independent float64 port of ArviZ's algorithms in numpy/scipy
 * (rankdata, norm.ppf, rfft autocovariance), run on the same deterministic draws. Both sides are
 * float64: tolerance 1e-8 relative (the FFTs and the normal quantile differ in the last digits).
 */
import { describe, expect, it } from 'vitest';
import { essBulk, essTail, estimate, hdi, mcseMean, normalQuantile, rhat, summarise } from '../../../src/engine/diagnostics';
import { createPosterior } from '../../../src/engine/posterior';

/** LCG uniforms + Box-Muller, identical to the Python reference generator. */
function lcgNormal(seed: number, n: number): number[] {
  let s = seed;
  const u = () => {
    s = ((Math.imul(s, 1103515245) + 12345) >>> 0) % 2147483648; // exact (s a + c) mod 2^31
    return (s + 0.5) / 2147483648;
  };
  const out: number[] = [];
  while (out.length < n) {
    const a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    out.push(r * Math.cos(2 * Math.PI * b), r * Math.sin(2 * Math.PI * b));
  }
  return out.slice(0, n);
}

function ar1(seed: number, chains: number, n: number, phi: number, shift?: number[]): Float64Array {
  const e = lcgNormal(seed, chains * n);
  const x = new Float64Array(chains * n);
  for (let c = 0; c < chains; c++) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      v = phi * v + e[c * n + i];
      x[c * n + i] = v + (shift?.[c] ?? 0);
    }
  }
  return x;
}

// [rhat, essBulk, essTail, mcseMean, hdiLow, hdiHigh, mean, sd] from the Python port.
const CASES: [string, Float64Array, number, number[]][] = [
  ['ar1', ar1(7, 4, 500, 0.7), 4, [1.0033673436721267, 406.54535298507545, 747.5027382139534, 0.06556385257703795, -2.468060148118349, 2.5136255840673494, -0.1260369701552636, 1.3235498785655673]],
  ['iid', ar1(11, 4, 500, 0), 4, [1.0004310732278856, 1769.7105442350412, 1843.2778909239892, 0.02491025486772741, -1.820378976672155, 2.026471789713721, 0.031294667984412765, 1.0426219413534397]],
  ['shifted chain', ar1(3, 4, 500, 0.5, [0, 0, 0, 1.5]), 4, [1.1262180370792922, 23.940270749055617, 106.97158695546115, 0.2760388141041679, -2.024623856426912, 2.8609272832462618, 0.37513946792046143, 1.31729355348234]],
  ['odd length', ar1(5, 3, 301, 0.9), 3, [1.0673395781609776, 47.07659837161843, 215.99704676559756, 0.3141329109288586, -3.494986350567972, 4.310270489213847, 0.24871800170792827, 2.1327689509879204]],
];

const close = (got: number, want: number, rel = 1e-8) => expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));

describe('diagnostics match the ArviZ algorithms', () => {
  it.each(CASES)('%s', (_, x, chains, want) => {
    close(rhat(x, chains), want[0]);
    close(essBulk(x, chains), want[1]);
    close(essTail(x, chains), want[2]);
    close(mcseMean(x, chains), want[3]);
    const [lo, hi] = hdi(x);
    close(lo, want[4]);
    close(hi, want[5]);
    const e = estimate(x);
    close(e.mean, want[6]);
    close(e.sd, want[7]);
  });

  it('flags the shifted chain and passes the iid draws', () => {
    expect(rhat(CASES[2][1], 4)).toBeGreaterThan(1.1);
    expect(rhat(CASES[1][1], 4)).toBeLessThan(1.01);
    expect(essBulk(CASES[1][1], 4)).toBeGreaterThan(1500);
  });

  it('normal quantile matches scipy.stats.norm.ppf', () => {
    const p = [1e-10, 0.001, 0.02, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9];
    const want = [-6.361340902404056, -3.090232306167813, -2.053748910631823, -0.5244005127080409, 0, 0.7388468491852137, 2.3263478740408408, 5.997807019601637];
    // 1 - 1e-9 is itself rounded in float64 (relative 1e-7 of the tail mass), hence the looser last point.
    p.forEach((v, i) => close(normalQuantile(v), want[i], i === 7 ? 1e-6 : 1e-10));
  });

  it('never returns NaN for a constant parameter', () => {
    const x = new Float64Array(400).fill(2.5);
    expect(rhat(x, 4)).toBe(1);
    expect(essBulk(x, 4)).toBe(400);
    expect(essTail(x, 4)).toBe(400);
    expect(mcseMean(x, 4)).toBe(0);
    expect(estimate(x)).toEqual({ mean: 2.5, sd: 0, hdiLow: 2.5, hdiHigh: 2.5 });
  });

  it('reports R-hat as not computable (NaN), never as 1, for non-finite draws or fewer than 4 draws per chain', () => {
    const x = Float64Array.from(CASES[1][1]);
    x[17] = NaN;
    expect(rhat(x, 4)).toBeNaN();
    x[17] = Infinity;
    expect(rhat(x, 4)).toBeNaN();
    // 4 chains x 3 draws, each chain different: too few to split and rank.
    expect(rhat([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], 4)).toBeNaN();
    expect(rhat(CASES[2][1].slice(0, 16), 4)).not.toBeNaN();
  });

  it('summarizes every flat parameter of a posterior', () => {
    const chains = 4;
    const draws = 500;
    const a = CASES[0][1];
    const b = CASES[1][1];
    const values = new Float64Array(chains * draws * 2);
    for (let k = 0; k < chains * draws; k++) {
      values[2 * k] = a[k];
      values[2 * k + 1] = b[k];
    }
    const s = summarise(createPosterior(['a', 'b'], chains, draws, values));
    close(s.a.rhat, CASES[0][3][0]);
    close(s.b.essBulk, CASES[1][3][1]);
  });
});
