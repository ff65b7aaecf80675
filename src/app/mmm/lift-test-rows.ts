/**
 * The MMM form's lift-test table as data: each row is one entry of `config.liftTests` (lift-tests.ts:
 * channel, spend per period before and during the test, measured lift per period and its standard
 * error, in the data's units), with where it came from when an experiment run made it. The checks
 * here speak the page's words and name the row; the model checks the same again in its own.
 */
import type { ModelName } from '../../api/types';

/** Where a lift test came from: an experiment run (experiment-lift.ts) or typed in. */
export interface LiftTestSource {
  run: string;
  model: ModelName;
  /** How the table names the run. */
  label: string;
}

/**
 * One row of the table as `config.liftTests` holds it: a number not yet entered is null. A row given
 * by its dates has `start` and `end` (YYYY-MM-DD; '' not yet entered), and the model reads its
 * spend from the data.
 */
export interface LiftTestEntry {
  channel: string;
  spendBefore: number | null;
  spendAfter: number | null;
  start?: string;
  end?: string;
  deltaY: number | null;
  sigma: number | null;
  source?: LiftTestSource;
}

/** Whether a row is given by its dates rather than its spend. */
export const isDated = (t: LiftTestEntry): boolean => t.start !== undefined;

/** The row given the other way: by dates (its spend cleared) or by spend (its dates dropped). */
export function withDates(t: LiftTestEntry, dated: boolean): LiftTestEntry {
  const { start: _start, end: _end, ...rest } = t;
  return dated ? { ...rest, spendBefore: null, spendAfter: null, start: '', end: '' } : rest;
}

/** The numeric fields of a row, in the table's column order, with the page's names. */
export const LIFT_TEST_FIELDS = [
  { key: 'spendBefore', label: 'Spend per period before' },
  { key: 'spendAfter', label: 'Spend per period during the test' },
  { key: 'deltaY', label: 'Measured lift per period' },
  { key: 'sigma', label: 'Standard error of the lift' },
] as const;

/** `config.liftTests` as the table's rows (anything that is not a list of rows reads as none). */
export function liftTestEntries(value: unknown): LiftTestEntry[] {
  return Array.isArray(value) ? (value as LiftTestEntry[]) : [];
}

/** A new row for `channel`, its numbers to fill in. */
export function emptyLiftTest(channel: string): LiftTestEntry {
  return { channel, spendBefore: null, spendAfter: null, deltaY: null, sigma: null };
}

/** A number input's value as a row field: blank or not a finite number is null. */
export function fieldValue(raw: string): number | null {
  if (raw.trim() === '') return null;
  const v = Number(raw);
  return Number.isFinite(v) ? v : null;
}

/** What is wrong with row `i` (0-based) of the table, in the page's words; empty when it is fine. */
export function liftTestErrors(t: LiftTestEntry, i: number, channels: readonly string[]): string[] {
  const where = `Lift test ${i + 1}`;
  const errors: string[] = [];
  if (!t.channel) errors.push(`${where}: choose its channel.`);
  else if (!channels.includes(t.channel)) errors.push(`${where}: "${t.channel}" is not one of the channels chosen above (${channels.join(', ') || 'none'}).`);
  const dated = isDated(t);
  if (dated) {
    if (!t.start) errors.push(`${where}: enter the test's first date.`);
    if (!t.end) errors.push(`${where}: enter the test's last date.`);
    if (t.start && t.end && t.end < t.start) errors.push(`${where}: the test's last date (${t.end}) is before its first (${t.start}).`);
  }
  for (const f of LIFT_TEST_FIELDS) {
    if (dated && (f.key === 'spendBefore' || f.key === 'spendAfter')) continue;
    if (t[f.key] === null || t[f.key] === undefined) errors.push(`${where}: enter the ${f.label.toLowerCase()}.`);
  }
  const { spendBefore: b, spendAfter: a, deltaY: y, sigma: s } = dated ? { ...t, spendBefore: null, spendAfter: null } : t;
  if (dated && y === 0) errors.push(`${where}: the lift cannot be 0.`);
  if ((b !== null && b < 0) || (a !== null && a < 0)) errors.push(`${where}: spend cannot be negative.`);
  if (b !== null && a !== null && a === b) errors.push(`${where}: the spend during the test equals the spend before it; a lift test must change the spend.`);
  if (s !== null && !(s > 0)) errors.push(`${where}: the standard error must be above 0.`);
  if (b !== null && a !== null && y !== null && a !== b && !(Math.sign(y) === Math.sign(a - b))) {
    errors.push(
      `${where}: spend went ${a > b ? 'up' : 'down'}, so the lift must be ${a > b ? 'above' : 'below'} 0 (response curves rise with spend; a lift of the other sign or 0 cannot enter the model).`,
    );
  }
  return errors;
}
