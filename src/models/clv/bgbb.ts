/**
 * BG/BB (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time noncontractual
 * setting"): at each of n opportunities an alive customer transacts with beta(alpha, beta)
 * heterogeneous probability p and dies with beta(gamma, delta) heterogeneous probability theta.
 * Data are (x, t_x, n) patterns with counts.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { compileModel } from '../../engine/model';
import { mergePriors, type Prior } from '../../engine/priors';
import { lbeta, logSumExp } from '../../engine/special';
import { lbetaF64, lgammaF64, logAddExpF64 } from '../../engine/special-f64';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import { readOptions } from '../options';
import type { ModelDefinition } from '../types';
import { densities, estimateColumns, thinnedDraws, type Density, type EstimateColumns } from '../summaries';
import { SHAPE_PRIOR_SCALE } from './count-model';
import { BGBB_OPTIONS } from './options';

export interface BgBbParams {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

const OFF = 1e4;
const PARAMS = ['alpha', 'beta', 'gamma', 'delta'] as const;

/** log L(alpha, beta, gamma, delta | x, t_x, n) in float64 (eq. 5 of the paper). */
export function bgbbLogLikF64(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const base = -lbetaF64(alpha, beta) - lbetaF64(gamma, delta);
  let out = lbetaF64(alpha + x, beta + n - x) + lbetaF64(gamma, delta + n) + base;
  for (let i = 0; i < n - tx; i++) {
    out = logAddExpF64(out, lbetaF64(alpha + x, beta + tx - x + i) + lbetaF64(gamma + 1, delta + tx + i) + base);
  }
  return out;
}

/** P(alive at n + 1 | x, t_x, n) (eq. 11). */
export function bgbbPAlive(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const num = lbetaF64(alpha + x, beta + n - x) - lbetaF64(alpha, beta) + lbetaF64(gamma, delta + n + 1) - lbetaF64(gamma, delta);
  return Math.exp(num - bgbbLogLikF64(p, x, tx, n));
}

/** E[transactions in the next `future` opportunities | x, t_x, n] (eq. 13). */
export function bgbbConditionalExpected(p: BgBbParams, future: number, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const logFront = lbetaF64(alpha + x + 1, beta + n - x) - lbetaF64(alpha, beta) - bgbbLogLikF64(p, x, tx, n);
  const g = (k: number) => Math.exp(lgammaF64(1 + delta + k) - lgammaF64(gamma + delta + k));
  const bracket = g(n) - g(n + future);
  return Math.exp(logFront + lgammaF64(gamma + delta) - lgammaF64(1 + delta)) * (delta / (gamma - 1)) * bracket;
}

export function bgbbLogLikelihood(d: { aOff: tf.Tensor3D; bOff: tf.Tensor3D; gOff: tf.Tensor3D; dOff: tf.Tensor3D; mask: tf.Tensor3D; w: tf.Tensor2D }) {
  return ({ alpha, beta, gamma, delta }: Record<string, tf.Tensor2D>): tf.Tensor1D => {
    const e = (t: tf.Tensor2D) => tf.reshape(t, [-1, 1, 1]);
    const [a, b, g, dl] = [e(alpha), e(beta), e(gamma), e(delta)];
    const terms = tf.sub(tf.add(lbeta(tf.add(a, d.aOff), tf.add(b, d.bOff)), lbeta(tf.add(g, d.gOff), tf.add(dl, d.dOff))), d.mask);
    const perRow = tf.sub(logSumExp(terms, 2), tf.reshape(tf.add(lbeta(alpha, beta), lbeta(gamma, delta)), [-1, 1]));
    return tf.sum(tf.mul(perRow, d.w), 1) as tf.Tensor1D;
  };
}

export interface BgBbOutputs {
  futurePeriods: number;
  patterns: { frequency: number[]; recency: number[]; periods: number[]; customers: number[]; pAlive: EstimateColumns; expected: EstimateColumns };
  densities: Record<string, Density>;
}

/**
 * Default priors: HalfCauchy(5) on alpha, beta, gamma and delta, weakly informative and proper. With
 * flat priors the posterior is improper along the homogeneous-population rays ((alpha, beta) or
 * (gamma, delta) growing together at a fixed mean), where the likelihood tends to that of one
 * transaction or death probability for everyone and stays bounded. PyMC-Marketing's defaults put
 * phi ~ Uniform(0, 1), kappa ~ Pareto(1, 1) on each pair (kappa = alpha + beta); independent
 * half-Cauchy priors give kappa the same 1/kappa^2 tail. `config.priors` replaces any of them.
 */
export const BGBB_PRIORS: Readonly<Record<(typeof PARAMS)[number], Prior>> = Object.fromEntries(
  PARAMS.map((p) => [p, { dist: 'HalfCauchy', beta: SHAPE_PRIOR_SCALE } as Prior]),
) as Record<(typeof PARAMS)[number], Prior>;

export const bgbbModel: ModelDefinition<'bgbb', BgBbOutputs> = defineModel({
  name: 'bgbb',
  label: 'BG/BB',
  roles: ['frequency', 'recency', 'periods', 'weights'],
  options: BGBB_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(BGBB_OPTIONS, spec.config);
    const x = numberColumn(table, roleColumn(spec.columns, 'frequency'), 'frequency').values;
    const tx = numberColumn(table, roleColumn(spec.columns, 'recency'), 'recency').values;
    const n = numberColumn(table, roleColumn(spec.columns, 'periods'), 'periods').values;
    const wName = roleColumn(spec.columns, 'weights', true);
    const w = wName ? numberColumn(table, wName, 'weights').values : new Float64Array(table.rows).fill(1);
    for (let i = 0; i < table.rows; i++) {
      const row = `Row ${i + 1}`;
      for (const [v, name] of [[x[i], 'frequency'], [tx[i], 'recency'], [n[i], 'periods']] as const) {
        if (!Number.isInteger(v) || v < 0) throw new InputError(`${row}: ${name} must be a whole number >= 0, got ${v}.`);
      }
      if (x[i] > tx[i] || tx[i] > n[i]) throw new InputError(`${row}: need frequency <= recency <= periods, got ${x[i]}, ${tx[i]}, ${n[i]}.`);
      if (x[i] === 0 && tx[i] !== 0) throw new InputError(`${row}: frequency 0 needs recency 0, got ${tx[i]}.`);
      if (!(w[i] >= 0)) throw new InputError(`${row}: weights must be counts >= 0, got ${w[i]}.`);
    }
    const U = table.rows;
    const K = 1 + Math.max(...Array.from(n, (v, i) => v - tx[i]));
    const aOff = new Float32Array(U * K);
    const bOff = new Float32Array(U * K);
    const gOff = new Float32Array(U * K);
    const dOff = new Float32Array(U * K);
    const mask = new Float32Array(U * K);
    for (let u = 0; u < U; u++) {
      for (let k = 0; k < K; k++) {
        const j = u * K + k;
        aOff[j] = x[u];
        if (k === 0) {
          bOff[j] = n[u] - x[u];
          dOff[j] = n[u];
        } else {
          const i = k - 1;
          bOff[j] = tx[u] - x[u] + i;
          gOff[j] = 1;
          dOff[j] = tx[u] + i;
          if (i >= n[u] - tx[u]) mask[j] = OFF;
        }
      }
    }
    const t3 = (a: Float32Array) => tf.tensor3d(a, [1, U, K]);
    const data = { aOff: t3(aOff), bOff: t3(bOff), gOff: t3(gOff), dOff: t3(dOff), mask: t3(mask), w: tf.tensor2d(Float32Array.from(w), [1, U]) };
    const priors = mergePriors(BGBB_PRIORS, config.priors);
    const future = config.futurePeriods;
    return {
      model: compileModel(PARAMS.map((name) => ({ name, prior: priors[name] })), bgbbLogLikelihood(data)),
      outputs: (posterior: Posterior) => {
        const draws = thinnedDraws<BgBbParams>(posterior, PARAMS, 200);
        const out: BgBbOutputs = {
          futurePeriods: future,
          patterns: {
            frequency: Array.from(x),
            recency: Array.from(tx),
            periods: Array.from(n),
            customers: Array.from(w),
            pAlive: estimateColumns(U, draws.length, (u, d) => bgbbPAlive(draws[d], x[u], tx[u], n[u])),
            expected: estimateColumns(U, draws.length, (u, d) => bgbbConditionalExpected(draws[d], future, x[u], tx[u], n[u])),
          },
          densities: densities(posterior, PARAMS),
        };
        return { ...out };
      },
    };
  },
});
