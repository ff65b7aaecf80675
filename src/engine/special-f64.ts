/**
 * Float64 special functions for CPU-side work (prior constants, per-customer predictions from
 * posterior draws), as plain numbers. Accuracy ~1e-14 relative unless stated. Tensor versions with
 * gradients, for log densities, are in special.ts.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * log|Gamma(x)| (Lanczos, g = 7, n = 9; reflection below 0.5, so any real x that is not a
 * non-positive integer; Stirling above 1e7). ~1e-15 relative, ~1e-15 absolute near the zeros at 1 and 2.
 */
export function lgammaF64(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaF64(1 - x);
  if (x > 1e7) return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** digamma psi(x), x > 0 (recurrence to x >= 20, then the asymptotic series; ~1e-15 absolute, relative for large psi). */
export function digammaF64(x: number): number {
  let r = 0;
  while (x < 20) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** trigamma psi'(x), x > 0 (recurrence to x >= 20, then the asymptotic series to x^-11; ~1e-15 relative). */
export function trigammaF64(x: number): number {
  let r = 0;
  while (x < 20) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f * (1 / 30 - (f * 5) / 66))));
}

/** Stirling's series S(x) = lgamma(x) - [(x - 1/2) log x - x + log(2 pi)/2], to x^-7 (error < 2e-15 for x >= 20). */
function stirlingTail(x: number): number {
  const f = 1 / (x * x);
  return (1 / x) * (1 / 12 - f * (1 / 360 - f * (1 / 1260 - f / 1680)));
}

/**
 * log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b) for a, b > 0. When the larger argument is
 * >= 20, lgamma(hi) - lgamma(lo + hi) is taken from the difference of Stirling series,
 * -(hi + lo - 1/2) log1p(lo/hi) - lo log(hi) + lo + S(hi) - S(hi + lo), so no two large lgammas
 * cancel: ~1e-15 relative for any a, b (the naive sum loses digits once lgamma(hi) >> |log B|).
 */
export function lbetaF64(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (hi < 20) return lgammaF64(a) + lgammaF64(b) - lgammaF64(a + b);
  const ratio = -(hi + lo - 0.5) * Math.log1p(lo / hi) - lo * Math.log(hi) + lo + stirlingTail(hi) - stirlingTail(hi + lo);
  return lgammaF64(lo) + ratio;
}

/** log(1 - exp(x)) for x <= 0 (Maechler 2012). */
export function log1mexpF64(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log(exp(a) + exp(b)). */
export function logAddExpF64(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** Most series terms summed by hyp2f1F64 (enough for w <= 0.99999; ~10 ms at the cap). */
const HYP2F1_MAX_TERMS = 2_000_000;
/** Relative size of the bounded remainder at which the series stops. */
const HYP2F1_EPS = 1e-17;
/** Rescaling step that keeps the running sum of large terms finite (2F1 exceeds 1e308 for large x). */
const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);

/** Sign of Gamma(x) (x not a non-positive integer). */
function gammaSign(x: number): number {
  return x > 0 || Math.floor(x) % 2 === 0 ? 1 : -1;
}

const isNonPositiveInteger = (x: number) => x <= 0 && Number.isInteger(x);

/**
 * 2F1(a, b; c; z) = sign * exp(logAbs). z < 0 goes through Pfaff's transformation, z >= 0 with a + b > c
 * through Euler's (A&S 15.3.3-4; as special.ts's `transform`), so the series in w in [0, 1) has
 * A + B - C <= 0 and its terms fall at least like k^-1 w^k; z = 1 is Gauss's sum (A&S 15.1.20).
 */
function hyp2f1Parts(a: number, b: number, c: number, z: number): { logAbs: number; sign: number } {
  if ([a, b, c, z].some(Number.isNaN)) return { logAbs: NaN, sign: NaN };
  if (z > 1) throw new RangeError(`hyp2f1F64: z = ${z} outside (-inf, 1] (2F1 is complex-valued beyond 1).`);
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1F64: c = ${c} is a pole (non-positive integer).`);
  const terminating = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  let A = a;
  let B = b;
  let w = z;
  let logPrefactor = 0;
  if (z === 1) {
    if (!terminating) {
      if (c - a - b <= 0) return { logAbs: Infinity, sign: 1 };
      // Gamma(c) Gamma(c-a-b) / (Gamma(c-a) Gamma(c-b)); lgammaF64 gives log|Gamma| for negative arguments.
      if (isNonPositiveInteger(c - a) || isNonPositiveInteger(c - b)) return { logAbs: -Infinity, sign: 1 };
      const logAbs = lgammaF64(c) + lgammaF64(c - a - b) - lgammaF64(c - a) - lgammaF64(c - b);
      return { logAbs, sign: gammaSign(c) * gammaSign(c - a - b) * gammaSign(c - a) * gammaSign(c - b) };
    }
  } else if (z < 0) {
    const lo = Math.min(a, b);
    A = lo;
    B = c - Math.max(a, b);
    w = -z / (1 - z);
    logPrefactor = -lo * Math.log1p(-z);
  } else if (a + b > c && !terminating) {
    A = c - a;
    B = c - b;
    logPrefactor = (c - a - b) * Math.log1p(-z);
  }
  // Past k0 every ratio |t_{k+1}/t_k| is below w (A + B - C - 1 <= -1), so the remainder is below |t| w/(1-w).
  const k0 = Math.abs(A * B) + Math.abs(A) + Math.abs(B) + 2;
  const tailBound = w < 1 ? w / (1 - w) : Infinity;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  let ratio = 0;
  for (let k = 0; k < HYP2F1_MAX_TERMS; k++) {
    ratio = (((A + k) / (c + k)) * (B + k) * w) / (k + 1);
    term *= ratio;
    sum += term;
    if (term === 0) break;
    if (Math.abs(sum) > RESCALE) {
      sum /= RESCALE;
      term /= RESCALE;
      logScale += LOG_RESCALE;
    }
    if (k > k0 && Math.abs(term) * Math.min(tailBound, 1e300) <= HYP2F1_EPS * Math.abs(sum)) break;
  }
  // Geometric estimate of whatever the cap left (negligible unless w is within ~1e-5 of 1).
  if (term !== 0 && Math.abs(ratio) < 1) sum += (term * ratio) / (1 - ratio);
  return { logAbs: logPrefactor + logScale + Math.log(Math.abs(sum)), sign: Math.sign(sum) };
}

/**
 * log|2F1(a, b; c; z)|, the Gauss hypergeometric function (A&S 15.1.1), in float64 for z <= 1 and c
 * not a non-positive integer: finite where 2F1 itself overflows (large x in the CLV models). z < 0
 * goes through Pfaff's transformation and z >= 0 with a + b > c through Euler's, then the power series
 * in w in [0, 1) (w = z, or -z/(1-z) for z < 0) is summed with rescaling until the bounded remainder
 * is below 1e-17 of the sum; z = 1 is Gauss's sum (+Infinity where it diverges, c - a - b <= 0).
 * Accuracy ~1e-14 relative in 2F1 (absolute in the log) for w <= 0.9999 (z in [-9999, 0.9999]), and
 * still ~1e-10 up to w = 0.99999 (2e6-term cap, plus a geometric tail estimate). Throws RangeError
 * for z > 1 (complex-valued there) and for c a non-positive integer (a pole).
 */
export function logHyp2f1F64(a: number, b: number, c: number, z: number): number {
  return hyp2f1Parts(a, b, c, z).logAbs;
}

/**
 * 2F1(a, b; c; z) in float64 (signed), same method, domain and accuracy as logHyp2f1F64; it
 * overflows to +-Infinity beyond 1.8e308, where logHyp2f1F64 stays finite.
 */
export function hyp2f1F64(a: number, b: number, c: number, z: number): number {
  const { logAbs, sign } = hyp2f1Parts(a, b, c, z);
  return sign * Math.exp(logAbs);
}

/** Gauss-Legendre nodes and weights on [0, 1] (Newton on Legendre polynomials; exact to ~1e-15). */
export function gaussLegendre01(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/** Standard normal CDF in float64 (erfc by Taylor series below 0.5, Lentz continued fraction above; ~1e-14). */
export function normalCdfF64(z: number): number {
  return 0.5 * erfcF64(-z / Math.SQRT2);
}

function erfcF64(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.5) {
    // 1 - erf(x), erf by its Taylor series (fast convergence for |x| < 0.5).
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 30; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = exp(-x^2) / (sqrt(pi) f), f = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), by Lentz's method.
    const tiny = 1e-300;
    let f = ax;
    let c = ax;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const a = n / 2;
      d = ax + a * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = ax + a / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
  }
  return x >= 0 ? r : 2 - r;
}
