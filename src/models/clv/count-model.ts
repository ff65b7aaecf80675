/**
 * What BG/NBD, MBG/NBD and Pareto/NBD share: RFM input, distinct-row data tensors, default priors,
 * and the outputs a CLV analyst reads (per-customer P(alive), expected purchases and CLV with
 * intervals; tracking, calibration-vs-holdout, frequency/recency heatmaps, CLV histogram and
 * segments; with the `channel` role, value per acquired customer by channel, channel-value.ts).
 * Each model supplies its likelihood and closed-form predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { FitSpec, ModelName } from '../../api/types';
import { UNIT_DAYS, type RfmSummary, type TimeUnit } from '../../data/rfm';
import type { Table } from '../../data/table';
import { DAY_MS, toIsoDate } from '../../data/time';
import { compileModel, flatNames } from '../../engine/model';
import { mergePriors, type Prior } from '../../engine/priors';
import type { Posterior } from '../../engine/types';
import { boolOption } from '../options';
import { defineModel } from '../define';
import { densities, estimateColumns, histogram, thinnedDraws, type Density, type EstimateColumns, type Histogram } from '../summaries';
import type { ModelDefinition, PreparedModel } from '../types';
import { channelValues, type ChannelValue } from './channel-value';
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

export interface CountModelSpec<P extends object> {
  name: ModelName;
  label: string;
  paramNames: readonly (keyof P & string)[];
  /** Parameters measured in time units (their default prior scale follows `config.timeUnit`). */
  timeScaleParams: readonly (keyof P & string)[];
  /** Family of the default priors (see `countModelPriors`); half-Cauchy unless said. */
  priorFamily?: CountPriorFamily;
  logLikelihood: (d: CountData) => (v: Record<string, tf.Tensor2D>) => tf.Tensor1D;
  logLikF64: (p: P, x: number, tx: number, T: number) => number;
  pAlive: (p: P, x: number, tx: number, T: number) => number;
  conditionalExpected: (p: P, t: number, x: number, tx: number, T: number) => number;
  expected: (p: P, t: number) => number;
  pmf?: (p: P, t: number, n: number) => number;
  /** P(X(T, T+t] = n | x, t_x, T), where the model has it in closed form. */
  conditionalPmf?: (p: P, t: number, n: number, x: number, tx: number, T: number) => number;
}

export interface CountModelOutputs {
  timeUnit: string;
  /** Horizon of `customers.expectedPurchases`, in time units. */
  predictionPeriods: number;
  customers: {
    id: string[];
    frequency: number[];
    recency: number[];
    T: number[];
    /** Observed mean repeat spend (null without amounts or repeat purchases). */
    monetary: (number | null)[];
    pAlive: EstimateColumns;
    expectedPurchases: EstimateColumns;
    /** Discounted CLV over `clv.months` months (only with spend). */
    clv?: EstimateColumns;
    /** 'top 20%', 'next 30%', 'bottom 50%' by predicted value (CLV, else expected purchases). */
    segment: string[];
    /** P(n purchases in the next `predictionPeriods`) for n = 0..3 (models with a closed form). */
    pmf?: { n: number[]; p: EstimateColumns[] };
  };
  clv?: { months: number; margin: number; monthlyDiscountRate: number; spendSource: string };
  /**
   * Per acquisition channel (with the `channel` role): value per acquired customer over `clv.months`
   * months from the first purchase, observed plus predicted (see channel-value.ts).
   */
  byChannel?: Record<string, ChannelValue>;
  /** Repeat purchases per period: actual vs expected (transaction-log input only). */
  tracking?: { date: string[]; actual: number[]; expected: EstimateColumns; actualCumulative: number[]; expectedCumulative: EstimateColumns };
  /** Mean holdout purchases by calibration frequency (with config.calibrationEnd). */
  calibrationHoldout?: { bin: string[]; customers: number[]; actual: number[]; predicted: EstimateColumns; holdoutLength: number };
  /** Posterior-mean P(alive) and expected purchases over a frequency x recency grid at T = max T. */
  heatmaps: { frequency: number[]; recency: number[]; T: number; pAlive: (number | null)[][]; expectedPurchases: (number | null)[][] };
  clvHistogram?: Histogram;
  segments: { name: string; customers: number; meanValue: number; shareOfValue: number }[];
  /** P(X(t) = n) for a new customer over t = predictionPeriods. */
  pmf?: { n: number[]; p: EstimateColumns; t: number };
  /** Posterior histograms of the parameters. */
  densities: Record<string, Density>;
  /** Remarks for the reader (e.g. why CLV is missing). */
  notes: string[];
  /** The priors the fit used (defaults merged with `config.priors`). */
  priors?: Record<string, Prior>;
}

/** Draws kept for per-customer outputs (evenly spaced over all chains). */
const OUTPUT_DRAWS = 200;

function numberConfig(spec: FitSpec, key: string, fallback: number, check: (v: number) => boolean, what: string): number {
  const v = spec.config?.[key];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new InputError(`config.${key} must be ${what}, got ${JSON.stringify(v)}.`);
  return v;
}

/** Scale of the default prior on a time-scale parameter (alpha, Pareto/NBD beta): 10 weeks, in days. */
export const TIME_SCALE_PRIOR_DAYS = 70;
/** Scale of the default prior on a shape parameter (r, a, b, s). */
export const SHAPE_PRIOR_SCALE = 5;

/**
 * `HalfCauchy`: heavy tails (BG/NBD, MBG/NBD). `Weibull`: PyMC-Marketing's Pareto/NBD defaults,
 * Weibull(2, 1) on shapes and Weibull(2, 10 weeks) on time scales, light-tailed (see PARETONBD).
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

/**
 * Parameter values beyond which a posterior draw is taken as having run off to infinity (an
 * improper or data-free posterior): the predictions' series would not converge in reasonable time.
 */
const RUNAWAY = 1e7;

/** Fewest customers a channel needs for parameters of its own (`config.perChannel`). */
export const MIN_CHANNEL_CUSTOMERS = 10;

/**
 * Which parameters each customer uses: one group (pooled), or one per acquisition channel
 * (`config.perChannel`: every parameter gets an element per channel, `r[search]`, with the pooled
 * model's prior, and each channel's customers inform only their channel's elements).
 */
interface ParameterGroups {
  /** Channel names in order, or [] when pooled. */
  labels: string[];
  /** Group of each customer. */
  ofCustomer: Int32Array;
}

function parameterGroups(rfm: RfmSummary, perChannel: boolean, label: string): ParameterGroups {
  const n = rfm.ids.length;
  if (!perChannel) return { labels: [], ofCustomer: new Int32Array(n) };
  if (!rfm.channel) {
    throw new InputError(`Parameters per channel (config.perChannel) need the acquisition channel column: choose it under "Acquisition channel", or turn the option off.`);
  }
  const labels = [...new Set(rfm.channel)].sort();
  const index = new Map(labels.map((c, k) => [c, k]));
  const ofCustomer = Int32Array.from(rfm.channel, (c) => index.get(c)!);
  labels.forEach((c, k) => {
    let customers = 0;
    let repeaters = 0;
    ofCustomer.forEach((g, i) => {
      if (g !== k) return;
      customers++;
      if (rfm.frequency[i] > 0) repeaters++;
    });
    if (customers < MIN_CHANNEL_CUSTOMERS || repeaters === 0) {
      throw new InputError(
        `Channel "${c}" has ${customers} customer${customers === 1 ? '' : 's'} and ${repeaters} with a repeat purchase: ${label} parameters per channel need at least ${MIN_CHANNEL_CUSTOMERS} customers and one repeat purchase in every channel. Turn off "parameters per channel" or merge the small channels.`,
      );
    }
  });
  return { labels, ofCustomer };
}

/** A transaction log (customer, date, amount?, channel?) or an RFM summary (frequency, recency, T, monetary?, customer?). */
const COUNT_MODEL_ROLES = ['customer', 'date', 'amount', 'channel', 'frequency', 'recency', 'T', 'monetary'] as const;
const COUNT_MODEL_CONFIG_KEYS = [
  'timeUnit',
  'observationEnd',
  'calibrationEnd',
  'predictionPeriods',
  'clvMonths',
  'margin',
  'discountRate',
  'perChannel',
  'priors',
] as const;

/** Builds the ModelDefinition of a count model from its likelihood and predictions. */
export function countModelDefinition<P extends object>(m: CountModelSpec<P>): ModelDefinition {
  return defineModel({
    name: m.name,
    label: m.label,
    roles: COUNT_MODEL_ROLES,
    configKeys: COUNT_MODEL_CONFIG_KEYS,
    prepare(table: Table, spec: FitSpec): PreparedModel {
      const rfm = rfmFromSpec(table, spec);
      const n = rfm.ids.length;
      if (n < 10) throw new InputError(`${m.label} needs at least 10 customers; the data has ${n}.`);
      if (!rfm.frequency.some((f) => f > 0)) {
        throw new InputError(`No customer has a repeat purchase: ${m.label} cannot estimate purchase rates or dropout from one-time buyers only.`);
      }
      const priors = mergePriors(countModelPriors(m.paramNames, m.timeScaleParams, rfm.timeUnit, m.priorFamily), spec.config?.priors as Record<string, unknown> | undefined);
      const groups = parameterGroups(rfm, boolOption(spec.config?.perChannel, false, 'perChannel'), m.label);
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
      const unitDays = UNIT_DAYS[rfm.timeUnit];
      const predictionPeriods = numberConfig(spec, 'predictionPeriods', Math.round(365 / unitDays), (v) => v > 0, 'a number of periods > 0');
      const margin = numberConfig(spec, 'margin', 1, (v) => v > 0 && v <= 1, 'a fraction in (0, 1]');
      const discount = numberConfig(spec, 'discountRate', 0.01, (v) => v >= 0 && v < 1, 'a monthly rate in [0, 1)');
      const months = numberConfig(spec, 'clvMonths', 12, (v) => Number.isInteger(v) && v >= 1 && v <= 120, 'a whole number of months from 1 to 120');
      return {
        model,
        outputs: (posterior) => ({ ...countOutputs(m, rfm, posterior, u, groups, { predictionPeriods, margin, discount, months }), priors }),
      };
    },
  });
}

function countOutputs<P extends object>(
  m: CountModelSpec<P>,
  rfm: RfmSummary,
  posterior: Posterior,
  u: ReturnType<typeof uniqueRows>,
  groups: ParameterGroups,
  cfg: { predictionPeriods: number; margin: number; discount: number; months: number },
): CountModelOutputs {
  const notes: string[] = [];
  const G = Math.max(1, groups.labels.length);
  const labels = groups.labels.length ? groups.labels : undefined;
  const flat = (k: number) => (p: string) => flatNames({ name: p, labels }, G)[k];
  const names = Array.from({ length: G }, (_, k) => m.paramNames.map(flat(k))).flat();
  checkFinitePosterior(m, posterior, names);
  // Thinned draws per parameter group; a distinct row's group is its 4th key column.
  const draws = Array.from({ length: G }, (_, k) => thinnedDraws<P>(posterior, m.paramNames, rfm.ids.length > 10000 ? 100 : OUTPUT_DRAWS, flat(k)));
  const D = draws[0].length;
  const [ux, utx, uT, ug] = u.columns;
  const U = ux.length;
  const t = cfg.predictionPeriods;
  // Per distinct row and draw; each (row, draw)'s predictions one after another, so models that
  // cache their last P(alive) (Pareto/NBD) compute it once for all of them.
  const ns = m.conditionalPmf ? [0, 1, 2, 3] : [];
  const pAliveU = new Float64Array(U * D);
  const expU = new Float64Array(U * D);
  const pmfU = ns.map(() => new Float64Array(U * D));
  for (let i = 0; i < U; i++) {
    const rowDraws = draws[ug[i]];
    for (let d = 0; d < D; d++) {
      pAliveU[i * D + d] = m.pAlive(rowDraws[d], ux[i], utx[i], uT[i]);
      expU[i * D + d] = m.conditionalExpected(rowDraws[d], t, ux[i], utx[i], uT[i]);
      ns.forEach((k, j) => (pmfU[j][i * D + d] = m.conditionalPmf!(rowDraws[d], t, k, ux[i], utx[i], uT[i])));
    }
  }
  const n = rfm.ids.length;
  const pAlive = estimateColumns(n, D, (c, d) => pAliveU[u.index[c] * D + d]);
  const customerPmf: { n: number[]; p: EstimateColumns[] } | undefined = m.conditionalPmf
    ? { n: ns, p: pmfU.map((perRow) => estimateColumns(n, D, (c, d) => perRow[u.index[c] * D + d])) }
    : undefined;
  const expectedPurchases = estimateColumns(n, D, (c, d) => expU[u.index[c] * D + d]);

  // CLV: discounted expected purchases per month times spend and margin (lifetimes' customer_lifetime_value).
  const hasSpend = rfm.monetary.some((v) => Number.isFinite(v));
  let clv: EstimateColumns | undefined;
  let clvInfo: CountModelOutputs['clv'];
  let byChannel: CountModelOutputs['byChannel'];
  if (hasSpend) {
    let s = 0;
    let k = 0;
    rfm.monetary.forEach((v) => {
      if (Number.isFinite(v)) {
        s += v;
        k++;
      }
    });
    const populationSpend = s / k;
    const monthUnits = 365.25 / 12 / UNIT_DAYS[rfm.timeUnit];
    const clvU = new Float64Array(U * D);
    for (let i = 0; i < U; i++) {
      for (let d = 0; d < D; d++) {
        let total = 0;
        let prev = 0;
        for (let mo = 1; mo <= cfg.months; mo++) {
          const e = m.conditionalExpected(draws[ug[i]][d], mo * monthUnits, ux[i], utx[i], uT[i]);
          total += (e - prev) / Math.pow(1 + cfg.discount, mo);
          prev = e;
        }
        clvU[i * D + d] = total;
      }
    }
    const spend = Array.from(rfm.monetary, (v) => (Number.isFinite(v) ? v : populationSpend));
    clv = estimateColumns(n, D, (c, d) => cfg.margin * spend[c] * clvU[u.index[c] * D + d]);
    if (rfm.channel && rfm.purchases) {
      byChannel = channelValues({
        draws,
        conditionalExpected: m.conditionalExpected,
        rows: { x: ux, tx: utx, T: uT, group: ug, index: u.index },
        channel: rfm.channel,
        purchases: rfm.purchases,
        spend,
        monthUnits,
        months: cfg.months,
        margin: cfg.margin,
        discount: cfg.discount,
      });
    }
    clvInfo = {
      months: cfg.months,
      margin: cfg.margin,
      monthlyDiscountRate: cfg.discount,
      spendSource: 'each customer’s observed mean repeat spend (the population mean for one-time buyers); fit Gamma-Gamma for shrunk spend with uncertainty',
    };
  } else {
    notes.push('No amounts were given, so CLV is not computed (expected purchases only).');
  }

  // Segments by predicted value.
  const value = clv ? clv.mean : expectedPurchases.mean;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => value[b] - value[a]);
  const segment = new Array<string>(n);
  const cut1 = Math.ceil(0.2 * n);
  const cut2 = Math.ceil(0.5 * n);
  order.forEach((c, rank) => (segment[c] = rank < cut1 ? 'top 20%' : rank < cut2 ? 'next 30%' : 'bottom 50%'));
  const totalValue = value.reduce((a, b) => a + b, 0);
  const segments = ['top 20%', 'next 30%', 'bottom 50%'].map((name) => {
    const members = order.filter((c) => segment[c] === name);
    const sum = members.reduce((a, c) => a + value[c], 0);
    return { name, customers: members.length, meanValue: sum / Math.max(1, members.length), shareOfValue: totalValue > 0 ? sum / totalValue : 0 };
  });

  // Heatmaps at posterior-mean parameters (per channel: those of the channel with the most customers).
  const sizes = new Array<number>(G).fill(0);
  groups.ofCustomer.forEach((k) => sizes[k]++);
  const main = sizes.indexOf(Math.max(...sizes));
  if (groups.labels.length) {
    notes.push(`Parameters per acquisition channel: the heatmaps and a new customer's purchase distribution use those of "${groups.labels[main]}" (the most customers).`);
  }
  const meanParams = Object.fromEntries(m.paramNames.map((p) => [p, mean(posterior.column(flat(main)(p)))])) as P;
  const maxT = Math.max(...rfm.T);
  const maxX = Math.max(...rfm.frequency);
  const gridX = Array.from({ length: Math.min(30, maxX + 1) }, (_, i) => Math.round((i * maxX) / Math.max(1, Math.min(29, maxX))));
  const gridR = Array.from({ length: 30 }, (_, i) => (i * maxT) / 29);
  const heatmaps = {
    frequency: gridX,
    recency: gridR,
    T: maxT,
    pAlive: gridX.map((x) => gridR.map((r) => (x === 0 && r > 0 ? null : m.pAlive(meanParams, x, r, maxT)))),
    expectedPurchases: gridX.map((x) => gridR.map((r) => (x === 0 && r > 0 ? null : m.conditionalExpected(meanParams, t, x, r, maxT)))),
  };
  // x = 0 with recency > 0 is impossible: those cells are null (blank), not numbers.

  const out: CountModelOutputs = {
    timeUnit: rfm.timeUnit,
    predictionPeriods: t,
    customers: {
      id: rfm.ids,
      frequency: Array.from(rfm.frequency),
      recency: Array.from(rfm.recency),
      T: Array.from(rfm.T),
      monetary: Array.from(rfm.monetary, (v) => (Number.isFinite(v) ? v : null)),
      pAlive,
      expectedPurchases,
      ...(clv ? { clv } : {}),
      segment,
      ...(customerPmf ? { pmf: customerPmf } : {}),
    },
    ...(clvInfo ? { clv: clvInfo } : {}),
    ...(byChannel ? { byChannel } : {}),
    heatmaps,
    segments,
    densities: densities(posterior, names),
    notes,
  };
  if (clv) out.clvHistogram = histogram(clv.mean, 40, 0);
  if (m.pmf) {
    const ns = Array.from({ length: 11 }, (_, i) => i);
    out.pmf = { n: ns, t, p: estimateColumns(ns.length, D, (k, d) => m.pmf!(draws[main][d], t, k)) };
  }
  const trackingDraws = draws.map((g) => g.slice(0, Math.min(D, 50)));
  if (rfm.firstPurchase.length) out.tracking = tracking(m, rfm, trackingDraws, groups.ofCustomer);
  if (rfm.holdoutFrequency && rfm.holdoutLength) out.calibrationHoldout = calibrationHoldout(m, rfm, trackingDraws, groups.ofCustomer);
  return out;
}

/** Throws InputError when a draw is not finite or has run off to infinity (see RUNAWAY). */
function checkFinitePosterior<P extends object>(m: CountModelSpec<P>, posterior: Posterior, names: readonly string[]): void {
  for (const name of names) {
    const col = posterior.column(name);
    for (let i = 0; i < col.length; i++) {
      if (!(Number.isFinite(col[i]) && col[i] > 0 && col[i] < RUNAWAY)) {
        throw new InputError(
          `${m.label}: the posterior of ${name} runs off to ${Number.isFinite(col[i]) ? col[i].toPrecision(3) : col[i]}: the data cannot pin it down ` +
            `under these priors (too few customers or repeat purchases for an improper/flat prior). Use proper priors (the defaults) or more data.`,
        );
      }
    }
  }
}

const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};

/**
 * Expected vs actual repeat purchases per period for the whole customer base (by first-purchase day
 * and parameter group). `draws[group]`; `group[customer]`.
 */
function tracking<P extends object>(m: CountModelSpec<P>, rfm: RfmSummary, draws: P[][], group: Int32Array): CountModelOutputs['tracking'] {
  const unitMs = UNIT_DAYS[rfm.timeUnit] * DAY_MS;
  const periods = rfm.repeatsByPeriod.length;
  const D = draws[0].length;
  const byStart = new Map<string, { s: number; g: number; count: number }>();
  rfm.firstPurchase.forEach((f, i) => {
    const key = `${f}|${group[i]}`;
    const e = byStart.get(key);
    if (e) e.count++;
    else byStart.set(key, { s: (f - rfm.start) / unitMs, g: group[i], count: 1 });
  });
  const starts = [...byStart.values()];
  // cumulative expected at the end of period p, per draw
  const cum = (p: number, d: number) => {
    let total = 0;
    for (const { s, g, count } of starts) {
      const age = p + 1 - s;
      if (age > 0) total += count * m.expected(draws[g][d], age);
    }
    return total;
  };
  const cumTable = Array.from({ length: periods }, (_, p) => Array.from({ length: D }, (_, d) => cum(p, d)));
  const expectedCumulative = estimateColumns(periods, D, (p, d) => cumTable[p][d]);
  const expected = estimateColumns(periods, D, (p, d) => cumTable[p][d] - (p > 0 ? cumTable[p - 1][d] : 0));
  const actual = Array.from(rfm.repeatsByPeriod);
  const actualCumulative: number[] = [];
  actual.reduce((acc, v) => {
    actualCumulative.push(acc + v);
    return acc + v;
  }, 0);
  return {
    date: Array.from({ length: periods }, (_, p) => toIsoDate(rfm.start + p * unitMs)),
    actual,
    expected,
    actualCumulative,
    expectedCumulative,
  };
}

function calibrationHoldout<P extends object>(m: CountModelSpec<P>, rfm: RfmSummary, draws: P[][], group: Int32Array): CountModelOutputs['calibrationHoldout'] {
  const bins = ['0', '1', '2', '3', '4', '5', '6', '7+'];
  const binOf = (f: number) => Math.min(7, f);
  const members: number[][] = bins.map(() => []);
  rfm.frequency.forEach((f, i) => members[binOf(f)].push(i));
  const keep = members.map((mem, b) => ({ mem, b })).filter((g) => g.mem.length > 0);
  const h = rfm.holdoutLength!;
  return {
    bin: keep.map((g) => bins[g.b]),
    customers: keep.map((g) => g.mem.length),
    actual: keep.map((g) => mean(g.mem.map((i) => rfm.holdoutFrequency![i]))),
    predicted: estimateColumns(keep.length, draws[0].length, (k, d) =>
      mean(keep[k].mem.map((i) => m.conditionalExpected(draws[group[i]][d], h, rfm.frequency[i], rfm.recency[i], rfm.T[i]))),
    ),
    holdoutLength: h,
  };
}
