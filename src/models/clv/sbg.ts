/**
 * Shifted-beta-geometric (Fader & Hardie 2007, "How to project customer retention"): in a
 * contractual setting each customer churns at the end of every period with a beta(alpha, beta)
 * heterogeneous probability. Data: customers still active at periods 0..T (period 0 = cohort size),
 * optionally for several cohorts (each with its own alpha and beta).
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { labelColumn, numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { compileModel } from '../../engine/model';
import { mergePriors, type Prior } from '../../engine/priors';
import { lbetaF64 } from '../../engine/special-f64';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import { readOptions } from '../options';
import type { ModelDefinition } from '../types';
import { densities, estimateColumns, thinnedDraws, type Density, type EstimateColumns } from '../summaries';
import { SHAPE_PRIOR_SCALE } from './count-model';
import { SBG_OPTIONS } from './options';

export interface SbgParams {
  alpha: number;
  beta: number;
}

/** Survival S(t) = B(alpha, beta + t) / B(alpha, beta). */
export function sbgSurvival({ alpha, beta }: SbgParams, t: number): number {
  return Math.exp(lbetaF64(alpha, beta + t) - lbetaF64(alpha, beta));
}

/** Retention rate from period t-1 to t: (beta + t - 1) / (alpha + beta + t - 1). */
export function sbgRetention({ alpha, beta }: SbgParams, t: number): number {
  return (beta + t - 1) / (alpha + beta + t - 1);
}

/** log L of survivor counts n_0..n_T (float64 reference). */
export function sbgLogLikF64(p: SbgParams, alive: readonly number[]): number {
  let ll = 0;
  for (let t = 1; t < alive.length; t++) {
    ll += (alive[t - 1] - alive[t]) * (lbetaF64(p.alpha + 1, p.beta + t - 1) - lbetaF64(p.alpha, p.beta));
  }
  return ll + alive[alive.length - 1] * Math.log(sbgSurvival(p, alive.length - 1));
}

/**
 * Survival counts of K cohorts as padded `[1, K, T]` tensors, column t - 1 holding period t
 * (t = 1..T); cohorts observed for fewer periods are zero-padded.
 */
export interface SbgCounts {
  /** Customers lost at period t: active at t - 1, churned by t. */
  readonly lost: tf.Tensor3D;
  /** Customers active at t - 1 and still active at t (churned later, or right-censored at t or later). */
  readonly survived: tf.Tensor3D;
  /** The periods 1..T, `[1, 1, T]`. */
  readonly t: tf.Tensor3D;
}

/**
 * `SbgCounts` from per-cohort rows: `lost[k][t - 1]` and `censored[k][t - 1]` (customers still
 * active at period t, the last period observed for them) for t = 1..length (rows may differ in
 * length). Censoring at period 0 carries no information and has no column.
 */
export function sbgCounts(lost: readonly (readonly number[])[], censored: readonly (readonly number[])[]): SbgCounts {
  const K = lost.length;
  const T = Math.max(1, ...lost.map((r) => r.length), ...censored.map((r) => r.length));
  const pad = (rows: readonly (readonly number[])[]) => {
    const out = new Float32Array(K * T);
    rows.forEach((r, k) => r.forEach((v, t) => (out[k * T + t] = v)));
    return out;
  };
  const lostRows = pad(lost);
  const censoredRows = pad(censored);
  // survived(t) = customers whose churn or censoring comes at period t or later, less those lost at t.
  const survived = new Float32Array(K * T);
  for (let k = 0; k < K; k++) {
    let later = 0;
    for (let t = T - 1; t >= 0; t--) {
      later += lostRows[k * T + t] + censoredRows[k * T + t];
      survived[k * T + t] = later - lostRows[k * T + t];
    }
  }
  return {
    lost: tf.tensor3d(lostRows, [1, K, T]),
    survived: tf.tensor3d(survived, [1, K, T]),
    t: tf.tensor3d(Float32Array.from({ length: T }, (_, i) => i + 1), [1, 1, T]),
  };
}

/**
 * Batched sBG log likelihood (Fader & Hardie 2007, eqs. 1-2): for alpha, beta `[chains, K]`, the
 * sum over cohorts and periods of lost(t) log P(T = t) + censored(t) log S(t). With
 * P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta) = S(t - 1) alpha / (alpha + beta + t - 1) and
 * S(t) = prod_{j <= t} (beta + j - 1) / (alpha + beta + j - 1), it is a product of one-period
 * retention odds: sum over t of lost(t) log(alpha / (alpha + beta + t - 1)) +
 * survived(t) log((beta + t - 1) / (alpha + beta + t - 1)). Each log is of a ratio, accurate in
 * float32 to ~1e-7 absolute however large alpha and beta are. The difference of two log Betas it
 * replaces cancels there: with near-geometric churn (alpha + beta beyond ~e^9, where a cohort whose
 * churn rate does not fall over time puts its likelihood's maximum) its value and gradient were
 * float32 rounding noise, and HMC's step size collapsed (BENCHMARKS.md). Returns `[chains]`.
 */
export function sbgLogLikelihood(alpha: tf.Tensor2D, beta: tf.Tensor2D, d: SbgCounts): tf.Tensor1D {
  return oddsLogLikelihood(alpha, beta, d.lost, d.survived, tf.sub(d.t, 1) as tf.Tensor3D);
}

/**
 * The sum of lost log(alpha / s) + survived log(b / s), s = alpha + b, b = beta + t - 1, with its
 * gradient in closed form: lost (b / s) / alpha - survived / s in alpha, survived (alpha / s) / b -
 * lost / s in beta. Autodiff of the ratios would square s, which overflows float32 from s ~ 1e19
 * (a runaway chain or optimiser under flat priors) and leaves a finite, wrong gradient there.
 */
function oddsLogLikelihood(alpha: tf.Tensor2D, beta: tf.Tensor2D, lost: tf.Tensor3D, survived: tf.Tensor3D, shift: tf.Tensor3D): tf.Tensor1D {
  const op = (a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const a3 = tf.expandDims(a, 2);
    const bt = tf.add(tf.expandDims(b, 2), shift); // beta + t - 1, [chains, K, T]
    const s = tf.add(a3, bt); // alpha + beta + t - 1
    const churn = tf.div(a3, s);
    const stay = tf.div(bt, s);
    save([a3, bt, s, churn, stay]);
    return {
      value: tf.sum(tf.add(tf.mul(lost, tf.log(churn)), tf.mul(survived, tf.log(stay))), [1, 2]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [a3s, bts, ss, churns, stays] = saved;
        const dy3 = tf.reshape(dy, [-1, 1, 1]);
        const lostPerS = tf.div(lost, ss);
        const survivedPerS = tf.div(survived, ss);
        const ga = tf.sub(tf.mul(lost, tf.div(stays, a3s)), survivedPerS);
        const gb = tf.sub(tf.mul(survived, tf.div(churns, bts)), lostPerS);
        return [tf.sum(tf.mul(dy3, ga), 2), tf.sum(tf.mul(dy3, gb), 2)];
      },
    };
  };
  return (tf.customGrad(op as never) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D)(alpha, beta);
}

interface CohortSeries {
  name: string;
  alive: number[];
}

/** Survivor series per cohort from (period, alive[, cohort]) rows, with specific errors. */
export function sbgSeries(table: Table, spec: FitSpec): CohortSeries[] {
  const period = numberColumn(table, roleColumn(spec.columns, 'period'), 'period').values;
  const alive = numberColumn(table, roleColumn(spec.columns, 'alive'), 'alive').values;
  const cohortName = roleColumn(spec.columns, 'cohort', true);
  const cohort = cohortName ? labelColumn(table, cohortName, 'cohort') : new Array<string>(table.rows).fill('all');
  const byCohort = new Map<string, Map<number, { value: number; row: number }>>();
  for (let i = 0; i < table.rows; i++) {
    const row = `Row ${i + 1}`;
    if (!Number.isInteger(period[i]) || period[i] < 0) throw new InputError(`${row}: period must be a whole number >= 0, got ${period[i]}.`);
    if (!(alive[i] >= 0) || !Number.isInteger(alive[i])) throw new InputError(`${row}: alive must be a whole count >= 0, got ${alive[i]}.`);
    let m = byCohort.get(cohort[i]);
    if (!m) byCohort.set(cohort[i], (m = new Map()));
    if (m.has(period[i])) throw new InputError(`${row}: period ${period[i]} appears twice${cohortName ? ` for cohort "${cohort[i]}"` : ''}.`);
    m.set(period[i], { value: alive[i], row: i + 1 });
  }
  return [...byCohort.entries()].map(([name, m]) => {
    const T = Math.max(...m.keys());
    const series: number[] = [];
    for (let t = 0; t <= T; t++) {
      const v = m.get(t);
      if (!v) throw new InputError(`Cohort "${name}": period ${t} is missing (periods must run 0, 1, 2, ... without gaps).`);
      if (t > 0 && v.value > series[t - 1]) throw new InputError(`Row ${v.row}: ${v.value} customers alive at period ${t}, more than the ${series[t - 1]} at period ${t - 1}.`);
      series.push(v.value);
    }
    if (series.length < 2) throw new InputError(`Cohort "${name}" needs at least periods 0 and 1.`);
    if (!(series[0] > 0)) throw new InputError(`Cohort "${name}": the cohort size (period 0) must be > 0.`);
    return { name, alive: series };
  });
}

export interface SbgOutputs {
  cohorts: {
    name: string;
    observed: number[];
    /** Periods 0..projection of the survival curve (share of the cohort still active). */
    periods: number[];
    survival: EstimateColumns;
    retention: EstimateColumns;
  }[];
  densities: Record<string, Density>;
}

/**
 * Default priors: HalfCauchy(5) on alpha and beta, weakly informative and proper. With flat priors
 * the posterior is improper along the homogeneous-population ray (alpha, beta growing together at a
 * fixed mean churn alpha / (alpha + beta)), where the likelihood tends to a geometric one and stays
 * bounded: on a near-geometric cohort the mode and the chains run off to infinity. Under these
 * priors kappa = alpha + beta has a 1/kappa^2 tail, as under PyMC-Marketing's default
 * (phi ~ Uniform(0, 1), kappa ~ Pareto(1, 1)), and the mean churn a near-flat prior. `config.priors`
 * replaces either (e.g. `{ "alpha": { "dist": "HalfFlat" } }`).
 */
export const SBG_PRIORS: Readonly<Record<'alpha' | 'beta', Prior>> = {
  alpha: { dist: 'HalfCauchy', beta: SHAPE_PRIOR_SCALE },
  beta: { dist: 'HalfCauchy', beta: SHAPE_PRIOR_SCALE },
};

export const sbgModel: ModelDefinition<'sbg', SbgOutputs> = defineModel({
  name: 'sbg',
  label: 'the shifted-beta-geometric model',
  roles: ['period', 'alive', 'cohort'],
  options: SBG_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(SBG_OPTIONS, spec.config);
    const series = sbgSeries(table, spec);
    const K = series.length;
    const Tmax = Math.max(...series.map((s) => s.alive.length - 1));
    // Every customer of a series is observed to its last period: survivors are censored there.
    const counts = sbgCounts(
      series.map((s) => s.alive.slice(1).map((v, t) => s.alive[t] - v)),
      series.map((s) => s.alive.slice(1).map((v, t) => (t === s.alive.length - 2 ? v : 0))),
    );
    const priors = mergePriors(SBG_PRIORS, config.priors);
    const labels = K > 1 ? series.map((s) => s.name) : undefined;
    const model = compileModel(
      [
        { name: 'alpha', prior: priors.alpha, size: K, labels },
        { name: 'beta', prior: priors.beta, size: K, labels },
      ],
      ({ alpha, beta }) => sbgLogLikelihood(alpha, beta, counts),
    );
    const projection = config.projectPeriods ?? Tmax;
    return {
      model,
      outputs: (posterior: Posterior) => {
        const names = series.map((_, k) => (labels ? [`alpha[${labels[k]}]`, `beta[${labels[k]}]`] : ['alpha', 'beta']));
        const out: SbgOutputs = {
          cohorts: series.map((s, k) => {
            const draws = thinnedDraws<Record<string, number>>(posterior, names[k], 200).map((d) => ({ alpha: d[names[k][0]], beta: d[names[k][1]] }));
            const periods = Array.from({ length: s.alive.length + projection }, (_, t) => t);
            return {
              name: s.name,
              observed: s.alive.map((v) => v / s.alive[0]),
              periods,
              survival: estimateColumns(periods.length, draws.length, (t, d) => sbgSurvival(draws[d], t)),
              retention: estimateColumns(periods.length, draws.length, (t, d) => (t === 0 ? 1 : sbgRetention(draws[d], t))),
            };
          }),
          densities: densities(posterior, posterior.names),
        };
        return { ...out };
      },
    };
  },
});
