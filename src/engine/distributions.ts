/**
 * Log densities (normalising constants included) as batched tensor expressions. Arguments
 * broadcast; a parameter may be a plain number (a prior's constant, folded in float64 on the CPU)
 * or a tensor (a likelihood whose parameters are sampled). Each returns the elementwise log
 * density; callers sum over the axes they need.
 */
import * as tf from '@tensorflow/tfjs';
import { lgamma } from './special';
import { lgammaF64, normalCdfF64 } from './special-f64';
import type { Prior } from './priors';

export type Operand = tf.Tensor | number;

const LOG_2PI = Math.log(2 * Math.PI);
const LOG_PI = Math.log(Math.PI);

const isNum = (v: Operand): v is number => typeof v === 'number';
const logOf = (v: Operand): Operand => (isNum(v) ? Math.log(v) : tf.log(v));
const lgammaOf = (v: Operand): Operand => (isNum(v) ? lgammaF64(v) : lgamma(v));

/** log N(x | mu, sigma). */
export function normalLogPdf(x: Operand, mu: Operand, sigma: Operand): tf.Tensor {
  const z = tf.div(tf.sub(x, mu), sigma);
  return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(logOf(sigma), 0.5 * LOG_2PI));
}

/** log of the half-normal density on x >= 0 with scale sigma. */
export function halfNormalLogPdf(x: Operand, sigma: Operand): tf.Tensor {
  return tf.add(normalLogPdf(x, 0, sigma), Math.LN2);
}

/** log Student-t(x | nu, mu, sigma). */
export function studentTLogPdf(x: Operand, nu: Operand, mu: Operand, sigma: Operand): tf.Tensor {
  const z2 = tf.square(tf.div(tf.sub(x, mu), sigma));
  const half = tf.div(tf.add(nu, 1), 2);
  const norm = tf.sub(
    tf.sub(lgammaOf(isNum(nu) ? (nu + 1) / 2 : half), lgammaOf(isNum(nu) ? nu / 2 : tf.div(nu, 2))),
    tf.add(tf.mul(0.5, tf.add(logOf(nu), LOG_PI)), logOf(sigma)),
  );
  return tf.sub(norm, tf.mul(half, tf.log1p(tf.div(z2, nu))));
}

/** log of the half-Student-t density on x >= 0. */
export function halfStudentTLogPdf(x: Operand, nu: Operand, sigma: Operand): tf.Tensor {
  return tf.add(studentTLogPdf(x, nu, 0, sigma), Math.LN2);
}

/** log Cauchy(x | alpha (location), beta (scale)). */
export function cauchyLogPdf(x: Operand, alpha: Operand, beta: Operand): tf.Tensor {
  const z = tf.div(tf.sub(x, alpha), beta);
  return tf.neg(tf.add(tf.add(logOf(beta), LOG_PI), tf.log1p(tf.square(z))));
}

/** log of the half-Cauchy density on x >= 0 with scale beta. */
export function halfCauchyLogPdf(x: Operand, beta: Operand): tf.Tensor {
  return tf.add(cauchyLogPdf(x, 0, beta), Math.LN2);
}

/** log Laplace(x | mu, b). */
export function laplaceLogPdf(x: Operand, mu: Operand, b: Operand): tf.Tensor {
  return tf.neg(tf.add(tf.div(tf.abs(tf.sub(x, mu)), b), tf.add(logOf(b), Math.LN2)));
}

/** log Gamma(x | alpha (shape), beta (rate)), x > 0. */
export function gammaLogPdf(x: Operand, alpha: Operand, beta: Operand): tf.Tensor {
  const norm = tf.sub(tf.mul(alpha, logOf(beta)), lgammaOf(alpha));
  return tf.add(norm, tf.sub(tf.mul(tf.sub(alpha, 1), logOf(x)), tf.mul(beta, x)));
}

/** log InverseGamma(x | alpha (shape), beta (scale)), x > 0. */
export function inverseGammaLogPdf(x: Operand, alpha: Operand, beta: Operand): tf.Tensor {
  const norm = tf.sub(tf.mul(alpha, logOf(beta)), lgammaOf(alpha));
  return tf.sub(norm, tf.add(tf.mul(tf.add(alpha, 1), logOf(x)), tf.div(beta, x)));
}

/** log Beta(x | alpha, beta), 0 < x < 1. */
export function betaLogPdf(x: Operand, alpha: Operand, beta: Operand): tf.Tensor {
  const lbeta = tf.sub(tf.add(lgammaOf(alpha), lgammaOf(beta)), lgammaOf(isNum(alpha) && isNum(beta) ? alpha + beta : tf.add(alpha, beta)));
  const body = tf.add(tf.mul(tf.sub(alpha, 1), logOf(x)), tf.mul(tf.sub(beta, 1), tf.log1p(tf.neg(x))));
  return tf.sub(body, lbeta);
}

/** log LogNormal(x | mu, sigma), x > 0. */
export function logNormalLogPdf(x: Operand, mu: Operand, sigma: Operand): tf.Tensor {
  const lx = logOf(x);
  return tf.sub(normalLogPdf(lx, mu, sigma), lx);
}

/** log Exponential(x | lam (rate)), x >= 0. */
export function exponentialLogPdf(x: Operand, lam: Operand): tf.Tensor {
  return tf.sub(logOf(lam), tf.mul(lam, x));
}

/** log Weibull(x | alpha (shape), beta (scale)), x > 0. */
export function weibullLogPdf(x: Operand, alpha: Operand, beta: Operand): tf.Tensor {
  const z = tf.div(x, beta);
  return tf.sub(tf.add(tf.sub(logOf(alpha), logOf(beta)), tf.mul(tf.sub(alpha, 1), tf.log(z))), tf.pow(z, alpha));
}

/**
 * Log prior density of `x` `[chains, size]` (constrained values), summed over elements: `[chains]`.
 * Improper priors (Flat, HalfFlat) contribute 0.
 */
export function priorLogProb(prior: Prior, x: tf.Tensor2D): tf.Tensor1D {
  const sum = (t: tf.Tensor): tf.Tensor1D => tf.sum(t, 1) as tf.Tensor1D;
  switch (prior.dist) {
    case 'Normal':
      return sum(normalLogPdf(x, prior.mu, prior.sigma));
    case 'HalfNormal':
      return sum(halfNormalLogPdf(x, prior.sigma));
    case 'StudentT':
      return sum(studentTLogPdf(x, prior.nu, prior.mu, prior.sigma));
    case 'HalfStudentT':
      return sum(halfStudentTLogPdf(x, prior.nu, prior.sigma));
    case 'Cauchy':
      return sum(cauchyLogPdf(x, prior.alpha, prior.beta));
    case 'HalfCauchy':
      return sum(halfCauchyLogPdf(x, prior.beta));
    case 'Laplace':
      return sum(laplaceLogPdf(x, prior.mu, prior.b));
    case 'Gamma':
      return sum(gammaLogPdf(x, prior.alpha, prior.beta));
    case 'InverseGamma':
      return sum(inverseGammaLogPdf(x, prior.alpha, prior.beta));
    case 'Beta':
      return sum(betaLogPdf(x, prior.alpha, prior.beta));
    case 'LogNormal':
      return sum(logNormalLogPdf(x, prior.mu, prior.sigma));
    case 'Exponential':
      return sum(exponentialLogPdf(x, prior.lam));
    case 'Weibull':
      return sum(weibullLogPdf(x, prior.alpha, prior.beta));
    case 'Uniform':
      return tf.fill([x.shape[0]], -x.shape[1] * Math.log(prior.upper - prior.lower)) as tf.Tensor1D;
    case 'TruncatedNormal': {
      const mass =
        normalCdfF64((prior.upper - prior.mu) / prior.sigma) - normalCdfF64((prior.lower - prior.mu) / prior.sigma);
      return tf.sub(sum(normalLogPdf(x, prior.mu, prior.sigma)), x.shape[1] * Math.log(mass)) as tf.Tensor1D;
    }
    case 'Dirichlet': {
      const a = prior.a;
      const norm = lgammaF64(a.reduce((s, v) => s + v, 0)) - a.reduce((s, v) => s + lgammaF64(v), 0);
      const am1 = tf.tensor1d(a.map((v) => v - 1));
      return tf.add(sum(tf.mul(am1, tf.log(x))), norm) as tf.Tensor1D;
    }
    case 'Flat':
    case 'HalfFlat':
      return tf.zeros([x.shape[0]]) as tf.Tensor1D;
  }
}

/**
 * The prior's log density at a scalar `x` in float64 (for prior-vs-posterior plots); -Infinity
 * outside the support and for the improper Flat/HalfFlat. A Dirichlet is read through its first
 * coordinate's marginal, Beta(a_1, sum(a) - a_1).
 */
export function priorLogPdfF64(p: Prior, x: number): number {
  const LOG_2PI_ = Math.log(2 * Math.PI);
  const normal = (v: number, mu: number, s: number) => -0.5 * ((v - mu) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI_;
  const studentT = (v: number, nu: number, mu: number, s: number) =>
    lgammaF64((nu + 1) / 2) - lgammaF64(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s) - ((nu + 1) / 2) * Math.log1p(((v - mu) / s) ** 2 / nu);
  const beta = (v: number, a: number, b: number) =>
    v <= 0 || v >= 1 ? -Infinity : (a - 1) * Math.log(v) + (b - 1) * Math.log1p(-v) - (lgammaF64(a) + lgammaF64(b) - lgammaF64(a + b));
  const pos = (f: () => number) => (x < 0 ? -Infinity : f());
  switch (p.dist) {
    case 'Normal':
      return normal(x, p.mu, p.sigma);
    case 'HalfNormal':
      return pos(() => Math.LN2 + normal(x, 0, p.sigma));
    case 'StudentT':
      return studentT(x, p.nu, p.mu, p.sigma);
    case 'HalfStudentT':
      return pos(() => Math.LN2 + studentT(x, p.nu, 0, p.sigma));
    case 'Cauchy':
      return -Math.log(Math.PI * p.beta) - Math.log1p(((x - p.alpha) / p.beta) ** 2);
    case 'HalfCauchy':
      return pos(() => Math.LN2 - Math.log(Math.PI * p.beta) - Math.log1p((x / p.beta) ** 2));
    case 'Laplace':
      return -Math.log(2 * p.b) - Math.abs(x - p.mu) / p.b;
    case 'Gamma':
      return x <= 0 ? -Infinity : p.alpha * Math.log(p.beta) - lgammaF64(p.alpha) + (p.alpha - 1) * Math.log(x) - p.beta * x;
    case 'InverseGamma':
      return x <= 0 ? -Infinity : p.alpha * Math.log(p.beta) - lgammaF64(p.alpha) - (p.alpha + 1) * Math.log(x) - p.beta / x;
    case 'Beta':
      return beta(x, p.alpha, p.beta);
    case 'LogNormal':
      return x <= 0 ? -Infinity : normal(Math.log(x), p.mu, p.sigma) - Math.log(x);
    case 'Exponential':
      return pos(() => Math.log(p.lam) - p.lam * x);
    case 'Weibull':
      return x <= 0 ? -Infinity : Math.log(p.alpha / p.beta) + (p.alpha - 1) * Math.log(x / p.beta) - Math.pow(x / p.beta, p.alpha);
    case 'Uniform':
      return x < p.lower || x > p.upper ? -Infinity : -Math.log(p.upper - p.lower);
    case 'TruncatedNormal': {
      if (x < p.lower || x > p.upper) return -Infinity;
      const mass = normalCdfF64((p.upper - p.mu) / p.sigma) - normalCdfF64((p.lower - p.mu) / p.sigma);
      return normal(x, p.mu, p.sigma) - Math.log(mass);
    }
    case 'Dirichlet': {
      const total = p.a.reduce((s, v) => s + v, 0);
      return beta(x, p.a[0], total - p.a[0]);
    }
    case 'Flat':
    case 'HalfFlat':
      return -Infinity;
  }
}
