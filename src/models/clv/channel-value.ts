/**
 * Value per acquired customer by acquisition channel (the count models' `byChannel` output): the
 * margin a customer brings in the first `months` months after their first purchase, discounted
 * monthly, first purchase included. What has happened is counted (the customer's purchases up to
 * the end of calibration); what has not is predicted, per posterior draw, as the model's
 * conditional expected purchases times the customer's spend per purchase. So a channel's value
 * rests on its own customers' behaviour, and the pooled count model only fills in the months its
 * younger customers have not lived yet.
 *
 * The channel's mean over its customers is a population mean estimated from a sample of them: each
 * draw weighs the customers with Bayesian-bootstrap weights (Dirichlet(1, ..., 1); Rubin 1981), so
 * the interval covers both the parameters and which customers the channel happened to bring.
 */
import type { Estimate } from '../../api/types';
import type { PurchaseHistory } from '../../data/rfm';
import { estimate } from '../../engine/diagnostics';
import { createRng } from '../../engine/rng';
import { estimateColumns, type EstimateColumns, type Histogram } from '../summaries';
import { dataRecord } from '../types';

/** The value of one channel's acquired customers (currency units, margin applied). */
export interface ChannelValue {
  /** Customers whose first purchase came through the channel. */
  customers: number;
  /** Mean value per acquired customer over the months after acquisition. */
  ltv: Estimate;
  /** The per-draw values behind `ltv` (<= 200), to combine with other posteriors (LTV/CAC). */
  ltvDraws: number[];
  /** Mean cumulative value per acquired customer at months 0..months after acquisition (0 = the first purchase). */
  cumulative: EstimateColumns;
  /** `[month][draw]`: the per-draw values behind `cumulative`. */
  cumulativeDraws: number[][];
  /** Share of the channel's value that has been observed rather than predicted (posterior mean). */
  observedShare: number;
  /** Customers by their value's posterior mean, on bins shared by every channel; the last bin holds everything above. */
  histogram: Histogram;
}

export interface ChannelValueInput<P> {
  /** `[group][draw]`: thinned posterior draws per parameter group (one group when pooled, else one per channel). */
  draws: readonly (readonly P[])[];
  conditionalExpected: (p: P, t: number, x: number, tx: number, T: number) => number;
  /** Distinct (x, t_x, T, group) rows and each customer's row. */
  rows: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number>; group: ArrayLike<number>; index: ArrayLike<number> };
  channel: readonly string[];
  purchases: readonly PurchaseHistory[];
  /** Spend per future purchase, per customer (currency). */
  spend: ArrayLike<number>;
  /** Time units per month. */
  monthUnits: number;
  months: number;
  margin: number;
  /** Monthly discount rate. */
  discount: number;
  seed?: number;
}

const HISTOGRAM_BINS = 30;
/** Upper edge of the histogram: this quantile of the customers' values (the tail is long). */
const HISTOGRAM_TOP = 0.99;

/** Value since acquisition per channel (see the module comment). */
export function channelValues<P>(input: ChannelValueInput<P>): Record<string, ChannelValue> {
  const { draws, rows, purchases, spend, monthUnits, months, margin, discount } = input;
  const D = draws[0].length;
  const n = input.channel.length;
  const U = rows.x.length;
  const factor = Array.from({ length: months + 1 }, (_, m) => Math.pow(1 + discount, -m));

  // Observed cumulative value per customer and month (purchases in month m are those at (m-1, m] months).
  const observed = new Float64Array(n * (months + 1));
  for (let i = 0; i < n; i++) {
    const h = purchases[i];
    const row = observed.subarray(i * (months + 1), (i + 1) * (months + 1));
    for (let j = 0; j < h.t.length; j++) {
      const m = j === 0 ? 0 : Math.max(1, Math.ceil(h.t[j] / monthUnits - 1e-9));
      if (m <= months) row[m] += h.spend[j] * factor[m];
    }
    for (let m = 1; m <= months; m++) row[m] += row[m - 1];
  }

  // Months each distinct row has yet to live (T is its age in time units).
  const firstPredicted = Array.from({ length: U }, (_, u) => Math.floor(rows.T[u] / monthUnits) + 1);
  const predicted = new Float64Array(U * (months + 1)); // one draw's discounted expected purchases, cumulative
  const channels = [...new Set(input.channel)].sort();
  const members = channels.map((ch) => input.channel.flatMap((c, i) => (c === ch ? [i] : [])));
  const cumulative = channels.map(() => Array.from({ length: months + 1 }, () => new Float64Array(D)));
  const predictedTotal = channels.map(() => 0);
  const valueMean = new Float64Array(n);
  const rng = createRng(input.seed ?? 20_250_101);
  const weights = new Float64Array(n);

  for (let d = 0; d < D; d++) {
    for (let u = 0; u < U; u++) {
      const base = u * (months + 1);
      let prev = 0;
      for (let m = 1; m <= months; m++) {
        let inc = 0;
        if (m >= firstPredicted[u]) {
          const e = input.conditionalExpected(draws[rows.group[u]][d], m * monthUnits - rows.T[u], rows.x[u], rows.tx[u], rows.T[u]);
          inc = e - prev;
          prev = e;
        }
        predicted[base + m] = predicted[base + m - 1] + inc * factor[m];
      }
    }
    members.forEach((mem, k) => {
      let wSum = 0;
      for (const i of mem) {
        weights[i] = -Math.log(1 - rng.uniform());
        wSum += weights[i];
      }
      for (let m = 0; m <= months; m++) {
        let s = 0;
        for (const i of mem) {
          const future = spend[i] * predicted[rows.index[i] * (months + 1) + m];
          s += weights[i] * (observed[i * (months + 1) + m] + future);
          if (m === months) {
            valueMean[i] += (margin * (observed[i * (months + 1) + m] + future)) / D;
            predictedTotal[k] += (margin * future) / D;
          }
        }
        cumulative[k][m][d] = (margin * s) / wSum;
      }
    });
  }

  const top = quantileOf(valueMean, HISTOGRAM_TOP);
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => (b * (top > 0 ? top : 1)) / HISTOGRAM_BINS);
  const out = dataRecord<ChannelValue>();
  channels.forEach((ch, k) => {
    const mem = members[k];
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    let total = 0;
    for (const i of mem) {
      counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((valueMean[i] / edges[HISTOGRAM_BINS]) * HISTOGRAM_BINS)))]++;
      total += valueMean[i];
    }
    const last = cumulative[k][months];
    out[ch] = {
      customers: mem.length,
      ltv: estimate(last),
      ltvDraws: Array.from(last),
      cumulative: estimateColumns(months + 1, D, (m, d) => cumulative[k][m][d]),
      cumulativeDraws: cumulative[k].map((c) => Array.from(c)),
      observedShare: total > 0 ? 1 - predictedTotal[k] / total : 1,
      histogram: { edges, counts },
    };
  });
  return out;
}

function quantileOf(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}
