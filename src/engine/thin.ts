/**
 * Thinning: which of a posterior's draws a summary or a stored trace keeps. Draw indices run over
 * all chains' draws, chain after chain (the Posterior's layout).
 */

/** Up to `max` indices of `0..total-1`, evenly spaced (all of them when total <= max). */
export function thinIndices(total: number, max: number): number[] {
  const n = Math.min(total, max);
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}

/**
 * Smallest whole step that keeps at most `keep` of `draws` draws (indices 0, step, 2 step, ...):
 * for a per-chain trace, whose x axis needs one constant step.
 */
export function thinStep(draws: number, keep: number): number {
  return Math.max(1, Math.ceil(draws / keep));
}
