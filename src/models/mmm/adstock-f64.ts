/**
 * Adstock (carry-over) lag weights in float64 with no tfjs, as PyMC-Marketing's `transformers.py`
 * defines them (`geometric_adstock`, `delayed_adstock`, `weibull_adstock`), all normalised to sum 1
 * (PyMC-Marketing's `AdstockTransformation(normalize=True)` default) and applied "after" (spend at
 * t acts at t, t+1, ...). Shared by the outputs, the budget optimiser and the scenario forecast
 * (which run on the main thread from stored draws) and by the tests as the independent reference
 * for the tensor forms in adstock.ts.
 */

/** The adstock kinds, by PyMC-Marketing `lookup_name`. */
export type AdstockKind = 'geometric' | 'delayed' | 'weibull_pdf' | 'weibull_cdf';

/** Every adstock kind, in the order the UI lists them. */
export const ADSTOCK_KINDS: readonly AdstockKind[] = ['geometric', 'delayed', 'weibull_pdf', 'weibull_cdf'];

/**
 * Number of lag weights for `lMax`: lMax, except the Weibull CDF kind, whose PyMC-Marketing form
 * prepends a weight 1 at lag 0 to the lMax survival products (lMax + 1 weights).
 */
export function adstockWidth(kind: AdstockKind, lMax: number): number {
  return kind === 'weibull_cdf' ? lMax + 1 : lMax;
}

function normalise(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return s > 0 ? w.map((v) => v / s) : w.map((_, i) => (i === 0 ? 1 : 0));
}

/** Geometric decay alpha^l, l = 0..lMax-1, normalised. `alpha` in (0, 1). */
export function geometricWeightsF64(p: { alpha: number }, lMax: number): number[] {
  return normalise(Array.from({ length: lMax }, (_, l) => Math.pow(p.alpha, l)));
}

/** Delayed geometric alpha^((l - theta)^2), l = 0..lMax-1, normalised: peak `theta` periods after spend. */
export function delayedWeightsF64(p: { alpha: number; theta: number }, lMax: number): number[] {
  return normalise(Array.from({ length: lMax }, (_, l) => Math.pow(p.alpha, (l - p.theta) ** 2)));
}

/**
 * Weibull PDF weights: the Weibull(shape k, scale lam) density at t = 1..lMax, min-max scaled
 * to [0, 1] (PyMC-Marketing's form, so the smallest weight is 0), then normalised.
 */
export function weibullPdfWeightsF64(p: { lam: number; k: number }, lMax: number): number[] {
  const pdf = Array.from({ length: lMax }, (_, i) => {
    const z = (i + 1) / p.lam;
    return (p.k / p.lam) * Math.pow(z, p.k - 1) * Math.exp(-Math.pow(z, p.k));
  });
  const lo = Math.min(...pdf);
  const hi = Math.max(...pdf);
  return normalise(pdf.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 1)));
}

/**
 * Weibull CDF weights: w_0 = 1, w_j = prod_{i=1..j} S(i) with S(t) = exp(-(t/lam)^k) the
 * Weibull survival function (lMax + 1 weights), then normalised.
 */
export function weibullCdfWeightsF64(p: { lam: number; k: number }, lMax: number): number[] {
  const w = [1];
  let cum = 0;
  for (let i = 1; i <= lMax; i++) {
    cum += Math.pow(i / p.lam, p.k);
    w.push(Math.exp(-cum));
  }
  return normalise(w);
}

/** The float64 weight function of each kind, keyed by kind; parameters by PyMC-Marketing name. */
export const ADSTOCK_WEIGHTS_F64: Record<AdstockKind, (p: Record<string, number>, lMax: number) => number[]> = {
  geometric: (p, lMax) => geometricWeightsF64({ alpha: p.alpha }, lMax),
  delayed: (p, lMax) => delayedWeightsF64({ alpha: p.alpha, theta: p.theta }, lMax),
  weibull_pdf: (p, lMax) => weibullPdfWeightsF64({ lam: p.lam, k: p.k }, lMax),
  weibull_cdf: (p, lMax) => weibullCdfWeightsF64({ lam: p.lam, k: p.k }, lMax),
};

/** Adstocked series sum_l w_l x_{t-l} (zeros before the first period); same length as `x`. */
export function applyAdstockF64(x: ArrayLike<number>, w: readonly number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let t = 0; t < x.length; t++) {
    let s = 0;
    for (let l = 0; l < w.length && l <= t; l++) s += w[l] * x[t - l];
    out[t] = s;
  }
  return out;
}

/** Lag matrix `[L, T]` (row-major) of a series: row l is x shifted right by l, zeros before the start. */
export function lagMatrix(x: ArrayLike<number>, lags: number): Float32Array {
  const T = x.length;
  const out = new Float32Array(lags * T);
  for (let l = 0; l < lags; l++) for (let t = l; t < T; t++) out[l * T + t] = x[t - l];
  return out;
}
