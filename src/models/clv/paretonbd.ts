/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader & Hardie 2005, "A note on
 * deriving the Pareto/NBD model and related expressions"): Poisson purchases with gamma(r, alpha)
 * rates and exponential lifetimes with gamma(s, beta) dropout rates.
 *
 * The likelihood's second term (the customer died between t_x and T) is s/(r+s+x) A0, usually
 * written with 2F1(r+s+x, s+1; r+s+x+1; z), z = (alpha-beta)/(alpha+t), at t = t_x and t = T. It is
 * computed here as the integral over the dropout time that it is (eq. 4 of the note):
 *   s/(r+s+x) A0 = s \int_{t_x}^{T} (alpha + tau)^-(r+x) (beta + tau)^-(s+1) dtau,
 * by Gauss-Legendre quadrature in v = log(c + tau), c = min(alpha, beta): in v neither factor has a
 * scale smaller than 1 (the log-integrand's slope is bounded by r+x+s+2), so a fixed rule is
 * accurate whether alpha >> beta or alpha << beta (the 2F1 integrand has a spike at the end of its
 * range when z -> 1, that is alpha >> beta), and there is no difference of two near-equal terms when
 * t_x is close to T. In v the factor of c, (c + tau)^-k (k = r+x or s+1) times the Jacobian c + tau,
 * is exactly exp(-(k - 1) v): an exponential map xi -> v (1 - exp(-(k-1)(v - v0)) linear in xi) makes it
 * uniform, so a heavy buyer's (alpha + tau)^-(r+x), thousands of nats across [t_x, T], costs no more
 * nodes than a light one's. With L = log1p((T - t_x) / (c + t_x)) (the width in v, without a
 * difference of logs) the nodes are tau_k = t_x + (c + t_x) expm1(v_k - v0), summed in log space (the
 * factors overflow float32). Plain elementwise ops with exact autodiff gradients: no series, no
 * branches (a mask picks k), no gather.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussLegendre01, lgammaF64, logAddExpF64 } from '../../engine/special-f64';
import { expm1, logAddExp, logSumExp } from '../../engine/special';
import type { ModelDefinition } from '../types';
import { countModelDefinition, sumLogRising, type CountData, type CountModelSpec } from './count-model';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * Quadrature nodes for the batched likelihood, checked against a float64 reference over alpha/beta
 * from 1e-3 to 1e4 (test/unit/models/clv/paretonbd-accuracy.test.ts; the errors, and those of 24
 * nodes, in BENCHMARKS.md).
 */
const NODES_F32 = 32;
/** Nodes for the float64 predictions. */
const NODES_F64 = 96;

/**
 * Floor on the slope removed by the exponential map (any positive slope gives an exact change of
 * variables; it only has to be positive to keep the map defined).
 */
const MIN_SLOPE = 0.01;

const rules = new Map<number, { nodes: Float64Array; logW: number[] }>();

/** Gauss-Legendre rule on [0, 1]: nodes and log weights (cached). */
function rule(n: number) {
  let r = rules.get(n);
  if (!r) {
    const { nodes, weights } = gaussLegendre01(n);
    r = { nodes, logW: Array.from(weights, Math.log) };
    rules.set(n, r);
  }
  return r;
}

/**
 * log \int_{t_x}^{T} (alpha + tau)^-(r+x) (beta + tau)^-(s+1) dtau in float64, by the quadrature the
 * batched likelihood uses (see the file comment); -Infinity when t_x = T.
 */
export function logDropoutIntegral({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number, n = NODES_F64): number {
  if (!(T > tx)) return -Infinity;
  const { nodes, logW } = rule(n);
  const c0 = Math.min(alpha, beta) + tx;
  const L = Math.log1p((T - tx) / c0);
  const kappa = Math.max((alpha <= beta ? r + x : s + 1) - 1, MIN_SLOPE) * L;
  const E = -Math.expm1(-kappa);
  const terms = new Float64Array(n);
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const logQ = Math.log1p(-nodes[k] * E);
    const dv = (-L * logQ) / kappa;
    const tau = tx + c0 * Math.expm1(dv);
    terms[k] = logW[k] - logQ + dv - (r + x) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau);
    max = Math.max(max, terms[k]);
  }
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(terms[k] - max);
  return Math.log(c0) + Math.log(L) + Math.log(E) - Math.log(kappa) + max + Math.log(sum);
}

/** log A0 (float64), -Infinity when t_x = T (the term vanishes). */
function logA0F64(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return Math.log(p.r + p.s + x) + logDropoutIntegral(p, x, tx, T);
}

export function paretoNbdLogLikF64(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = lgammaF64(r + x) - lgammaF64(r) + r * Math.log(alpha) + s * Math.log(beta);
  const t1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const t2 = Math.log(s) - Math.log(r + s + x) + logA0F64(p, x, tx, T);
  return head + logAddExpF64(t1, t2);
}

/**
 * The last P(alive) computed. Its two quadratures dominate every prediction, and the outputs ask for
 * it many times in a row for the same customer and draw (the conditional expectation at each month
 * of the CLV horizon, the pmf at each n): the outputs' speed-up is in BENCHMARKS.md.
 */
let lastPAlive: { r: number; alpha: number; s: number; beta: number; x: number; tx: number; T: number; value: number } | undefined;

export function paretoNbdPAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const m = lastPAlive;
  if (m && m.r === r && m.alpha === alpha && m.s === s && m.beta === beta && m.x === x && m.tx === tx && m.T === T) return m.value;
  const logOdds = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0F64(p, x, tx, T);
  const value = 1 / (1 + Math.exp(logOdds));
  lastPAlive = { r, alpha, s, beta, x, tx, T, value };
  return value;
}

/** E[X(T, T+t] | x, t_x, T] (Fader & Hardie 2005 note, eq. 22). */
export function paretoNbdConditionalExpected(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  if (t <= 0) return 0;
  const ratio = (beta + T) / (beta + T + t);
  const front = Math.abs(s - 1) < 1e-9 ? -Math.log(ratio) : (1 - Math.pow(ratio, s - 1)) / (s - 1);
  return (((r + x) * (beta + T)) / (alpha + T)) * front * paretoNbdPAlive(p, x, tx, T);
}

/** Nodes of the Gauss-Legendre rule over the dropout time in the conditional pmf. */
const PMF_NODES = 32;
let pmfRule: { nodes: Float64Array; weights: Float64Array } | undefined;

/**
 * P(X(T, T+t] = n | x, t_x, T), float64. Given alive at T the rates' posterior is
 * lambda ~ gamma(r + x, alpha + T), mu ~ gamma(s, beta + T), independent; purchases are
 * Poisson(lambda min(tau, t)) with tau ~ Exp(mu) the remaining lifetime. Integrating lambda
 * gives a negative binomial NB(n; r + x, alpha + T, u) for a purchasing span u; integrating mu gives
 * the survival ((beta + T) / (beta + T + t))^s and the dropout-time density
 * s (beta + T)^s / (beta + T + tau)^(s + 1). So
 *   P(n) = (1 - P(alive)) [n = 0] + P(alive) [NB(n; t) S(t) + \int_0^t f(tau) NB(n; tau) dtau],
 * the integral by Gauss-Legendre quadrature (its mean is the closed-form conditional expectation).
 */
export function paretoNbdConditionalPmf(p: ParetoNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const pAlive = paretoNbdPAlive(p, x, tx, T);
  const dead = n === 0 ? 1 - pAlive : 0;
  if (t <= 0) return n === 0 ? 1 : 0;
  const k = r + x;
  const A = alpha + T;
  const B = beta + T;
  const logHead = lgammaF64(k + n) - lgammaF64(k) - lgammaF64(n + 1);
  const nb = (u: number) => Math.exp(logHead + k * Math.log(A / (A + u)) + (n === 0 ? 0 : n * Math.log(u / (A + u))));
  let alive = nb(t) * Math.exp(s * Math.log(B / (B + t)));
  pmfRule ??= gaussLegendre01(PMF_NODES);
  const { nodes, weights } = pmfRule;
  for (let i = 0; i < PMF_NODES; i++) {
    const tau = t * nodes[i];
    alive += t * weights[i] * s * Math.exp(s * Math.log(B) - (s + 1) * Math.log(B + tau)) * nb(tau);
  }
  return dead + pAlive * alive;
}

/** Unconditional E[X(t)] = r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s-1)]. */
export function paretoNbdExpected({ r, alpha, s, beta }: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  const ratio = beta / (beta + t);
  const front = Math.abs(s - 1) < 1e-9 ? -Math.log(ratio) : (1 - Math.pow(ratio, s - 1)) / (s - 1);
  return ((r * beta) / alpha) * front;
}

/** Log-space offset of the dropout term on rows with t_x = T, where it is zero (e^-1e4 = 0 in float32). */
const NO_GAP = -1e4;

/** Batched Pareto/NBD log likelihood over distinct rows: `[chains]`. */
export function paretoNbdLogLikelihood(d: CountData) {
  const { nodes, logW } = rule(NODES_F32);
  const K = NODES_F32;
  const xi = tf.tensor3d(Float32Array.from(nodes), [1, 1, K]);
  const logWT = tf.tensor3d(logW, [1, 1, K]);
  const tx3 = tf.expandDims(d.tx, 2);
  // T - t_x once, as a data constant (log1p of gap / (c + t_x) keeps its digits when t_x is close to
  // T); rows with t_x = T get a unit gap and the NO_GAP offset, so every op stays finite.
  const txs = d.tx.dataSync();
  const Ts = d.T.dataSync();
  const gap = tf.tensor2d(Float32Array.from(Ts, (t, i) => (t > txs[i] ? t - txs[i] : 1)), d.tx.shape);
  const gapOff = tf.tensor2d(Float32Array.from(Ts, (t, i) => (t > txs[i] ? 0 : NO_GAP)), d.tx.shape);
  return ({ r, alpha, s, beta }: Record<string, tf.Tensor2D>): tf.Tensor1D => {
    // The dropout integral in v = log(c + tau), c = min(alpha, beta), mapped so that the factor of
    // min(alpha, beta) is uniform (file comment).
    const c0 = tf.add(tf.minimum(alpha, beta), d.tx); // c + t_x, [C, U]
    const L = tf.log1p(tf.div(gap, c0));
    const rx = tf.add(r, d.x);
    const s1 = tf.add(s, 1);
    const isAlpha = tf.step(tf.sub(beta, alpha)); // 1 where alpha < beta (mask: no gradient)
    const slope = tf.add(s1, tf.mul(isAlpha, tf.sub(rx, s1)));
    const kappa = tf.mul(tf.maximum(tf.sub(slope, 1), MIN_SLOPE), L);
    const E = tf.neg(expm1(tf.neg(kappa)));
    const logQ = tf.log1p(tf.neg(tf.mul(xi, tf.expandDims(E, 2)))); // [C, U, K]
    const dv = tf.mul(tf.neg(logQ), tf.expandDims(tf.div(L, kappa), 2));
    const tau = tf.add(tx3, tf.mul(tf.expandDims(c0, 2), expm1(dv)));
    const logTerms = tf.sub(
      tf.sub(tf.add(logWT, dv), logQ),
      tf.add(tf.mul(tf.expandDims(rx, 2), tf.log(tf.add(tf.expandDims(alpha, 2), tau))), tf.mul(tf.expandDims(s1, 2), tf.log(tf.add(tf.expandDims(beta, 2), tau)))),
    );
    const logIntegral = tf.add(
      tf.add(tf.add(tf.log(c0), tf.log(L)), tf.sub(tf.log(E), tf.log(kappa))),
      tf.add(logSumExp(logTerms, 2), gapOff),
    );
    const head = tf.add(tf.mul(r, tf.log(alpha)), tf.mul(s, tf.log(beta)));
    const t1 = tf.neg(tf.add(tf.mul(tf.add(r, d.x), tf.log(tf.add(alpha, d.T))), tf.mul(s, tf.log(tf.add(beta, d.T)))));
    const t2 = tf.add(tf.log(s), logIntegral);
    const ll = tf.add(head, logAddExp(t1, t2));
    return tf.add(sumLogRising(r, d), tf.sum(tf.mul(ll, d.w), 1)) as tf.Tensor1D;
  };
}

export const paretonbdSpec: CountModelSpec<ParetoNbdParams, 'paretonbd'> = {
  name: 'paretonbd',
  label: 'Pareto/NBD',
  paramNames: ['r', 'alpha', 's', 'beta'],
  timeScaleParams: ['alpha', 'beta'],
  // As s and beta grow together the likelihood tends to that of a constant dropout rate, and the
  // half-Cauchy priors of the other count models leave (s, beta) a long tail that HMC does not
  // converge on; PyMC-Marketing's light-tailed Weibull defaults do (the runs in BENCHMARKS.md).
  priorFamily: 'Weibull',
  logLikelihood: paretoNbdLogLikelihood,
  logLikF64: paretoNbdLogLikF64,
  pAlive: paretoNbdPAlive,
  conditionalExpected: paretoNbdConditionalExpected,
  conditionalPmf: paretoNbdConditionalPmf,
  expected: paretoNbdExpected,
};

/** The 'paretonbd' model definition. */
export const paretonbdModel = countModelDefinition(paretonbdSpec);
