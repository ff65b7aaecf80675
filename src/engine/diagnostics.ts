/**
 * Convergence diagnostics and posterior summaries as ArviZ computes them (Vehtari, Gelman, Simpson,
 * Carpenter & Buerkner 2021, "Rank-normalization, folding, and localization: an improved R-hat"):
 * rank-normalised split R-hat (max of bulk and folded), bulk- and tail-ESS with Geyer's initial
 * monotone sequence, MCSE of the mean, 94% HDI. Plain float64; `x` holds all draws of one scalar
 * chain after chain (`chains` equal-length chains).
 *
 * Degenerate input never yields NaN: a constant parameter has R-hat 1 and ESS equal to the number
 * of draws (ArviZ returns NaN for its R-hat; the UI must never show NaN).
 */
import type { Estimate, ParameterSummary } from '../api/types';
import { normalCdfF64 } from './special-f64';
import type { Posterior } from './types';

/** Probability mass of the reported highest-density interval (ArviZ's default). */
export const HDI_PROB = 0.94;

type Chains = Float64Array[];

function toChains(x: ArrayLike<number>, chains: number): Chains {
  const n = Math.floor(x.length / chains);
  return Array.from({ length: chains }, (_, c) => Float64Array.from({ length: n }, (_, i) => x[c * n + i]));
}

function isConstant(x: ArrayLike<number>): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  return !(hi - lo > 1e-12 * Math.max(1, Math.abs(hi)));
}

/** Each chain cut in two halves (the middle draw of an odd-length chain dropped), as ArviZ `_split_chains`. */
function splitChains(ch: Chains): Chains {
  const half = Math.floor(ch[0].length / 2);
  const out: Chains = [];
  for (const c of ch) out.push(c.slice(0, half));
  for (const c of ch) out.push(c.slice(c.length - half));
  return out;
}

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};

function variance(a: ArrayLike<number>, ddof = 1): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return s / (a.length - ddof);
}

/** Standard normal quantile: Acklam's rational approximation refined by one Halley step (~1e-14). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdfF64(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Ranks (1-based, ties averaged) of pooled draws, as scipy's `rankdata(method='average')`; NaN
 * ranks above every number.
 */
export function poolRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const key = Float64Array.from(x, (v) => (Number.isNaN(v) ? Infinity : v));
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (key[i] < key[j] ? -1 : key[i] > key[j] ? 1 : 0));
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && key[order[j + 1]] === key[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Ranks over all chains, mapped to normal scores: ArviZ `_z_scale`. */
function zScale(ch: Chains): Chains {
  const n = ch.length * ch[0].length;
  const flat = new Float64Array(n);
  ch.forEach((c, k) => flat.set(c, k * c.length));
  const z = poolRanks(flat).map((r) => normalQuantile((r - 0.375) / (n + 0.25)));
  const len = ch[0].length;
  return ch.map((_, k) => z.slice(k * len, (k + 1) * len));
}

/** Classic R-hat of (already split) chains: ArviZ `_rhat`. */
function rhatOf(ch: Chains): number {
  const n = ch[0].length;
  const means = ch.map(mean);
  const between = n * variance(means);
  const within = mean(ch.map((c) => variance(c)));
  return Math.sqrt((between / within + n - 1) / n);
}

/** In-place iterative radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci;
        const ai = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k + len / 2] = re[i + k] - ar;
        im[i + k + len / 2] = im[i + k] - ai;
        re[i + k] += ar;
        im[i + k] += ai;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }
}

/** Biased autocovariance (divided by n) at lags 0..n-1, by zero-padded FFT: ArviZ `_autocov`. */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const mu = mean(x);
  for (let i = 0; i < n; i++) re[i] = x[i] - mu;
  fft(re, im, false);
  for (let i = 0; i < m; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im, true);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = re[i] / n;
  return out;
}

/** Effective sample size of (already split) chains: ArviZ `_ess` with Geyer's initial monotone sequence. */
function essOf(ch: Chains): number {
  const m = ch.length;
  const n = ch[0].length;
  const total = m * n;
  if (isConstant(ch.flatMap((c) => Array.from(c)))) return total;
  if (n < 4) return total;
  const acov = ch.map(autocovariance);
  const meanAcov = (t: number) => mean(acov.map((a) => a[t]));
  const chainMeans = ch.map(mean);
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMeans);
  const rho = new Float64Array(n);
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[1] = rhoOdd;
  let t = 1;
  while (t < n - 3 && rhoEven + rhoOdd > 0) {
    rhoEven = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    rhoOdd = 1 - (meanVar - meanAcov(t + 2)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t + 1] = rhoEven;
      rho[t + 2] = rhoOdd;
    }
    t += 2;
  }
  const maxT = t - 2;
  if (rhoEven > 0) rho[maxT + 1] = rhoEven;
  t = 1;
  while (t <= maxT - 2) {
    if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]) {
      rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
      rho[t + 2] = rho[t + 1];
    }
    t += 2;
  }
  let sum = 0;
  for (let i = 0; i <= maxT; i++) sum += rho[i];
  let tau = -1 + 2 * sum + (maxT + 1 < n ? rho[maxT + 1] : 0);
  tau = Math.max(tau, 1 / Math.log10(total));
  return total / tau;
}

/** numpy's default (linear) quantile of unsorted data. */
export function quantile(x: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(x).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/** Fewest draws per chain for which R-hat is computed (ArviZ's `min_draws`). */
export const RHAT_MIN_DRAWS = 4;

/**
 * Rank-normalised split R-hat: the larger of bulk and folded (tail) R-hat. NaN, "not computable",
 * where it cannot be trusted to say anything: fewer than RHAT_MIN_DRAWS draws per chain, or a
 * non-finite draw (never 1, which would read as converged).
 */
export function rhat(x: ArrayLike<number>, chains: number): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return NaN;
  const ch = toChains(x, chains);
  if (ch[0].length < RHAT_MIN_DRAWS) return NaN;
  if (isConstant(x)) return 1;
  const bulk = rhatOf(zScale(splitChains(ch)));
  const med = quantile(x, 0.5);
  const folded = ch.map((c) => c.map((v) => Math.abs(v - med)));
  const tail = isConstant(folded.flatMap((c) => Array.from(c))) ? 1 : rhatOf(zScale(splitChains(folded)));
  const r = Math.max(bulk, tail);
  return Number.isFinite(r) ? r : NaN;
}

/** Bulk effective sample size (rank-normalised split chains). */
export function essBulk(x: ArrayLike<number>, chains: number): number {
  if (isConstant(x)) return x.length;
  return essOf(zScale(splitChains(toChains(x, chains))));
}

/** Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators. */
export function essTail(x: ArrayLike<number>, chains: number): number {
  if (isConstant(x)) return x.length;
  const ch = toChains(x, chains);
  const ind = (q: number) => {
    const cut = quantile(x, q);
    return splitChains(ch.map((c) => c.map((v) => (v <= cut ? 1 : 0))));
  };
  return Math.min(essOf(ind(0.05)), essOf(ind(0.95)));
}

/** Monte Carlo standard error of the mean: sd / sqrt(ESS of the mean over split chains). */
export function mcseMean(x: ArrayLike<number>, chains: number): number {
  if (isConstant(x)) return 0;
  const ess = essOf(splitChains(toChains(x, chains)));
  return Math.sqrt(variance(x) / ess);
}

/** Shortest interval holding `prob` of the draws (ArviZ `hdi` for a unimodal posterior). */
export function hdi(x: ArrayLike<number>, prob = HDI_PROB): [number, number] {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return [NaN, NaN];
  const inc = Math.floor(prob * n);
  const count = n - inc;
  if (inc === 0 || count <= 0) return [s[0], s[n - 1]];
  let best = 0;
  for (let i = 1; i < count; i++) if (s[i + inc] - s[i] < s[best + inc] - s[best]) best = i;
  return [s[best], s[best + inc]];
}

/** Mean, sd (ddof = 1) and 94% HDI of draws. */
export function estimate(x: ArrayLike<number>): Estimate {
  const [hdiLow, hdiHigh] = hdi(x);
  return { mean: mean(x), sd: x.length > 1 ? Math.sqrt(variance(x)) : 0, hdiLow, hdiHigh };
}

/** Summary of every flat parameter of a posterior, as ArviZ `summary` reports it. */
export function summarise(posterior: Posterior): Record<string, ParameterSummary> {
  const out: Record<string, ParameterSummary> = {};
  for (const name of posterior.names) {
    const x = posterior.column(name);
    out[name] = {
      ...estimate(x),
      rhat: rhat(x, posterior.chains),
      essBulk: essBulk(x, posterior.chains),
      essTail: essTail(x, posterior.chains),
    };
  }
  return out;
}
