/**
 * Explicit, seeded randomness: every stochastic engine function takes an Rng (or a seed) so the
 * same seed, data and backend give the same draws. tfjs random ops are seeded from it per call.
 */

export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** A 31-bit integer seed for a tfjs random op (tf.randomNormal(..., seed)). */
  seed(): number;
  /**
   * `n` independent generators, each seeded from this one (which advances by `n` draws): one per
   * consumer (the start, each share of chains), so that no stream is derived by offsetting a seed.
   */
  split(n: number): Rng[];
}

/** Mulberry32 (T. Ettinger): a small 32-bit generator, plenty for seeding and initial jitter. */
export function createRng(seed: number): Rng {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const rng: Rng = {
    uniform: next,
    normal() {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      // Box-Muller on (0, 1].
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    seed: () => Math.floor(next() * 2147483647),
    // A full 32-bit draw per child; createRng mixes it before its first output.
    split: (n) => Array.from({ length: n }, () => createRng(Math.floor(next() * 4294967296))),
  };
  return rng;
}

/** A Gamma(shape, 1) variate from `rng` (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function gammaVariate(rng: Rng, shape: number): number {
  if (shape < 1) return gammaVariate(rng, shape + 1) * Math.pow(1 - rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
