/**
 * Adstock (carry-over) components as PyMC-Marketing's `mmm/components/adstock.py`: the spend of
 * period t keeps acting for l_max periods with lag weights w_0..w_{L-1}, normalised to sum 1
 * (`AdstockTransformation(normalize=True)`, the default there), and the adstocked series is
 * sum_l w_l x_{t-l} (applied "after": spend at t acts at t, t+1, ...).
 *
 * Each kind is one descriptor `{ kind, prefix, parameters, defaultPriors, f64 }` whose prior keys
 * are exactly its parameters (checked by a test), with the weights in float64 as PyMC-Marketing's
 * `transformers.py` defines them (`geometric_adstock`, `delayed_adstock`, `weibull_adstock`). No
 * tfjs here: the forms list the kinds, and the outputs, the budget optimiser and the scenario
 * forecast (on the main thread, from stored draws) compute with `f64`. The tensor form of each
 * kind, for the model's log density, is in adstock-tensor.ts.
 */
import type { Prior } from '../../engine/priors';

/** The adstock kinds, by PyMC-Marketing `lookup_name`. */
export type AdstockKind = 'geometric' | 'delayed' | 'weibull_pdf' | 'weibull_cdf';

/** One adstock kind, without tfjs. */
export interface AdstockDescriptor {
  readonly kind: AdstockKind;
  readonly prefix: 'adstock';
  /** Parameter names in layout order; the model names them `adstock_${name}`. */
  readonly parameters: readonly string[];
  /** Default priors keyed by parameter name (PyMC-Marketing's defaults). */
  readonly defaultPriors: Readonly<Record<string, Prior>>;
  /** The normalised lag weights (`adstockWidth(kind, lMax)` of them) of parameters `p`, in float64. */
  f64(p: Readonly<Record<string, number>>, lMax: number): number[];
}

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

/** Geometric decay alpha^l, l = 0..lMax-1, normalised; alpha in (0, 1). Beta(1, 3) prior. */
export const geometricAdstock: AdstockDescriptor = {
  kind: 'geometric',
  prefix: 'adstock',
  parameters: ['alpha'],
  defaultPriors: { alpha: { dist: 'Beta', alpha: 1, beta: 3 } },
  f64: ({ alpha }, lMax) => normalise(Array.from({ length: lMax }, (_, l) => Math.pow(alpha, l))),
};

/** Delayed geometric alpha^((l - theta)^2), l = 0..lMax-1, normalised: the effect peaks `theta` periods after spend. */
export const delayedAdstock: AdstockDescriptor = {
  kind: 'delayed',
  prefix: 'adstock',
  parameters: ['alpha', 'theta'],
  defaultPriors: { alpha: { dist: 'Beta', alpha: 1, beta: 3 }, theta: { dist: 'HalfNormal', sigma: 1 } },
  f64: ({ alpha, theta }, lMax) => normalise(Array.from({ length: lMax }, (_, l) => Math.pow(alpha, (l - theta) ** 2))),
};

/**
 * Weibull PDF: the Weibull(shape k, scale lam) density at t = 1..lMax, min-max scaled to [0, 1]
 * (PyMC-Marketing's form, so the smallest weight is 0), then normalised. Min-max scaling ignores a
 * common factor, so the density is taken relative to its largest value (in logs): no lag
 * underflows to 0 unless it is negligible next to the peak. A flat profile (lMax = 1) gives equal
 * weights, where PyMC-Marketing's 0/0 would give NaN. PyMC-Marketing's Gamma(mu=2, sigma=1) and
 * Gamma(mu=3, sigma=1) priors in shape/rate form.
 */
export const weibullPdfAdstock: AdstockDescriptor = {
  kind: 'weibull_pdf',
  prefix: 'adstock',
  parameters: ['lam', 'k'],
  defaultPriors: { lam: { dist: 'Gamma', alpha: 4, beta: 2 }, k: { dist: 'Gamma', alpha: 9, beta: 3 } },
  f64: ({ lam, k }, lMax) => {
    const logPdf = Array.from({ length: lMax }, (_, i) => {
      const z = (i + 1) / lam;
      return Math.log(k / lam) + (k - 1) * Math.log(z) - Math.pow(z, k);
    });
    const peak = Math.max(...logPdf);
    const pdf = logPdf.map((v) => Math.exp(v - peak));
    const lo = Math.min(...pdf);
    const hi = Math.max(...pdf);
    return normalise(pdf.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 1)));
  },
};

/**
 * Weibull CDF: w_0 = 1, w_j = prod_{i=1..j} S(i) with S(t) = exp(-(t/lam)^k) the Weibull survival
 * function (lMax + 1 weights), then normalised. PyMC-Marketing's Gamma(mu=2, sigma=2.5) priors in
 * shape/rate form.
 */
export const weibullCdfAdstock: AdstockDescriptor = {
  kind: 'weibull_cdf',
  prefix: 'adstock',
  parameters: ['lam', 'k'],
  defaultPriors: { lam: { dist: 'Gamma', alpha: 0.64, beta: 0.32 }, k: { dist: 'Gamma', alpha: 0.64, beta: 0.32 } },
  f64: ({ lam, k }, lMax) => {
    const w = [1];
    let cum = 0;
    for (let i = 1; i <= lMax; i++) {
      cum += Math.pow(i / lam, k);
      w.push(Math.exp(-cum));
    }
    return normalise(w);
  },
};

/** Adstock descriptors by kind. */
export const ADSTOCKS: Readonly<Record<AdstockKind, AdstockDescriptor>> = {
  geometric: geometricAdstock,
  delayed: delayedAdstock,
  weibull_pdf: weibullPdfAdstock,
  weibull_cdf: weibullCdfAdstock,
};

/** Every adstock kind, in the order the forms list them. */
export const ADSTOCK_KINDS = Object.keys(ADSTOCKS) as readonly AdstockKind[];

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
