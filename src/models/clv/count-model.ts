/**
 * What BG/NBD, MBG/NBD and Pareto/NBD share: the spec a model fills in (its likelihood and
 * closed-form predictions), distinct-row data tensors, default priors, and the ModelDefinition
 * built from a spec (RFM input, parameters pooled or per channel, the outputs of count-outputs.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { FitSpec, ModelName } from '../../api/types';
import { UNIT_DAYS, type TimeUnit } from '../../data/rfm';
import type { Table } from '../../data/table';
import { compileModel } from '../../engine/model';
import { mergePriors, type Prior } from '../../engine/priors';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import { readOptions } from '../options';
import type { ModelDefinition, PreparedModel } from '../types';
import { COUNT_MODEL_OPTIONS } from './options';
import { countOutputs, type CountModelOutputs, type CountPredictions } from './count-outputs';
import { parameterGroups } from './parameter-groups';
import { rfmFromSpec } from './rfm-input';
import { uniqueRows } from './unique-rows';

/** Distinct (x, t_x, T) rows as `[1, U]` tensors, with helpers the likelihoods need. */
export interface CountData {
  x: tf.Tensor2D;
  tx: tf.Tensor2D;
  T: tf.Tensor2D;
  /** Row counts. */
  w: tf.Tensor2D;
  /** max(x, 1) - 1: keeps x > 0 terms finite on x = 0 rows (where they are switched off). */
  x1m1: tf.Tensor2D;
  /** 1 where x = 0. */
  isZero: tf.Tensor2D;
  /** `[1, J]` the integers 0..J-1, J = max x. */
  jRange: tf.Tensor2D;
  /** `[J, 1]` weighted count of rows with x > j. */
  countsAbove: tf.Tensor2D;
}

/** Distinct-row tensors for the count likelihoods (x must be whole numbers). */
export function countData(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>, w: ArrayLike<number>): CountData {
  const row = (a: ArrayLike<number>) => tf.tensor2d(Float32Array.from(a), [1, a.length]);
  const J = Math.max(1, ...Array.from(x));
  const above = new Float32Array(J);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[i]; j++) above[j] += w[i];
  return {
    x: row(x),
    tx: row(tx),
    T: row(T),
    w: row(w),
    x1m1: row(Array.from(x, (v) => Math.max(v, 1) - 1)),
    isZero: row(Array.from(x, (v) => (v === 0 ? 1 : 0))),
    jRange: tf.tensor2d(Float32Array.from({ length: J }, (_, j) => j), [1, J]),
    countsAbove: tf.tensor2d(above, [J, 1]),
  };
}

/**
 * sum_i w_i [lgamma(base + x_i) - lgamma(base)] = sum_j N_j log(base + j), N_j = sum_i w_i [x_i > j]:
 * the rising factorials of whole-number counts as one matMul over j, with no lgamma. `[chains]`.
 */
export function sumLogRising(base: tf.Tensor2D, d: CountData): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.log(tf.add(base, d.jRange)), d.countsAbove), [-1]) as tf.Tensor1D;
}

/** A count model: its likelihood (tensor and float64) and closed-form predictions. */
export interface CountModelSpec<P extends object, N extends ModelName = ModelName> extends CountPredictions<P> {
  name: N;
  /** Parameters measured in time units (their default prior scale follows `config.timeUnit`). */
  timeScaleParams: readonly (keyof P & string)[];
  /** Family of the default priors (see `countModelPriors`); half-Cauchy unless said. */
  priorFamily?: CountPriorFamily;
  logLikelihood: (d: CountData) => (v: Record<string, tf.Tensor2D>) => tf.Tensor1D;
  logLikF64: (p: P, x: number, tx: number, T: number) => number;
}

/** Scale of the default prior on a time-scale parameter (alpha, Pareto/NBD beta): 10 weeks, in days. */
export const TIME_SCALE_PRIOR_DAYS = 70;
/** Scale of the default prior on a shape parameter (r, a, b, s). */
export const SHAPE_PRIOR_SCALE = 5;

/**
 * `HalfCauchy`: heavy tails (BG/NBD, MBG/NBD). `Weibull`: PyMC-Marketing's Pareto/NBD defaults,
 * Weibull(2, 1) on shapes and Weibull(2, 10 weeks) on time scales, light-tailed (see paretonbdSpec).
 */
export type CountPriorFamily = 'HalfCauchy' | 'Weibull';

/**
 * Default priors of the count models: weakly informative and proper. Half-Cauchy (BG/NBD, MBG/NBD;
 * heavy tails, flat near zero, median = scale), or Weibull(2, scale) for the Pareto/NBD (`family`:
 * PyMC-Marketing's defaults, light tails, shape parameters at scale 1). Half-Cauchy shape parameters
 * (r, a, b; dimensionless) get scale 5. Time-scale parameters (`spec.timeScaleParams`: alpha, and
 * beta of the Pareto/NBD, in time units) get 10 weeks expressed in the time unit (70 days, 10 weeks,
 * 2.3 months), PyMC-Marketing's Weibull(2, 10) scale for weekly data, so the prior means the same in
 * every unit. Improper HalfFlat priors are not the
 * default because the likelihood stays bounded away from zero as (r, alpha) or (a, b) grow along a
 * ray (the homogeneous-population limit): the flat posterior is then improper, and on small data
 * the mode runs off to infinity. On the CDNOW sample (2,357 customers) these priors move the BG/NBD
 * mode by 0.03-0.12 posterior sd (a Laplace estimate at the MLE; a and b, the least identified, move
 * most; scale 1 would move them 0.65 sd). `config.priors` replaces any of them (e.g.
 * `{ "r": { "dist": "HalfFlat" } }`).
 */
export function countModelPriors(
  paramNames: readonly string[],
  timeScaleParams: readonly string[],
  unit: TimeUnit,
  family: CountPriorFamily = 'HalfCauchy',
): Record<string, Prior> {
  return Object.fromEntries(
    paramNames.map((n) => {
      const timeScale = timeScaleParams.includes(n) ? TIME_SCALE_PRIOR_DAYS / UNIT_DAYS[unit] : undefined;
      const prior: Prior =
        family === 'Weibull' ? { dist: 'Weibull', alpha: 2, beta: timeScale ?? 1 } : { dist: 'HalfCauchy', beta: timeScale ?? SHAPE_PRIOR_SCALE };
      return [n, prior];
    }),
  );
}

/** A transaction log (customer, date, amount?, channel?) or an RFM summary (frequency, recency, T, monetary?, customer?). */
const COUNT_MODEL_ROLES = ['customer', 'date', 'amount', 'channel', 'frequency', 'recency', 'T', 'monetary'] as const;
/** Builds the ModelDefinition of a count model from its likelihood and predictions. */
export function countModelDefinition<P extends object, N extends ModelName>(m: CountModelSpec<P, N>): ModelDefinition<N, CountModelOutputs> {
  return defineModel({
    name: m.name,
    label: m.label,
    roles: COUNT_MODEL_ROLES,
    options: COUNT_MODEL_OPTIONS,
    prepare(table: Table, spec: FitSpec): PreparedModel<CountModelOutputs> {
      const config = readOptions(COUNT_MODEL_OPTIONS, spec.config);
      const rfm = rfmFromSpec(table, spec);
      const n = rfm.ids.length;
      if (n < 10) throw new InputError(`${m.label} needs at least 10 customers; the data has ${n}.`);
      if (!rfm.frequency.some((f) => f > 0)) {
        throw new InputError(`No customer has a repeat purchase: ${m.label} cannot estimate purchase rates or dropout from one-time buyers only.`);
      }
      const priors = mergePriors(countModelPriors(m.paramNames, m.timeScaleParams, rfm.timeUnit, m.priorFamily), config.priors);
      const groups = parameterGroups(rfm, config.perChannel, m.label);
      const u = uniqueRows([rfm.frequency, rfm.recency, rfm.T, groups.ofCustomer]);
      const [x, tx, T, g] = u.columns;
      // One likelihood per group (channel) on its own rows, on its group's column of every parameter.
      const G = Math.max(1, groups.labels.length);
      const likelihoods = Array.from({ length: G }, (_, k) => {
        const rows = Array.from(g.keys()).filter((i) => g[i] === k);
        const pick = (a: ArrayLike<number>) => rows.map((i) => a[i]);
        return m.logLikelihood(countData(pick(x), pick(tx), pick(T), pick(u.counts)));
      });
      const column = (v: Record<string, tf.Tensor2D>, k: number) =>
        G === 1 ? v : Object.fromEntries(m.paramNames.map((p) => [p, tf.slice(v[p], [0, k], [-1, 1]) as tf.Tensor2D]));
      const model = compileModel(
        m.paramNames.map((name) => ({ name, prior: priors[name], size: G, ...(groups.labels.length ? { labels: groups.labels } : {}) })),
        (v) => likelihoods.map((ll, k) => ll(column(v, k))).reduce((acc, t) => tf.add(acc, t)) as tf.Tensor1D,
      );
      // One year in the data's time unit unless set.
      const predictionPeriods = config.predictionPeriods ?? Math.round(365 / UNIT_DAYS[rfm.timeUnit]);
      const { margin, discountRate: discount, clvMonths: months } = config;
      return {
        model,
        outputs: (posterior) => ({ ...countOutputs(m, rfm, posterior, u, groups, { predictionPeriods, margin, discount, months }, priors) }),
      };
    },
  });
}
