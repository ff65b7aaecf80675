/**
 * Risk measures of a plan's response over posterior draws, for the budget optimiser's risk-aware
 * objective: the lower-tail mean (conditional value at risk, CVaR) as PyMC-Marketing's optimiser
 * utilities define it, the mean of the draws at or below the lower `tail` quantile, and a smooth
 * approximation of it (Rockafellar & Uryasev 2000, with a softplus in place of the hinge) whose
 * gradient is a weighted mean of the draws' gradients.
 */

/**
 * Number of draws in the lower tail: k = floor(tail (D - 1)) + 1, the draws at or below the `tail`
 * quantile with linear interpolation (numpy's default) when no two draws tie; at least 1.
 */
export function tailCount(draws: number, tail: number): number {
  return Math.min(draws, Math.floor(tail * (draws - 1)) + 1);
}

/** The `tail` quantile of `values`, linear between order statistics (numpy's default). */
export function lowerQuantile(values: readonly number[], tail: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = tail * (s.length - 1);
  const i = Math.floor(pos);
  return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
}

/** CVaR: the mean of the `tailCount` lowest values (the draws at or below the `tail` quantile). */
export function lowerTailMean(values: readonly number[], tail: number): number {
  const s = [...values].sort((a, b) => a - b);
  const k = tailCount(s.length, tail);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += s[i];
  return sum / k;
}

const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));
const softplus = (u: number) => Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));

/**
 * Smoothed lower-tail mean of `z` over `k` of its draws: max over t of t - (1/k) sum_d mu
 * softplus((t - z_d) / mu). As mu -> 0 it tends to the mean of the k lowest z (the hinge form
 * t - (1/k) sum (t - z_d)^+ of Rockafellar & Uryasev), from below by at most mu (D/k) log 2. It is
 * smooth and concave in z; its gradient with respect to z_d is `weights[d]` (sum 1): for a plan
 * whose draws z_d(b) are concave in the budget b, the gradient is sum_d weights[d] grad z_d(b).
 */
export function smoothTailMean(z: readonly number[], k: number, mu: number): { value: number; weights: number[] } {
  const D = z.length;
  if (k >= D) return { value: z.reduce((s, v) => s + v, 0) / D, weights: z.map(() => 1 / D) };
  // The maximising t solves sum_d sigmoid((t - z_d) / mu) = k (increasing in t): bisection.
  let lo = Math.min(...z) - 50 * mu;
  let hi = Math.max(...z) + 50 * mu;
  const count = (t: number) => z.reduce((s, v) => s + sigmoid((t - v) / mu), 0);
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (count(mid) < k) lo = mid;
    else hi = mid;
  }
  const t = 0.5 * (lo + hi);
  const weights = z.map((v) => sigmoid((t - v) / mu) / k);
  const value = t - z.reduce((s, v) => s + mu * softplus((t - v) / mu), 0) / k;
  return { value, weights };
}
