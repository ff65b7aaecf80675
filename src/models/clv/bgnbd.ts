/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases Poisson
 * with gamma(r, alpha) heterogeneous rates; after each purchase a customer drops out with a
 * beta(a, b) heterogeneous probability. Likelihood of (x, t_x, T), batched log density and the
 * float64 predictions (P(alive), conditional and unconditional expected purchases, pmf).
 */
import * as tf from '@tensorflow/tfjs';
import { logAddExp } from '../../engine/special';
import { hyp2f1F64, lbetaF64, lgammaF64, logAddExpF64 } from '../../engine/special-f64';
import { countModelDefinition, type CountData, type CountModelSpec } from './count-model';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A large finite log-penalty that switches off a term (exp underflows to exactly 0; no inf * 0). */
const OFF = 1e4;

/** tf.customGrad's forward function with four inputs. */
type Forward4 = (r: tf.Tensor2D, alpha: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => { value: tf.Tensor1D; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/**
 * Batched BG/NBD log likelihood over distinct rows with counts: params `[chains, 1]` -> `[chains]`.
 * Its gradient is written by hand (one tf.customGrad for the whole likelihood): the per-row softmax
 * weight p = sigmoid(a4 - a3) of the x > 0 branch gives every partial derivative, so a gradient
 * call dispatches far fewer kernels than the autodiff tape of the same expression.
 */
export function bgnbdLogLikelihood(d: CountData) {
  const total = tf.sum(d.w);
  const off = tf.mul(OFF, d.isZero);
  /** sum_j N_j / (base + j) = d/dbase sumLogRising, from base + j. `[chains, 1]`. */
  const risingGrad = (basePlusJ: tf.Tensor) => tf.matMul(tf.reciprocal(basePlusJ), d.countsAbove);
  const forward: Forward4 = (r, alpha, a, b, save) => {
    const rx = tf.add(r, d.x);
    const ab = tf.add(a, b);
    const rj = tf.add(r, d.jRange);
    const bj = tf.add(b, d.jRange);
    const abj = tf.add(ab, d.jRange);
    const logAlpha = tf.log(alpha);
    // Row-free parts: sum_i [lgamma(r+x) - lgamma(r)] + [lbeta(a, b+x) - lbeta(a, b)] + r log(alpha),
    // with lbeta(a, b+x) - lbeta(a, b) = [lgamma(b+x) - lgamma(b)] - [lgamma(a+b+x) - lgamma(a+b)]
    // (sumLogRising's sums, written out to keep base + j for the gradient).
    const rising = (basePlusJ: tf.Tensor) => tf.reshape(tf.matMul(tf.log(basePlusJ), d.countsAbove), [-1]);
    const shared = tf.add(tf.add(rising(rj), tf.sub(rising(bj), rising(abj))), tf.mul(tf.reshape(tf.mul(r, logAlpha), [-1]), total));
    const alphaT = tf.add(alpha, d.T);
    const alphaTx = tf.add(alpha, d.tx);
    const logAlphaT = tf.log(alphaT);
    const logAlphaTx = tf.log(alphaTx);
    const bx = tf.add(b, d.x1m1);
    const a3 = tf.neg(tf.mul(rx, logAlphaT));
    // log(a / (b + x - 1)) - (r + x) log(alpha + t_x), for x > 0 only (x1 = max(x, 1) keeps it finite).
    const a4 = tf.sub(tf.sub(tf.log(a), tf.log(bx)), tf.mul(rx, logAlphaTx));
    const a4On = tf.sub(a4, off);
    const perRow = logAddExp(a3, a4On);
    const value = tf.add(shared, tf.sum(tf.mul(perRow, d.w), 1)) as tf.Tensor1D;
    save([r, alpha, a, rx, rj, bj, abj, logAlpha, alphaT, alphaTx, logAlphaT, logAlphaTx, bx, a3, a4On]);
    return {
      value,
      gradFunc: (dy, [rs, alphas, as, rxs, rjs, bjs, abjs, logAlphas, alphaTs, alphaTxs, logAlphaTs, logAlphaTxs, bxs, a3s, a4s]) => {
        const dyc = tf.reshape(dy, [-1, 1]);
        // Weights of the two branches of logAddExp(a3, a4): 1 - p and p (p = 0 where x = 0).
        const wp = tf.mul(d.w, tf.sigmoid(tf.sub(a4s, a3s)));
        const w1p = tf.sub(d.w, wp);
        const abGrad = risingGrad(abjs);
        const rowSum = (t: tf.Tensor) => tf.sum(t, 1, true);
        const dr = tf.sub(tf.add(risingGrad(rjs), tf.mul(logAlphas, total)), rowSum(tf.add(tf.mul(w1p, logAlphaTs), tf.mul(wp, logAlphaTxs))));
        const dalpha = tf.sub(tf.div(tf.mul(rs, total), alphas), rowSum(tf.mul(rxs, tf.add(tf.div(w1p, alphaTs), tf.div(wp, alphaTxs)))));
        const da = tf.sub(tf.div(rowSum(wp), as), abGrad);
        const db = tf.sub(tf.sub(risingGrad(bjs), abGrad), rowSum(tf.div(wp, bxs)));
        return [tf.mul(dyc, dr), tf.mul(dyc, dalpha), tf.mul(dyc, da), tf.mul(dyc, db)];
      },
    };
  };
  const likelihood = tf.customGrad(forward as never) as unknown as (r: tf.Tensor2D, alpha: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D;
  return ({ r, alpha, a, b }: Record<string, tf.Tensor2D>): tf.Tensor1D => likelihood(r, alpha, a, b);
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
