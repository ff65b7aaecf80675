/**
 * The outputs a CLV analyst reads from a count model (BG/NBD, MBG/NBD, Pareto/NBD): per-customer
 * P(alive), expected purchases and CLV with intervals, and P(n purchases); segments by predicted
 * value; frequency/recency heatmaps; a new customer's purchase distribution; tracking of repeat
 * purchases per period and calibration-vs-holdout (transaction-log input); with the `channel` role,
 * value per acquired customer by channel (channel-value.ts). All in float64 from thinned draws,
 * through the model's closed-form predictions (`CountPredictions`).
 */
import { InputError } from '../../api/errors';
import { UNIT_DAYS, type RfmSummary } from '../../data/rfm';
import { DAY_MS, toIsoDate } from '../../data/time';
import { flatNames } from '../../engine/model';
import type { Prior } from '../../engine/priors';
import type { Posterior } from '../../engine/types';
import { densities, estimateColumns, histogram, thinnedDraws, type Density, type EstimateColumns, type Histogram } from '../summaries';
import { channelValues, type ChannelValue } from './channel-value';
import type { ParameterGroups } from './parameter-groups';
import type { UniqueRows } from './unique-rows';

/** A count model's closed-form predictions, per parameter draw `p` (time in time units). */
export interface CountPredictions<P extends object> {
  label: string;
  paramNames: readonly (keyof P & string)[];
  pAlive: (p: P, x: number, tx: number, T: number) => number;
  conditionalExpected: (p: P, t: number, x: number, tx: number, T: number) => number;
  expected: (p: P, t: number) => number;
  pmf?: (p: P, t: number, n: number) => number;
  /** P(X(T, T+t] = n | x, t_x, T), where the model has it in closed form. */
  conditionalPmf?: (p: P, t: number, n: number, x: number, tx: number, T: number) => number;
}

/** The settings the outputs follow (from `FitSpec.config`). */
export interface CountOutputSettings {
  /** Horizon of the expected purchases, in time units. */
  predictionPeriods: number;
  /** Profit margin (fraction) and monthly discount rate of the CLV. */
  margin: number;
  discount: number;
  /** CLV horizon in months. */
  months: number;
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
/** Draws kept for per-customer outputs beyond 10,000 customers. */
const OUTPUT_DRAWS_LARGE = 100;
/** Draws kept for tracking and calibration-vs-holdout. */
const TRACKING_DRAWS = 50;

/**
 * Parameter values beyond which a posterior draw is taken as having run off to infinity (an
 * improper or data-free posterior): the predictions' series would not converge in reasonable time.
 */
const RUNAWAY = 1e7;

/** Every output of a count model from its posterior (see CountModelOutputs); `u` are the distinct (x, t_x, T, group) rows. */
export function countOutputs<P extends object>(
  m: CountPredictions<P>,
  rfm: RfmSummary,
  posterior: Posterior,
  u: UniqueRows,
  groups: ParameterGroups,
  cfg: CountOutputSettings,
  priors: Record<string, Prior>,
): CountModelOutputs {
  const notes: string[] = [];
  const G = Math.max(1, groups.labels.length);
  const labels = groups.labels.length ? groups.labels : undefined;
  const flat = (k: number) => (p: string) => flatNames({ name: p, labels }, G)[k];
  const names = Array.from({ length: G }, (_, k) => m.paramNames.map(flat(k))).flat();
  checkFinitePosterior(m, posterior, names);
  // Thinned draws per parameter group; a distinct row's group is its 4th key column.
  const draws = Array.from({ length: G }, (_, k) => thinnedDraws<P>(posterior, m.paramNames, rfm.ids.length > 10000 ? OUTPUT_DRAWS_LARGE : OUTPUT_DRAWS, flat(k)));
  const D = draws[0].length;
  const t = cfg.predictionPeriods;
  const predicted = customerPredictions(m, rfm.ids.length, u, draws, t);
  const value = customerValue(m, rfm, u, draws, cfg);
  if (!value) notes.push('No amounts were given, so CLV is not computed (expected purchases only).');
  const { segment, segments } = valueSegments(value ? value.clv.mean : predicted.expectedPurchases.mean);

  // Heatmaps and a new customer's pmf at the parameters of the channel with the most customers.
  const sizes = new Array<number>(G).fill(0);
  groups.ofCustomer.forEach((k) => sizes[k]++);
  const main = sizes.indexOf(Math.max(...sizes));
  if (groups.labels.length) {
    notes.push(`Parameters per acquisition channel: the heatmaps and a new customer's purchase distribution use those of "${groups.labels[main]}" (the most customers).`);
  }
  const meanParams = Object.fromEntries(m.paramNames.map((p) => [p, mean(posterior.column(flat(main)(p)))])) as P;

  const out: CountModelOutputs = {
    timeUnit: rfm.timeUnit,
    predictionPeriods: t,
    customers: {
      id: rfm.ids,
      frequency: Array.from(rfm.frequency),
      recency: Array.from(rfm.recency),
      T: Array.from(rfm.T),
      monetary: Array.from(rfm.monetary, (v) => (Number.isFinite(v) ? v : null)),
      pAlive: predicted.pAlive,
      expectedPurchases: predicted.expectedPurchases,
      ...(value ? { clv: value.clv } : {}),
      segment,
      ...(predicted.pmf ? { pmf: predicted.pmf } : {}),
    },
    ...(value ? { clv: value.info } : {}),
    ...(value?.byChannel ? { byChannel: value.byChannel } : {}),
    heatmaps: countHeatmaps(m, rfm, meanParams, t),
    segments,
    densities: densities(posterior, names),
    notes,
  };
  if (value) out.clvHistogram = histogram(value.clv.mean, 40, 0);
  if (m.pmf) {
    const ns = Array.from({ length: 11 }, (_, i) => i);
    out.pmf = { n: ns, t, p: estimateColumns(ns.length, D, (k, d) => m.pmf!(draws[main][d], t, k)) };
  }
  const trackingDraws = draws.map((g) => g.slice(0, Math.min(D, TRACKING_DRAWS)));
  if (rfm.firstPurchase.length) out.tracking = tracking(m, rfm, trackingDraws, groups.ofCustomer);
  if (rfm.holdoutFrequency && rfm.holdoutLength) out.calibrationHoldout = calibrationHoldout(m, rfm, trackingDraws, groups.ofCustomer);
  return { ...out, priors };
}

/**
 * P(alive), expected purchases over `t` and (where the model has it) P(n = 0..3 purchases) per
 * customer. Computed per distinct row and draw, each (row, draw)'s predictions one after another,
 * so models that cache their last P(alive) (Pareto/NBD) compute it once for all of them.
 */
function customerPredictions<P extends object>(
  m: CountPredictions<P>,
  n: number,
  u: UniqueRows,
  draws: P[][],
  t: number,
): Pick<CountModelOutputs['customers'], 'pAlive' | 'expectedPurchases' | 'pmf'> {
  const D = draws[0].length;
  const [ux, utx, uT, ug] = u.columns;
  const U = ux.length;
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
  const pAlive = estimateColumns(n, D, (c, d) => pAliveU[u.index[c] * D + d]);
  const pmf = m.conditionalPmf ? { n: ns, p: pmfU.map((perRow) => estimateColumns(n, D, (c, d) => perRow[u.index[c] * D + d])) } : undefined;
  const expectedPurchases = estimateColumns(n, D, (c, d) => expU[u.index[c] * D + d]);
  return { pAlive, expectedPurchases, ...(pmf ? { pmf } : {}) };
}

/**
 * CLV per customer, discounted expected purchases per month times spend and margin (lifetimes'
 * `customer_lifetime_value`), and with the channel column the value by channel; undefined
 * without amounts.
 */
function customerValue<P extends object>(
  m: CountPredictions<P>,
  rfm: RfmSummary,
  u: UniqueRows,
  draws: P[][],
  cfg: CountOutputSettings,
): { clv: EstimateColumns; info: NonNullable<CountModelOutputs['clv']>; byChannel?: Record<string, ChannelValue> } | undefined {
  if (!rfm.monetary.some((v) => Number.isFinite(v))) return undefined;
  const D = draws[0].length;
  const [ux, utx, uT, ug] = u.columns;
  const U = ux.length;
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
  const clv = estimateColumns(rfm.ids.length, D, (c, d) => cfg.margin * spend[c] * clvU[u.index[c] * D + d]);
  const byChannel =
    rfm.channel && rfm.purchases
      ? channelValues({
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
        })
      : undefined;
  const info = {
    months: cfg.months,
    margin: cfg.margin,
    monthlyDiscountRate: cfg.discount,
    spendSource: 'each customer’s observed mean repeat spend (the population mean for one-time buyers); fit Gamma-Gamma for shrunk spend with uncertainty',
  };
  return { clv, info, ...(byChannel ? { byChannel } : {}) };
}

const SEGMENTS = ['top 20%', 'next 30%', 'bottom 50%'] as const;

/** Each customer's segment by predicted value (top 20%, next 30%, bottom 50%) and each segment's totals. */
function valueSegments(value: readonly number[]): Pick<CountModelOutputs, 'segments'> & { segment: string[] } {
  const n = value.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => value[b] - value[a]);
  const segment = new Array<string>(n);
  const cut1 = Math.ceil(0.2 * n);
  const cut2 = Math.ceil(0.5 * n);
  order.forEach((c, rank) => (segment[c] = rank < cut1 ? SEGMENTS[0] : rank < cut2 ? SEGMENTS[1] : SEGMENTS[2]));
  const totalValue = value.reduce((a, b) => a + b, 0);
  const segments = SEGMENTS.map((name) => {
    const members = order.filter((c) => segment[c] === name);
    const sum = members.reduce((a, c) => a + value[c], 0);
    return { name, customers: members.length, meanValue: sum / Math.max(1, members.length), shareOfValue: totalValue > 0 ? sum / totalValue : 0 };
  });
  return { segment, segments };
}

/**
 * P(alive) and expected purchases over `t` at parameters `p` on a frequency x recency grid at
 * T = max T. x = 0 with recency > 0 is impossible: those cells are null (blank), not numbers.
 */
function countHeatmaps<P extends object>(m: CountPredictions<P>, rfm: RfmSummary, p: P, t: number): CountModelOutputs['heatmaps'] {
  const maxT = Math.max(...rfm.T);
  const maxX = Math.max(...rfm.frequency);
  const gridX = Array.from({ length: Math.min(30, maxX + 1) }, (_, i) => Math.round((i * maxX) / Math.max(1, Math.min(29, maxX))));
  const gridR = Array.from({ length: 30 }, (_, i) => (i * maxT) / 29);
  return {
    frequency: gridX,
    recency: gridR,
    T: maxT,
    pAlive: gridX.map((x) => gridR.map((r) => (x === 0 && r > 0 ? null : m.pAlive(p, x, r, maxT)))),
    expectedPurchases: gridX.map((x) => gridR.map((r) => (x === 0 && r > 0 ? null : m.conditionalExpected(p, t, x, r, maxT)))),
  };
}

/** Throws InputError when a draw is not finite or has run off to infinity (see RUNAWAY). */
function checkFinitePosterior<P extends object>(m: CountPredictions<P>, posterior: Posterior, names: readonly string[]): void {
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
function tracking<P extends object>(m: CountPredictions<P>, rfm: RfmSummary, draws: P[][], group: Int32Array): CountModelOutputs['tracking'] {
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

function calibrationHoldout<P extends object>(m: CountPredictions<P>, rfm: RfmSummary, draws: P[][], group: Int32Array): CountModelOutputs['calibrationHoldout'] {
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
