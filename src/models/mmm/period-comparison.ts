/**
 * "This quarter against last quarter and the same quarter last year": an MMM's parts, spend, ROAS
 * (or cost per acquisition) and target for one period against a base period, from the per-draw
 * monthly sums the run stores (period-draws.ts). Every change is computed per draw and then
 * summarised, so its interval is the posterior of the difference, not a difference of intervals.
 * The change in the target splits into the change of each part (baseline, seasonality, controls,
 * events, each channel), which per draw add up to the change in the fitted target, plus what the
 * model leaves unexplained (observed change minus fitted change). Pure and tfjs-free.
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { cpaEstimate } from './cpa';
import type { MmmPeriodDraws, PeriodPartKind } from './period-draws';

/** The length of a compared period. */
export type PeriodUnit = 'month' | 'quarter' | 'year';

/** A calendar period of the data. */
export interface Period {
  /** `2024-Q2`, `2024-05` or `2024`. */
  key: string;
  /** Indices into `MmmPeriodDraws.months`. */
  months: number[];
  /** Every month of the period is in the data and wholly covered by its rows. */
  complete: boolean;
}

/** One period's totals. */
export interface PeriodSide {
  key: string;
  complete: boolean;
  /** Observed target. */
  actual: number;
  /** Fitted target (the parts' sum). */
  fitted: Estimate;
  parts: { label: string; kind: PeriodPartKind; contribution: Estimate }[];
  /** Per channel: spend, ROAS, and with a count target cost per acquisition (null: unbounded). */
  channels: { name: string; spend: number; roas: Estimate | null; cpa?: Estimate | null }[];
}

/** A period against a base period: both sides and the per-draw changes. */
export interface PeriodChange {
  base: PeriodSide;
  /** Observed change in the target. */
  actual: number;
  /** Change in the fitted target. */
  fitted: Estimate;
  /** Change of each part; per draw they add up to the change in the fitted target. */
  parts: { label: string; kind: PeriodPartKind; change: Estimate }[];
  /** Observed change minus fitted change: what the model does not explain. */
  unexplained: Estimate;
  /**
   * Per channel: change in spend and in ROAS (null where a side has no spend); with a count target,
   * change in cost per acquisition (null where either side's is unbounded).
   */
  channels: { name: string; spend: number; roas: Estimate | null; cpa?: Estimate | null }[];
}

/** A period against the one before it and the same period a year earlier (each when in the data). */
export interface PeriodComparison {
  unit: PeriodUnit;
  current: PeriodSide;
  previous?: PeriodChange;
  yearAgo?: PeriodChange;
}

const MONTHS_PER: Record<PeriodUnit, number> = { month: 1, quarter: 3, year: 12 };

/** The key of the period of `unit` holding month `yyyy-mm`. */
export function periodKey(month: string, unit: PeriodUnit): string {
  const [y, m] = month.split('-');
  if (unit === 'year') return y;
  if (unit === 'quarter') return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  return month;
}

/** The key of the period `steps` periods of `unit` before `key`. */
export function shiftPeriod(key: string, unit: PeriodUnit, steps: number): string {
  const y = Number(key.slice(0, 4));
  if (unit === 'year') return String(y - steps);
  const per = unit === 'quarter' ? 4 : 12;
  const k = Number(unit === 'quarter' ? key.slice(6) : key.slice(5)) - 1;
  const idx = y * per + k - steps;
  const ny = Math.floor(idx / per);
  const nk = idx - ny * per + 1;
  return unit === 'quarter' ? `${ny}-Q${nk}` : `${ny}-${String(nk).padStart(2, '0')}`;
}

/** The periods of `unit` the data touches, in order. */
export function mmmPeriods(pd: MmmPeriodDraws, unit: PeriodUnit): Period[] {
  const out: Period[] = [];
  pd.months.forEach((month, m) => {
    const key = periodKey(month, unit);
    let p = out[out.length - 1];
    if (!p || p.key !== key) out.push((p = { key, months: [], complete: true }));
    p.months.push(m);
    p.complete &&= pd.complete[m];
  });
  for (const p of out) p.complete &&= p.months.length === MONTHS_PER[unit];
  return out;
}

/** The default period: the latest complete one that has a complete previous period; else the latest complete one. */
export function defaultPeriod(periods: readonly Period[], unit: PeriodUnit): Period | undefined {
  const complete = periods.filter((p) => p.complete);
  const byKey = new Map(complete.map((p) => [p.key, p]));
  return [...complete].reverse().find((p) => byKey.has(shiftPeriod(p.key, unit, 1))) ?? complete[complete.length - 1];
}

/** Sum of `values[m]` over the months `months`. */
function over(values: readonly number[], months: readonly number[]): number {
  let s = 0;
  for (const m of months) s += values[m];
  return s;
}

/** Per part, per draw, its total over `months`. */
function partDraws(pd: MmmPeriodDraws, months: readonly number[]): number[][] {
  return pd.parts.map((p) => p.draws.map((row) => over(row, months)));
}

/** Per draw, the sum over parts. */
function fittedDraws(parts: readonly (readonly number[])[]): number[] {
  return parts[0].map((_, d) => parts.reduce((s, p) => s + p[d], 0));
}

function side(pd: MmmPeriodDraws, period: Period, count: boolean): PeriodSide & { draws: number[][] } {
  const draws = partDraws(pd, period.months);
  return {
    key: period.key,
    complete: period.complete,
    actual: over(pd.actual, period.months),
    fitted: estimate(fittedDraws(draws)),
    parts: pd.parts.map((p, i) => ({ label: p.label, kind: p.kind, contribution: estimate(draws[i]) })),
    channels: pd.parts.flatMap((p, i) => {
      if (p.kind !== 'channel') return [];
      const spend = over(pd.spend[p.label], period.months);
      const roas = spend > 0 ? estimate(draws[i].map((c) => c / spend)) : null;
      return [{ name: p.label, spend, roas, ...(count ? { cpa: cpaEstimate(spend, draws[i]) } : {}) }];
    }),
    draws,
  };
}

/**
 * The changes from `base` to `period`, per draw: each part's (`parts[part][draw]`), the fitted
 * target's (their sum per draw) and the observed target's.
 */
export function periodChangeDraws(pd: MmmPeriodDraws, period: Period, base: Period): { parts: number[][]; fitted: number[]; actual: number } {
  const cur = partDraws(pd, period.months);
  const was = partDraws(pd, base.months);
  const parts = cur.map((p, i) => p.map((v, d) => v - was[i][d]));
  return { parts, fitted: fittedDraws(parts), actual: over(pd.actual, period.months) - over(pd.actual, base.months) };
}

function change(pd: MmmPeriodDraws, period: Period, basePeriod: Period, cur: PeriodSide & { draws: number[][] }, base: PeriodSide & { draws: number[][] }): PeriodChange {
  const { parts: delta, fitted, actual } = periodChangeDraws(pd, period, basePeriod);
  const { draws: _drop, ...baseSide } = base;
  return {
    base: baseSide,
    actual,
    fitted: estimate(fitted),
    parts: pd.parts.map((p, i) => ({ label: p.label, kind: p.kind, change: estimate(delta[i]) })),
    unexplained: estimate(fitted.map((f) => actual - f)),
    channels: cur.channels.map((c, j) => {
      const b = base.channels[j];
      const i = pd.parts.findIndex((p) => p.kind === 'channel' && p.label === c.name);
      const roas = c.spend > 0 && b.spend > 0 ? estimate(cur.draws[i].map((v, d) => v / c.spend - base.draws[i][d] / b.spend)) : null;
      if (c.cpa === undefined) return { name: c.name, spend: c.spend - b.spend, roas };
      const bounded = c.cpa !== null && b.cpa !== null && b.cpa !== undefined;
      const cpa = bounded ? estimate(cur.draws[i].map((v, d) => c.spend / v - b.spend / base.draws[i][d])) : null;
      return { name: c.name, spend: c.spend - b.spend, roas, cpa };
    }),
  };
}

/**
 * Period `key` of `unit` against the period before it and the same period a year earlier (each
 * present only when every month of it is in the data). `count`: the target counts acquisitions,
 * so channels get a cost per acquisition.
 */
export function periodComparison(pd: MmmPeriodDraws, unit: PeriodUnit, key: string, count = false): PeriodComparison {
  const periods = mmmPeriods(pd, unit);
  const byKey = new Map(periods.map((p) => [p.key, p]));
  const period = byKey.get(key);
  if (!period) throw new Error(`The data has no ${unit} ${key}; it has ${periods.map((p) => p.key).join(', ')}.`);
  const cur = side(pd, period, count);
  const against = (steps: number) => {
    const base = byKey.get(shiftPeriod(key, unit, steps));
    return base && base.months.length === period.months.length ? change(pd, period, base, cur, side(pd, base, count)) : undefined;
  };
  const { draws: _drop, ...current } = cur;
  const previous = against(1);
  const yearAgo = unit === 'year' ? undefined : against(unit === 'quarter' ? 4 : 12);
  return { unit, current, ...(previous ? { previous } : {}), ...(yearAgo ? { yearAgo } : {}) };
}

/** One step of a waterfall: a total (a bar from zero) or a change (a bar floating from the running total), with its interval. */
export interface WaterfallStep {
  label: string;
  kind: 'total' | 'change';
  /** A total's value, or a change's posterior mean. */
  value: number;
  /** A change's 94% HDI (absent for totals). */
  low?: number;
  high?: number;
}

/**
 * The waterfall of a change: the base period's observed target, the change of each part (posterior
 * mean, 94% HDI), what the model leaves unexplained, and the current period's observed target. The
 * means add up exactly: base + sum of changes = current.
 */
export function changeWaterfall(change: PeriodChange, currentKey: string, currentActual: number): WaterfallStep[] {
  const step = (label: string, e: Estimate): WaterfallStep => ({ label, kind: 'change', value: e.mean, low: e.hdiLow, high: e.hdiHigh });
  return [
    { label: change.base.key, kind: 'total', value: change.base.actual },
    ...change.parts.map((p) => step(p.label, p.change)),
    step('unexplained', change.unexplained),
    { label: currentKey, kind: 'total', value: currentActual },
  ];
}
