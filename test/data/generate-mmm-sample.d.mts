/** Types of test/data/generate-mmm-sample.mjs (imported by the unit tests). */
export interface Rng {
  uniform(): number;
  normal(): number;
}
/** Mulberry32 uniforms and Box-Muller normals, seeded. */
export function createRng(seed: number): Rng;
/** The PyMC-Marketing MMM example's generating process (our RNG, not numpy's draws) and its truth. */
export function simulateMmm(seed?: number): {
  csv: string;
  truth: { alpha: number[]; lam: number[]; lamScaled: number[]; betaScaled: number[]; share: number[] };
};
