/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases Poisson
 * with gamma(r, alpha) heterogeneous rates; after each purchase a customer drops out with a
 * beta(a, b) heterogeneous probability. Likelihood of (x, t_x, T), batched log density and the
 * float64 predictions (P(alive), conditional and unconditional expected purchases, pmf).
 */
import * as tf from '@tensorflow/tfjs';
import { logAddExp } from '../../engine/special';
import { hyp2f1F64, lbetaF64, lgammaF64, logAddExpF64 } from '../../engine/special-f64';
import type { ModelDefinition } from '../types';
import { countModelDefinition, sumLogRising, type CountData, type CountModelSpec } from './count-model';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A large finite log-penalty that switches off a term (exp underflows to exactly 0; no inf * 0). */
const OFF = 1e4;

/** Batched BG/NBD log likelihood over distinct rows with counts: params `[chains, 1]` -> `[chains]`. */
export function bgnbdLogLikelihood(d: CountData) {
  const total = tf.sum(d.w);
  return ({ r, alpha, a, b }: Record<string, tf.Tensor2D>): tf.Tensor1D => {
    const rx = tf.add(r, d.x);
    // Row-free parts: sum_i [lgamma(r+x) - lgamma(r)] + [lbeta(a, b+x) - lbeta(a, b)] + r log(alpha),
    // with lbeta(a, b+x) - lbeta(a, b) = [lgamma(b+x) - lgamma(b)] - [lgamma(a+b+x) - lgamma(a+b)].
    const shared = tf.add(
      tf.add(sumLogRising(r, d), tf.sub(sumLogRising(b, d), sumLogRising(tf.add(a, b) as tf.Tensor2D, d))),
      tf.mul(tf.reshape(tf.mul(r, tf.log(alpha)), [-1]), total),
    );
    const a3 = tf.neg(tf.mul(rx, tf.log(tf.add(alpha, d.T))));
    // log(a / (b + x - 1)) - (r + x) log(alpha + t_x), for x > 0 only (x1 = max(x, 1) keeps it finite).
    const a4 = tf.sub(tf.sub(tf.log(a), tf.log(tf.add(b, d.x1m1))), tf.mul(rx, tf.log(tf.add(alpha, d.tx))));
    const perRow = logAddExp(a3, tf.sub(a4, tf.mul(OFF, d.isZero)));
    return tf.add(shared, tf.sum(tf.mul(perRow, d.w), 1)) as tf.Tensor1D;
  };
}

/** Float64 log likelihood of one customer (the independent reference implementation). */
export function bgnbdLogLikF64(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const a1 = lgammaF64(r + x) - lgammaF64(r) + r * Math.log(alpha);
  const a2 = lbetaF64(a, b + x) - lbetaF64(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return a1 + a2 + logAddExpF64(a3, a4);
}

/** P(alive at T | x, t_x, T). */
export function bgnbdPAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * The a -> 1 limit of (1 - (1-z)^(a-1) 2F1(A, a-1; C; z)) / (a - 1), the factor the expected
 * purchases of BG/NBD and MBG/NBD divide by a - 1: with (a-1)_k ~ (a-1) (k-1)!, it is
 * -log(1 - z) - sum_{k>=1} (A)_k / (C)_k z^k / k.
 */
export function eulerFactorAtA1(A: number, C: number, z: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 1; k <= 1_000_000; k++) {
    term *= ((A + k - 1) / (C + k - 1)) * z;
    const add = term / k;
    sum += add;
    if (Math.abs(add) <= 1e-16 * Math.abs(sum)) break;
  }
  return -Math.log(1 - z) - sum;
}

/**
 * E[X(T, T + t] | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10). The 2F1 is Euler-transformed,
 * ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z),
 * so the series converges fast and never overflows for large x.
 */
export function bgnbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const h = Math.pow(1 - z, a - 1) * hyp2f1F64(a + b - 1 - r, a - 1, c, z);
  // (a+b+x-1)/(a-1) (1 - h), with its limit at a = 1.
  const front = Math.abs(a - 1) < 1e-9 ? c * eulerFactorAtA1(a + b - 1 - r, c, z) : (c / (a - 1)) * (1 - h);
  return front * bgnbdPAlive(p, x, tx, T);
}

/** Unconditional E[X(t)] for a customer observed from time 0 (eq. 7), Euler-transformed as above. */
export function bgnbdExpected(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  const h = Math.pow(1 - z, a - 1) * hyp2f1F64(a - r - 1 + b, a - 1, a + b - 1, z);
  return Math.abs(a - 1) < 1e-9 ? (a + b - 1) * eulerFactorAtA1(a - r - 1 + b, a + b - 1, z) : ((a + b - 1) / (a - 1)) * (1 - h);
}

/** P(X(t) = n) for a customer observed from time 0 (eq. 8). */
export function bgnbdPmf(p: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = p;
  const q = alpha / (alpha + t);
  const logPois = (k: number) => lgammaF64(r + k) - lgammaF64(r) - lgammaF64(k + 1) + r * Math.log(q) + k * Math.log1p(-q);
  let out = Math.exp(lbetaF64(a, b + n) - lbetaF64(a, b) + logPois(n));
  if (n > 0) {
    let cum = 0;
    for (let j = 0; j < n; j++) cum += Math.exp(logPois(j));
    out += Math.exp(lbetaF64(a + 1, b + n - 1) - lbetaF64(a, b)) * (1 - cum);
  }
  return out;
}

/**
 * P(X(T, T+t] = n | x, t_x, T). A customer alive at T starts a fresh BG/NBD process whose
 * heterogeneity is updated by the history: lambda ~ gamma(r + x, alpha + T), p ~ beta(a, b + x)
 * (the alive-likelihood (1-p)^x lambda^x e^(-lambda T) factorises), so the pmf mixes a point mass
 * at 0 (dropped out) with the unconditional pmf at those parameters.
 */
export function bgnbdConditionalPmf(p: BgNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const alive = bgnbdPAlive(p, x, tx, T);
  const future = bgnbdPmf({ r: p.r + x, alpha: p.alpha + T, a: p.a, b: p.b + x }, t, n);
  return (n === 0 ? 1 - alive : 0) + alive * future;
}

export const bgnbdSpec: CountModelSpec<BgNbdParams, 'bgnbd'> = {
  name: 'bgnbd',
  label: 'BG/NBD',
  paramNames: ['r', 'alpha', 'a', 'b'],
  timeScaleParams: ['alpha'],
  logLikelihood: bgnbdLogLikelihood,
  logLikF64: bgnbdLogLikF64,
  pAlive: bgnbdPAlive,
  conditionalExpected: bgnbdConditionalExpected,
  expected: bgnbdExpected,
  pmf: bgnbdPmf,
  conditionalPmf: bgnbdConditionalPmf,
};

/** The 'bgnbd' model definition. */
export const bgnbdModel = countModelDefinition(bgnbdSpec);
