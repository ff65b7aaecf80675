/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but a customer may also drop out at
 * time zero, so even customers without repeat purchases can be inactive. Likelihood, batched log
 * density and float64 predictions (with the same Euler-transformed 2F1 as bgnbd.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { logAddExp } from '../../engine/special';
import { hyp2f1F64, lbetaF64, lgammaF64, logAddExpF64 } from '../../engine/special-f64';
import { bgnbdPmf, eulerFactorAtA1, type BgNbdParams } from './bgnbd';
import type { ModelDefinition } from '../types';
import { countModelDefinition, sumLogRising, type CountData, type CountModelSpec } from './count-model';

/**
 * log L = lgamma(r+x) - lgamma(r) + r log(alpha) - lbeta(a, b)
 *       + log[ B(a, b+x+1) (alpha+T)^-(r+x) + B(a+1, b+x) (alpha+t_x)^-(r+x) ],
 * with the beta functions expanded so both terms share lgamma(b+x) - lgamma(a+b+x+1).
 */
export function mbgnbdLogLikelihood(d: CountData) {
  const total = tf.sum(d.w);
  return ({ r, alpha, a, b }: Record<string, tf.Tensor2D>): tf.Tensor1D => {
    const rx = tf.add(r, d.x);
    const bx = tf.add(b, d.x);
    const ab = tf.add(a, b) as tf.Tensor2D;
    // lgamma(a+b+x+1) - lgamma(a+b) = [rising factorial over j < x] + log(a+b+x).
    const shared = tf.add(
      tf.add(sumLogRising(r, d), tf.sub(sumLogRising(b, d), sumLogRising(ab, d))),
      tf.mul(tf.reshape(tf.mul(r, tf.log(alpha)), [-1]), total),
    );
    const t1 = tf.sub(tf.log(bx), tf.mul(rx, tf.log(tf.add(alpha, d.T))));
    const t2 = tf.sub(tf.log(a), tf.mul(rx, tf.log(tf.add(alpha, d.tx))));
    const perRow = tf.sub(logAddExp(t1, t2), tf.log(tf.add(ab, d.x)));
    return tf.add(shared, tf.sum(tf.mul(perRow, d.w), 1)) as tf.Tensor1D;
  };
}

export function mbgnbdLogLikF64(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const a1 = lgammaF64(r + x) - lgammaF64(r) + r * Math.log(alpha);
  const t1 = lbetaF64(a, b + x + 1) - lbetaF64(a, b) - (r + x) * Math.log(alpha + T);
  const t2 = lbetaF64(a + 1, b + x) - lbetaF64(a, b) - (r + x) * Math.log(alpha + tx);
  return a1 + logAddExpF64(t1, t2);
}

export function mbgnbdPAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  const logOdds = Math.log(p.a) - Math.log(p.b + x) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

export function mbgnbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const c = a + b + x;
  const h = Math.pow(1 - z, a - 1) * hyp2f1F64(a + b - r, a - 1, c, z);
  const front = Math.abs(a - 1) < 1e-9 ? c * eulerFactorAtA1(a + b - r, c, z) : (c / (a - 1)) * (1 - h);
  return front * mbgnbdPAlive(p, x, tx, T);
}

export function mbgnbdExpected(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  const h = Math.pow(1 - z, a - 1) * hyp2f1F64(a + b - r, a - 1, a + b, z);
  return Math.abs(a - 1) < 1e-9 ? b * eulerFactorAtA1(a + b - r, a + b, z) : (b / (a - 1)) * (1 - h);
}

/**
 * P(X(T, T+t] = n | x, t_x, T): alive at T means x + 1 dropout chances survived, so
 * p ~ beta(a, b + x + 1); the future is then a BG/NBD process (no second time-zero dropout).
 */
export function mbgnbdConditionalPmf(p: BgNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const alive = mbgnbdPAlive(p, x, tx, T);
  const future = bgnbdPmf({ r: p.r + x, alpha: p.alpha + T, a: p.a, b: p.b + x + 1 }, t, n);
  return (n === 0 ? 1 - alive : 0) + alive * future;
}

export const mbgnbdSpec: CountModelSpec<BgNbdParams, 'mbgnbd'> = {
  name: 'mbgnbd',
  label: 'MBG/NBD',
  paramNames: ['r', 'alpha', 'a', 'b'],
  timeScaleParams: ['alpha'],
  logLikelihood: mbgnbdLogLikelihood,
  logLikF64: mbgnbdLogLikF64,
  pAlive: mbgnbdPAlive,
  conditionalExpected: mbgnbdConditionalExpected,
  expected: mbgnbdExpected,
  conditionalPmf: mbgnbdConditionalPmf,
};

/** The 'mbgnbd' model definition. */
export const mbgnbdModel = countModelDefinition(mbgnbdSpec);
