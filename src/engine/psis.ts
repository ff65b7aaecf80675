/**
 * Pareto-smoothed importance sampling's diagnostic (Vehtari, Simpson, Gelman, Yao & Gabry 2024,
 * "Pareto smoothed importance sampling", JMLR): the shape k of a generalised Pareto distribution
 * fitted to the largest importance ratios says whether draws from a proposal (here the Laplace
 * approximation) can stand for the target. k < 0.5: fine; 0.5-0.7: usable with care; above 0.7 the
 * ratios' variance is effectively infinite and estimates from the proposal are unreliable.
 * The tail size and the Zhang & Stephens (2009) fit with its weak prior follow ArviZ's `psislw`
 * and `_gpdfit`.
 */

/** Above this k the approximation is not to be trusted (the paper's threshold for S >= 2,000; ArviZ's warning). */
export const PARETO_K_MAX = 0.7;

/**
 * Shape k (and scale) of a generalised Pareto fitted to `exceedances` (positive, sorted ascending)
 * by Zhang & Stephens' (2009) empirical-Bayes estimator, shrunk towards 0.5 by a weak prior (ArviZ).
 */
export function gpdFit(exceedances: ArrayLike<number>): { k: number; sigma: number } {
  const x = exceedances;
  const n = x.length;
  const PRIOR_BS = 3;
  const PRIOR_K = 10;
  const m = 30 + Math.floor(Math.sqrt(n));
  const quartile = x[Math.max(0, Math.floor(n / 4 + 0.5) - 1)];
  const b = new Float64Array(m);
  const kOf = (bj: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log1p(-bj * x[i]);
    return s / n;
  };
  const len = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    b[j] = (1 - Math.sqrt(m / (j + 1 - 0.5))) / (PRIOR_BS * quartile) + 1 / x[n - 1];
    const k = kOf(b[j]);
    len[j] = n * (Math.log(-b[j] / k) - k - 1);
  }
  // Posterior weights of the candidate b's: w_j = 1 / sum_l exp(len_l - len_j).
  let total = 0;
  const w = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let l = 0; l < m; l++) s += Math.exp(len[l] - len[j]);
    w[j] = Number.isFinite(s) && s > 0 ? 1 / s : 0;
    if (w[j] < 10 * Number.EPSILON) w[j] = 0;
    total += w[j];
  }
  let bPost = 0;
  for (let j = 0; j < m; j++) bPost += (b[j] * w[j]) / total;
  let k = kOf(bPost);
  const sigma = -k / bPost;
  k = (n * k + PRIOR_K * 0.5) / (n + PRIOR_K);
  return { k, sigma };
}

/**
 * Pareto k of the importance ratios whose logarithms are `logRatios` (target minus proposal log
 * density, per draw; independent draws). Infinity when the tail has too few distinct values to fit,
 * or a ratio is not finite (the proposal reaches where the target does not).
 */
export function paretoK(logRatios: ArrayLike<number>): number {
  const n = logRatios.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(logRatios[i]) || logRatios[i] === Infinity) return Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logRatios[i]);
  const sorted = Float64Array.from(logRatios, (v) => v - max).sort();
  // Tail: the largest min(0.2 n, 3 sqrt(n)) ratios (r_eff = 1 for independent draws).
  const tail = Math.ceil(Math.min(0.2 * n, 3 * Math.sqrt(n)));
  // The smallest normal double (numpy finfo.tiny) bounds the cut-off from below, as in ArviZ.
  const cutoff = Math.max(sorted[n - tail - 1] ?? -Infinity, Math.log(2.2250738585072014e-308));
  const expCutoff = Math.exp(cutoff);
  const exceed: number[] = [];
  for (let i = 0; i < n; i++) if (sorted[i] > cutoff) exceed.push(Math.exp(sorted[i]) - expCutoff);
  if (exceed.length <= 4) return Infinity;
  const { k } = gpdFit(exceed);
  return Number.isFinite(k) ? k : Infinity;
}
