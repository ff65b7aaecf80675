/**
 * LTV / CAC per acquisition channel, from two independent posteriors: a CLV count model fitted with
 * the `channel` role (`outputs.byChannel`: value per acquired customer by month since acquisition)
 * and an MMM whose target counts new customers (`outputs.channels[ch].contributionDraws`:
 * incremental customers over the fitted periods). Channels are matched by name. Draws of the two
 * are paired one to one (both thinned evenly to the smaller count); as the posteriors are
 * independent, any pairing is a draw from the joint.
 *
 * Per draw: CAC = channel spend / incremental customers; LTV/CAC = LTV x incremental / spend; the
 * payback period is the first time, in months after acquisition, at which the cumulative value per
 * acquired customer reaches the CAC (linear between month ends; month 0 is the first purchase).
 * Pure float64 with no tfjs, so the page computes it on the main thread.
 */
import type { Estimate } from '../api/types';
import { estimate } from '../engine/diagnostics';
import { thinIndices } from '../engine/thin';
import type { ChannelValue } from './clv/channel-value';

/** What LTV/CAC needs from an MMM run's channel (`outputs.channels[ch]`). */
export interface AcquisitionChannel {
  /** Spend over the fitted periods. */
  spend: number;
  /** Incremental customers over the fitted periods, per draw. */
  contributionDraws: readonly number[];
}

/** Payback period in months after acquisition: median and equal-tailed 94% interval over draws. */
export interface Payback {
  /** null: the median draw does not pay back within the value horizon. */
  median: number | null;
  low: number | null;
  /** null: more than 3% of draws do not pay back within the horizon. */
  high: number | null;
  /** Share of draws that pay back within the horizon. */
  withinHorizon: number;
}

export interface ChannelEconomics {
  channel: string;
  /** Customers the CLV data attributes to the channel. */
  customers: number;
  spend: number;
  incremental: Estimate;
  ltv: Estimate;
  cac: Estimate;
  ratio: Estimate;
  payback: Payback;
  /** Per draw (paired): LTV, CAC and the ratio, for the optimiser and exports. */
  draws: { ltv: number[]; cac: number[]; ratio: number[] };
}

export interface LtvCacResult {
  /** Channels in both runs, in the MMM's order. */
  channels: ChannelEconomics[];
  /** Months of value after acquisition (the CLV run's `clv.months`). */
  months: number;
  /** Channels only the CLV run has (e.g. organic), and only the MMM has. */
  onlyClv: string[];
  onlyMmm: string[];
  /** Matched channels left out, with the reason (no spend, or no positive incremental customers). */
  skipped: { channel: string; reason: string }[];
}

/** The probability mass outside the reported payback interval, split evenly between the tails. */
const TAIL = 0.03;

/**
 * Months after acquisition at which `cumulative` (value at month ends 0..M) first reaches `cac`,
 * linear in between; Infinity when it does not within M months.
 */
export function paybackMonths(cumulative: ArrayLike<number>, cac: number): number {
  if (cumulative[0] >= cac) return 0;
  for (let m = 1; m < cumulative.length; m++) {
    if (cumulative[m] >= cac) return m - 1 + (cac - cumulative[m - 1]) / (cumulative[m] - cumulative[m - 1]);
  }
  return Infinity;
}

/** Median and 3%/97% quantiles (nearest order statistic) of draws that may be Infinity. */
export function paybackSummary(months: readonly number[]): Payback {
  const s = [...months].sort((a, b) => a - b);
  const at = (q: number) => {
    const v = s[Math.round(q * (s.length - 1))];
    return Number.isFinite(v) ? v : null;
  };
  return { median: at(0.5), low: at(TAIL), high: at(1 - TAIL), withinHorizon: s.filter(Number.isFinite).length / s.length };
}

/** LTV, CAC, LTV/CAC and payback per channel in both runs (see the module comment). */
export function ltvCac(value: Readonly<Record<string, ChannelValue>>, months: number, mmm: Readonly<Record<string, AcquisitionChannel>>): LtvCacResult {
  const mmmNames = Object.keys(mmm);
  const result: LtvCacResult = {
    channels: [],
    months,
    onlyClv: Object.keys(value).filter((ch) => !Object.hasOwn(mmm, ch)),
    onlyMmm: mmmNames.filter((ch) => !Object.hasOwn(value, ch)),
    skipped: [],
  };
  for (const ch of mmmNames.filter((c) => Object.hasOwn(value, c))) {
    const v = value[ch];
    const a = mmm[ch];
    if (!(a.spend > 0)) {
      result.skipped.push({ channel: ch, reason: 'no spend over the fitted periods' });
      continue;
    }
    const K = Math.min(v.ltvDraws.length, a.contributionDraws.length);
    const vi = thinIndices(v.ltvDraws.length, K);
    const ai = thinIndices(a.contributionDraws.length, K);
    const incremental = ai.map((i) => a.contributionDraws[i]);
    if (incremental.some((x) => !(x > 0))) {
      result.skipped.push({ channel: ch, reason: 'the MMM finds no positive incremental customers in some draws, so the CAC is unbounded' });
      continue;
    }
    const ltv = vi.map((i) => v.ltvDraws[i]);
    const cac = incremental.map((x) => a.spend / x);
    const ratio = ltv.map((l, k) => l / cac[k]);
    const payback = vi.map((i, k) => paybackMonths(v.cumulativeDraws.map((row) => row[i]), cac[k]));
    result.channels.push({
      channel: ch,
      customers: v.customers,
      spend: a.spend,
      incremental: estimate(incremental),
      ltv: estimate(ltv),
      cac: estimate(cac),
      ratio: estimate(ratio),
      payback: paybackSummary(payback),
      draws: { ltv, cac, ratio },
    });
  }
  return result;
}
