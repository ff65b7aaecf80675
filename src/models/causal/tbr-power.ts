/**
 * Pre-test power of a TBR geo experiment (Kerman, Wang & Vaver 2017) with autocorrelated noise.
 *
 * The studio's reading of a test is its posterior: the campaign is "detected" when the cumulative
 * effect over the test is positive with probability at least 1 - alpha (alpha = 0.1: Kerman et al.'s
 * one-sided 90% lower bound above zero). That posterior treats the pre-period regression's noise as
 * independent from one period to the next, so its threshold is the 1 - alpha quantile of the
 * posterior predictive of the cumulative counterfactual (intercept and slope uncertainty plus
 * independent noise). What the test actually sees is the gap D between the realised counterfactual
 * and its estimate: the test period's summed errors, minus the pre-period errors that moved the
 * intercept and the slope. With AR(1) errors (lag-1 correlation phi, marginal variance gamma0, both
 * fitted on the pre-period residuals) and a test-period control that drifts from its pre-period mean
 * as the pre-period control does (also AR(1)),
 *
 *   Var D = gamma0 * [ S_L + (L/n)^2 S_n - 2 (L/n) C ] + E[G^2] * Var(slope error),
 *
 * where S_m sums phi^|i-j| over an m x m block, C sums phi^(t+i) across the two periods, G is the
 * test-period sum of the control's departure from its pre-period mean, and Var(slope error) is
 * gamma0 * w'Rw with w the least-squares slope weights and R the AR(1) correlation matrix.
 * A lift is detected with probability `power` when threshold + z_power * sd(D) <= its total: that
 * is the minimum detectable effect. The same numbers give the reading's false-positive rate on no
 * effect, 1 - Phi(threshold / sd D), which exceeds alpha when the noise is positively correlated.
 *
 * Small-sample corrections: phi is the value whose expected residual lag-1 autocorrelation is the
 * observed one (the residuals of a fit on n points are less correlated than the noise), gamma0 is
 * RSS / (n - tr(H R)), RSS's expectation under AR(1) errors being gamma0 (n - tr(H R)). Both are
 * plugged in: averaging the normal over phi's sampling uncertainty (Gauss-Hermite) made the table
 * slightly conservative in the simulation check (BENCHMARKS.md).
 */
import { normalQuantile } from '../../engine/diagnostics';
import { normalCdfF64 } from '../../engine/special-f64';

/** |phi| is capped here: beyond it a few pre-period points cannot tell AR(1) from a random walk. */
const PHI_MAX = 0.95;

/** AR(1) noise fitted on a pre-period series. */
export interface Ar1 {
  /** Lag-1 correlation (bias-corrected, capped at +-0.95). */
  phi: number;
  /** Marginal variance. */
  variance: number;
}

/** One test length's power numbers, on the scale of the inputs. */
export interface PowerPoint {
  /** The posterior's 1 - alpha quantile of the cumulative counterfactual's departure from its mean. */
  threshold: number;
  /** Sampling sd of the gap between the realised and the estimated cumulative counterfactual. */
  sd: number;
  /** Smallest cumulative effect detected with probability `power`. */
  minimumDetectableEffect: number;
  /** Probability that the reading claims an effect when there is none. */
  falsePositiveRate: number;
}

/** Posterior draws (scaled axis) and the pre-period series the power is computed from. */
export interface PowerInputs {
  intercept: ArrayLike<number>;
  slope: ArrayLike<number>;
  sigma: ArrayLike<number>;
  /** Pre-period treatment total (scaled). */
  y: ArrayLike<number>;
  /** Pre-period control total (scaled), centred on its pre-period mean. */
  control: ArrayLike<number>;
}

/** Sum of phi^|i-j| over i, j in 0..m-1. */
export function correlationSum(m: number, phi: number): number {
  let s = m;
  let p = 1;
  for (let k = 1; k < m; k++) {
    p *= phi;
    s += 2 * (m - k) * p;
  }
  return s;
}

/**
 * Var(sum of the next L errors - (L/n) * sum of the last n errors) / marginal variance, for AR(1)
 * errors with lag-1 correlation phi: the intercept part of a TBR test's counterfactual gap
 * (L + L^2 / n when phi = 0).
 */
export function cumulativeGapFactor(n: number, L: number, phi: number): number {
  // Cross sum over test t = 1..L and pre-period lags i = 0..n-1 of phi^(t + i).
  const geometric = (from: number, count: number) => {
    let s = 0;
    let p = phi ** from;
    for (let k = 0; k < count; k++, p *= phi) s += p;
    return s;
  };
  const cross = geometric(1, L) * geometric(0, n);
  const r = L / n;
  return correlationSum(L, phi) + r * r * correlationSum(n, phi) - 2 * r * cross;
}

/** w' R w for the AR(1) correlation matrix R (O(n) by the recursion c_i = phi (c_{i-1} + w_{i-1})). */
export function ar1QuadraticForm(w: ArrayLike<number>, phi: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < w.length; i++) {
    if (i > 0) c = phi * (c + w[i - 1]);
    s += w[i] * w[i] + 2 * w[i] * c;
  }
  return s;
}

/** R u for the AR(1) correlation matrix R: forward and backward geometric sums, O(n). */
function ar1Times(u: ArrayLike<number>, phi: number): Float64Array {
  const n = u.length;
  const out = new Float64Array(n);
  let f = 0;
  for (let i = 0; i < n; i++) out[i] = f = u[i] + phi * f;
  let b = 0;
  for (let i = n - 1; i >= 0; i--) {
    b = u[i] + phi * b;
    out[i] += b - u[i];
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The expected lag-1 autocorrelation sum(r_i r_{i-1}) / sum(r_i^2) of least-squares residuals
 * r = M e, M = I - sum u_k u_k' (orthonormal design columns u_k), when e is AR(1) with lag-1
 * correlation phi: E[r'Ar] / E[r'r] = tr(MAMR) / tr(MR) (A: 1/2 beside the diagonal), less the
 * ratio's own bias, 2 phi / n (Marriott & Pope 1954). With the mean alone this is Kendall's (1954)
 * phi - (1 + 3 phi) / n; a slope on an autocorrelated control biases the residuals' correlation
 * further down. `Au`: A times each column.
 */
function expectedLag1(basis: readonly Float64Array[], Au: readonly Float64Array[], n: number, phi: number): number {
  const Ru = basis.map((u) => ar1Times(u, phi));
  let num = (n - 1) * phi;
  let den = n;
  basis.forEach((u, k) => {
    num -= 2 * dot(Au[k], Ru[k]);
    den -= dot(u, Ru[k]);
    basis.forEach((v, l) => (num += dot(u, Au[l]) * dot(v, Ru[k])));
  });
  return num / den - (2 * phi) / n;
}

/**
 * Lag-1 correlation of AR(1) noise seen through least-squares residuals `r` of a fit on the
 * orthonormal columns `basis`: the phi whose expected residual autocorrelation (expectedLag1) is the
 * observed one, by bisection, capped at +-PHI_MAX.
 */
function residualLag1(r: ArrayLike<number>, basis: readonly Float64Array[]): number {
  const n = r.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += r[i] * r[i];
    if (i > 0) num += r[i] * r[i - 1];
  }
  if (!(den > 0)) return 0;
  const observed = num / den;
  let lo = -PHI_MAX;
  let hi = PHI_MAX;
  // A u for each basis column (A: 1/2 beside the diagonal), the same for every phi tried.
  const Au = basis.map((u) => Float64Array.from(u, (_, i) => ((i > 0 ? u[i - 1] : 0) + (i < n - 1 ? u[i + 1] : 0)) / 2));
  if (expectedLag1(basis, Au, n, lo) >= observed) return lo;
  if (expectedLag1(basis, Au, n, hi) <= observed) return hi;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (expectedLag1(basis, Au, n, mid) < observed) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The pre-period least-squares fit of y on (1, x), x centred, that the noise is estimated from. */
export interface PreperiodFit {
  n: number;
  /** Residual sum of squares. */
  rss: number;
  /** Sum of squares of the centred control. */
  sxx: number;
  /** The centred control (the slope's least-squares weights are x / sxx). */
  x: ArrayLike<number>;
  /** Bias-corrected lag-1 correlation of the residuals. */
  phi: number;
  /** The control's own AR(1), for its test-period drift. */
  control: Ar1;
}

/** Least-squares fit of y on (1, x) with x centred, and the lag-1 correlations (see the file comment). */
export function preperiodFit(y: ArrayLike<number>, x: ArrayLike<number>): PreperiodFit {
  const n = y.length;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += x[i] * x[i];
    sxy += x[i] * (y[i] - ybar);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  const r = Float64Array.from({ length: n }, (_, i) => y[i] - ybar - b * x[i]);
  let rss = 0;
  for (const v of r) rss += v * v;
  const one = new Float64Array(n).fill(1 / Math.sqrt(n));
  const basis = sxx > 0 ? [one, Float64Array.from(x, (v) => v / Math.sqrt(sxx))] : [one];
  const phiX = residualLag1(x, [one]);
  return { n, rss, sxx, x, phi: residualLag1(r, basis), control: { phi: phiX, variance: sxx / Math.max(1, n - correlationSum(n, phiX) / n) } };
}

/**
 * The residuals' marginal variance if their lag-1 correlation is phi: E[RSS] = gamma0 (n - tr(H R)),
 * H the hat matrix of (1, x); n - tr(H R) is kept >= 1 where so few points and so strong a
 * correlation leave nothing to estimate it from.
 */
export function residualVariance(fit: PreperiodFit, phi: number): number {
  return fit.rss / residualDegrees(fit, phi);
}

/** n - tr(H R) (at least 1): E[RSS] / gamma0 for the fit's design under AR(1) noise with lag-1 correlation phi. */
export function residualDegrees(fit: Pick<PreperiodFit, 'n' | 'sxx' | 'x'>, phi: number): number {
  const trace = correlationSum(fit.n, phi) / fit.n + (fit.sxx > 0 ? ar1QuadraticForm(fit.x, phi) / fit.sxx : 0);
  return Math.max(1, fit.n - trace);
}

/**
 * The 1 - alpha quantile of sum_d N(L (a_d - mean a) + g (b_d - mean b), L sigma_d^2) / D: what the
 * posterior's cumulative counterfactual exceeds with probability alpha, about its mean, for a test
 * of L periods whose control departs by g (summed) from its pre-period mean.
 */
function posteriorThreshold(inputs: PowerInputs, L: number, g: number, alpha: number): number {
  const { intercept: a, slope: b, sigma: s } = inputs;
  const D = a.length;
  let ma = 0;
  let mb = 0;
  let v = 0;
  for (let d = 0; d < D; d++) {
    ma += a[d];
    mb += b[d];
  }
  ma /= D;
  mb /= D;
  const shift = new Float64Array(D);
  const sd = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    shift[d] = L * (a[d] - ma) + g * (b[d] - mb);
    sd[d] = Math.sqrt(L) * s[d];
    v += shift[d] * shift[d] + sd[d] * sd[d];
  }
  // Newton's method on P(exceed q) = alpha from the normal approximation (a mixture's tail is smooth
  // and decreasing, so a few steps reach 1e-9), bisection if a step leaves the bracket.
  let lo = 0;
  let hi = 10 * Math.sqrt(v / D);
  let q = normalQuantile(1 - alpha) * Math.sqrt(v / D);
  for (let it = 0; it < 100; it++) {
    let p = 0;
    let density = 0;
    for (let d = 0; d < D; d++) {
      const u = (q - shift[d]) / sd[d];
      p += 1 - normalCdfF64(u);
      density += Math.exp(-0.5 * u * u) / (sd[d] * Math.sqrt(2 * Math.PI));
    }
    const f = p / D - alpha;
    if (f > 0) lo = q;
    else hi = q;
    const step = f / (density / D);
    if (Math.abs(step) <= 1e-9 * hi) return q + step;
    q = q + step;
    if (!(q > lo && q < hi)) q = (lo + hi) / 2;
  }
  return q;
}

/** Minimum detectable effect (scaled axis) of a test of each length in `lengths` (see the file comment). */
export function tbrPowerPoints(inputs: PowerInputs, lengths: readonly number[], alpha: number, power: number): { phi: number; points: PowerPoint[] } {
  return powerPointsFor(inputs.y, inputs.control, lengths, power, (L, g) => posteriorThreshold(inputs, L, g, alpha));
}

/**
 * The power numbers of a reading that claims an effect when the cumulative gap exceeds
 * `threshold(L, g)` for a test of L periods whose control departs by g (root mean square of its
 * summed departure) from its pre-period mean: tbrPowerPoints with the posterior's threshold from
 * draws, or a closed form of it. `noise`: the AR(1) noise as fitted elsewhere (its lag-1 correlation
 * and marginal variance), in place of the one fitted on these residuals.
 */
export function powerPointsFor(
  y: ArrayLike<number>,
  control: ArrayLike<number>,
  lengths: readonly number[],
  power: number,
  threshold: (L: number, g: number) => number,
  noise?: Ar1,
): { phi: number; points: PowerPoint[] } {
  const fit = preperiodFit(y, control);
  const { n, control: controlAr1 } = fit;
  const phi = noise ? noise.phi : fit.phi;
  const gamma0 = noise ? noise.variance : residualVariance(fit, phi);
  const slopeVariance = fit.sxx > 0 ? (gamma0 * ar1QuadraticForm(fit.x, phi)) / (fit.sxx * fit.sxx) : 0;
  const z = normalQuantile(power);
  const points = lengths.map((L) => {
    const drift2 = controlAr1.variance * cumulativeGapFactor(n, L, controlAr1.phi);
    const sd = Math.sqrt(gamma0 * cumulativeGapFactor(n, L, phi) + drift2 * slopeVariance);
    const q = threshold(L, Math.sqrt(drift2));
    return { threshold: q, sd, minimumDetectableEffect: q + z * sd, falsePositiveRate: 1 - normalCdfF64(q / sd) };
  });
  return { phi, points };
}
