/**
 * What the MMM stores for period comparisons (period-comparison.ts): per posterior draw, each part
 * of the fitted target (baseline, seasonality, controls, events, each channel) summed by calendar
 * month, with the observed target and the spend per month. Months bound the size whatever the
 * data's frequency (3 years are 36 months, weekly or daily), and any month, quarter or year is a
 * sum of months. A row counts in the month its period starts.
 */
import { DAY_MS } from '../../data/time';
import { dataRecord } from '../types';
import { geoSpend } from './draws';
import type { Components } from './fit-outputs';
import type { MmmData } from './prepare';

/** What a part of the fitted target is; `baseline` is the intercept plus the trend. */
export type PeriodPartKind = 'baseline' | 'seasonality' | 'controls' | 'events' | 'channel';

/** Per-draw monthly sums of every part of the fitted target (see the file's comment). */
export interface MmmPeriodDraws {
  /** Calendar months `yyyy-mm` holding rows, in order (consecutive: the rows have no gaps). */
  months: string[];
  /** Rows per month. */
  rows: number[];
  /**
   * Whether the rows cover the whole month: false for a first month whose first period starts
   * after the month's first days, or a last month whose last period ends before the month does.
   */
  complete: boolean[];
  /** Observed target per month. */
  actual: number[];
  /** Spend per channel per month. */
  spend: Record<string, number[]>;
  /**
   * The parts of the fitted target, `draws[draw][month]` (target units, to 6 significant digits:
   * far below the posterior's spread, and half the stored size); per draw they add up to the fitted
   * target to that precision.
   */
  parts: { label: string; kind: PeriodPartKind; draws: number[][] }[];
}

/** `v` to 6 significant digits. */
function round6(v: number): number {
  return Number(v.toPrecision(6));
}

/** `yyyy-mm` of epoch milliseconds (UTC). */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Epoch ms of the first day of the month after `key`. */
function nextMonthStart(key: string): number {
  const [y, m] = key.split('-').map(Number);
  return Date.UTC(y, m, 1);
}

/**
 * The period draws of `parts` (all rows; summed over geos for geo data) against the observed
 * target `actual` (summed likewise), for the draws `keep` of them.
 */
export function mmmPeriodDraws(data: MmmData, parts: Components, actual: ArrayLike<number>, keep: readonly number[]): MmmPeriodDraws {
  const T = data.dates.length;
  const months: string[] = [];
  const monthOf = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    const k = monthKey(data.dates[t]);
    if (months[months.length - 1] !== k) months.push(k);
    monthOf[t] = months.length - 1;
  }
  const M = months.length;
  const byMonth = (value: (t: number) => number) => {
    const out = new Array<number>(M).fill(0);
    for (let t = 0; t < T; t++) out[monthOf[t]] += value(t);
    return out;
  };
  const rows = byMonth(() => 1);
  const periodMs = data.periodDays * DAY_MS;
  const complete = months.map((k, m) => {
    const [y, mo] = k.split('-').map(Number);
    const starts = m > 0 || data.dates[0] - Date.UTC(y, mo - 1, 1) < periodMs;
    const ends = m < M - 1 || data.dates[T - 1] + periodMs >= nextMonthStart(k);
    return starts && ends;
  });
  const spend = dataRecord<number[]>();
  data.channels.forEach((ch, c) => {
    const national = new Float64Array(T);
    data.geos.forEach((_, g) => geoSpend(data, c, g).forEach((v, t) => (national[t] += v)));
    spend[ch] = byMonth((t) => national[t]);
  });

  const out: MmmPeriodDraws['parts'] = [];
  const add = (label: string, kind: PeriodPartKind, value: (d: number, t: number) => number) =>
    out.push({ label, kind, draws: keep.map((d) => byMonth((t) => value(d, t)).map(round6)) });
  const trend = parts.groups.find((g) => g.kind === 'trend');
  add('baseline', 'baseline', (d, t) => parts.mu[d][t] - others(parts, d, t));
  if (parts.season) {
    const season = parts.season;
    add('seasonality', 'seasonality', (d, t) => season[d][t]);
  }
  for (const g of parts.groups) if (g !== trend) add(g.label, g.contribution === 'events' ? 'events' : 'controls', (d, t) => g.values[d][t]);
  data.channels.forEach((ch, c) => add(ch, 'channel', (d, t) => parts.media[d][c][t]));
  return { months, rows, complete, actual: byMonth((t) => actual[t]), spend, parts: out };
}

/** Everything in mu but the intercept and the trend, at draw `d`, row `t` (so baseline = mu - this). */
function others(parts: Components, d: number, t: number): number {
  let s = parts.season ? parts.season[d][t] : 0;
  for (const g of parts.groups) if (g.kind !== 'trend') s += g.values[d][t];
  for (const m of parts.media[d]) s += m[t];
  return s;
}
