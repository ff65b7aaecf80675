/**
 * What the outcome of a causal model is, for the written summary: its name and unit
 * (`config.outcomeLabel`, `config.unit`) and, for the time-series models, its kind
 * (`config.outcomeKind`):
 *
 * - a **flow** is an amount per period (sales per day, packs sold per year): effects add up over
 *   the post-period, so the cumulative effect ("the campaign added 148,000 in sales") is the
 *   headline;
 * - a **stock** is a level observed at each point (banks in business, subscribers, a price): a
 *   sum over 1,513 days of "banks in business" counts bank-days and means nothing, so the average
 *   level difference (and the relative effect) is the headline and nothing is summed.
 *
 * Which one a column is cannot be read off the data for sure (a smoothly trending yearly sales
 * series looks like a level), so detection (`detectOutcomeKind`) is conservative and says
 * 'unsure' unless the pre-period makes it plain; the summary then gives the average and the total
 * and asks the user to choose.
 */
import { readOption, readOptions } from '../options';
import { OUTCOME_OPTIONS, OUTCOME_TEXT_OPTIONS } from './options';

/** A flow (amount per period: sums meaningfully) or a stock (a level: averages, never sums). */
export type OutcomeKind = 'flow' | 'stock';

/** The kind the summary uses, and where it came from. */
export interface OutcomeKindDecision {
  /** 'unsure': detection could not tell; the summary gives both the average and the total. */
  kind: OutcomeKind | 'unsure';
  /** 'config': set by `config.outcomeKind`; 'detected': decided from the pre-period. */
  source: 'config' | 'detected';
  /** Why, in words (the detection's evidence, a clause that follows "since"), for the summary; empty when set by config. */
  reason: string;
}

/** How the summary names the outcome. */
export interface OutcomeText {
  /** `config.outcomeLabel`, else the column's name (for tables and chart axes). */
  name: string;
  /** In a sentence: `config.outcomeLabel`, else `the outcome "col"` (never a bare column name such as `all`). */
  phrase: string;
  /** Short reference for a later clause: the label, else `"col"`. */
  short: string;
  /** Unit written after amounts ("banks", "deaths per 100,000"); absent when not given. */
  unit?: string;
}

/** Fewest pre-period points detection decides on; fewer give 'unsure'. */
export const DETECT_MIN_POINTS = 8;
/**
 * A stock: at least this share of consecutive pre-period points keep the same nonzero value (a
 * level that stays put between events, as a count of banks). A flow of counts repeats a nonzero
 * value far less often (Poisson counts with mean 1: 17% of pairs; fewer for other means), and
 * pairs of zeros are not counted, so sparse flows (0, 0, 1, 0) are not taken for levels.
 */
export const STOCK_REPEAT_SHARE = 0.5;
/**
 * A flow: the lag-1 autocorrelation of the pre-period values is at most this: the values do not
 * persist from one point to the next, as a level's do (white noise around a mean: 0; the geo
 * experiment's daily sales totals: 0.44; a random-walk level: near 1).
 */
export const FLOW_MAX_LAG1 = 0.75;

/** Lag-1 autocorrelation of x[0..end) (NaN when x is constant there). */
export function lag1Autocorrelation(x: ArrayLike<number>, end: number = x.length): number {
  let mean = 0;
  for (let i = 0; i < end; i++) mean += x[i];
  mean /= end;
  let ss = 0;
  let cross = 0;
  for (let i = 0; i < end; i++) {
    ss += (x[i] - mean) ** 2;
    if (i > 0) cross += (x[i] - mean) * (x[i - 1] - mean);
  }
  return ss > 0 ? cross / ss : NaN;
}

const pct = (v: number) => `${Math.round(100 * v)}%`;

/**
 * Flow, stock or unsure, from the outcome's first `end` (pre-period) points, before the
 * intervention could change them:
 * stock when at least half the consecutive pairs keep the same nonzero value and the values persist
 * (lag-1 autocorrelation above `FLOW_MAX_LAG1`, or the series is constant); flow when fewer than
 * half repeat and the lag-1 autocorrelation is at most `FLOW_MAX_LAG1`; otherwise unsure
 * (persistent but always changing: a slowly varying level or a smooth flow, which the data cannot
 * tell apart), and unsure on fewer than `DETECT_MIN_POINTS` points or an all-zero series.
 */
export function detectOutcomeKind(y: ArrayLike<number>, end: number): OutcomeKindDecision {
  const unsure = (reason: string): OutcomeKindDecision => ({ kind: 'unsure', source: 'detected', reason });
  if (end < DETECT_MIN_POINTS) return unsure(`${end} pre-period points are too few to tell`);
  let repeats = 0;
  let nonzero = 0;
  for (let i = 0; i < end; i++) if (y[i] !== 0) nonzero++;
  if (nonzero === 0) return unsure('it is 0 throughout the pre-period');
  for (let i = 1; i < end; i++) if (y[i] === y[i - 1] && y[i] !== 0) repeats++;
  const share = repeats / (end - 1);
  const r1 = lag1Autocorrelation(y, end);
  const persistent = !Number.isFinite(r1) || r1 > FLOW_MAX_LAG1;
  const r1Text = Number.isFinite(r1) ? r1.toFixed(2) : 'undefined: constant';
  if (share >= STOCK_REPEAT_SHARE && persistent) {
    return { kind: 'stock', source: 'detected', reason: `it keeps the same value from one point to the next at ${pct(share)} of the pre-period points` };
  }
  if (share < STOCK_REPEAT_SHARE && !persistent) {
    return { kind: 'flow', source: 'detected', reason: `its pre-period values do not persist from one point to the next (lag-1 autocorrelation ${r1Text})` };
  }
  return unsure(
    share >= STOCK_REPEAT_SHARE
      ? `it repeats its value at ${pct(share)} of the pre-period points, as a level would, yet its values do not persist (lag-1 autocorrelation ${r1Text})`
      : `its pre-period values persist from one point to the next (lag-1 autocorrelation ${r1Text}), as both a level's and a smoothly varying flow's would`,
  );
}

/** `config.outcomeKind` ('flow', 'stock', or 'auto' / absent: detected from `y`'s first `preEnd` points). */
export function outcomeKindOption(value: unknown, y: ArrayLike<number>, preEnd: number): OutcomeKindDecision {
  const kind = readOption(OUTCOME_OPTIONS.outcomeKind, value, 'config.outcomeKind');
  return kind === 'auto' ? detectOutcomeKind(y, preEnd) : { kind, source: 'config', reason: '' };
}

/**
 * The outcome's name and unit for the summary: `config.outcomeLabel` (as given: "banks in
 * business"), else `the outcome "col"` (`describe` rewords it, e.g. for a DiD group mean).
 */
export function outcomeText(config: Record<string, unknown>, column: string, describe: (quoted: string) => string = (q) => `the outcome ${q}`): OutcomeText {
  const { outcomeLabel: label, unit } = readOptions(OUTCOME_TEXT_OPTIONS, config);
  const quoted = `"${column}"`;
  return {
    name: label ?? column,
    phrase: label ?? describe(quoted),
    short: label ?? quoted,
    ...(unit ? { unit } : {}),
  };
}
