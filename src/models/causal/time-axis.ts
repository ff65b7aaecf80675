/**
 * The time axis of a causal analysis: a date column (epoch ms, UTC midnight) or a number column
 * (years like 1970, day counts, periods), the intervention dates in `FitSpec.config` read on that
 * axis, and the specific errors a user needs when a date falls outside the data or a period is too
 * short.
 */
import { InputError } from '../../api/errors';
import type { Table } from '../../data/table';
import { DAY_MS, toIsoDate } from '../../data/time';

/** Whether times are epoch milliseconds of dates or plain numbers as in the column. */
export type TimeKind = 'date' | 'number';

/** A time column as read: values per row (NaN = missing). */
export interface TimeColumn {
  name: string;
  kind: TimeKind;
  values: Float64Array;
}

/** Reads a date or number column for a time role, naming the column in the error otherwise. */
export function timeColumn(table: Table, name: string, role: string): TimeColumn {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    const names = table.columns.map((c) => `"${c.name}"`).join(', ');
    throw new InputError(`Column "${name}" (for ${role}) is not in the dataset; its columns are ${names}.`);
  }
  if (column.type === 'string') {
    throw new InputError(`Column "${name}" (for ${role}) must hold dates or numbers (years, periods), but it was read as text.`);
  }
  return { name, kind: column.type, values: column.values };
}

/** A time value as the user reads it: ISO date for dates, the number otherwise. */
export function formatTime(value: number, kind: TimeKind): string {
  if (kind === 'date') return toIsoDate(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/** True when every finite value is a whole number from 1000 to 3000 (a column of years). */
function isYears(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && !(Number.isInteger(v) && v >= 1000 && v <= 3000)) return false;
  }
  return true;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * A config time point (`config.treatmentStart`, `testStart`, ...) on the axis of `column`:
 * - date columns take an ISO date 'YYYY-MM-DD';
 * - number columns take a number (or numeric text); a column of years also takes an ISO date,
 *   read as its year (so a date picker can set 1989 for yearly data).
 */
export function parseTimePoint(value: unknown, column: TimeColumn, key: string): number {
  if (value === undefined || value === null || value === '') {
    throw new InputError(`Set config.${key} (the ${column.kind === 'date' ? 'date' : 'value of the time column'} the period starts).`);
  }
  if (column.kind === 'date') {
    const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
    if (!m) throw new InputError(`config.${key} must be a date like 2015-02-16 (column "${column.name}" holds dates), got ${JSON.stringify(value)}.`);
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (!Number.isFinite(t) || new Date(t).getUTCDate() !== Number(m[3])) throw new InputError(`config.${key}: ${JSON.stringify(value)} is not a valid date.`);
    return t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value);
    if (m) {
      if (isYears(column.values)) return Number(m[1]);
      throw new InputError(
        `config.${key} is a date (${value}), but column "${column.name}" holds numbers that are not years: give config.${key} as a number on that column's scale.`,
      );
    }
    const n = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new InputError(`config.${key} must be a number on the scale of column "${column.name}", got ${JSON.stringify(value)}.`);
}

/** One row per time point, sorted: the row order and the sorted times. */
export interface SortedTimes {
  /** Data rows (0-based) in time order. */
  order: number[];
  /** Times in order. */
  times: Float64Array;
}

/**
 * Sorts rows (all, or the given 0-based `rows`) by time, rejecting a missing time or a time that
 * appears twice, naming the rows.
 */
export function sortUniqueTimes(column: TimeColumn, rows: readonly number[] | undefined = undefined): SortedTimes {
  const idx = rows ? [...rows] : Array.from({ length: column.values.length }, (_, i) => i);
  for (const i of idx) {
    if (!Number.isFinite(column.values[i])) throw new InputError(`Row ${i + 1}: the time ("${column.name}") is missing.`);
  }
  idx.sort((a, b) => column.values[a] - column.values[b]);
  for (let k = 1; k < idx.length; k++) {
    if (column.values[idx[k]] === column.values[idx[k - 1]]) {
      throw new InputError(
        `Rows ${idx[k - 1] + 1} and ${idx[k] + 1} have the same time ${formatTime(column.values[idx[k]], column.kind)}; this model needs one row per time point.`,
      );
    }
  }
  return { order: idx, times: Float64Array.from(idx, (i) => column.values[i]) };
}

/**
 * Index of the first time >= `start`, with an InputError when `start` is not inside the data
 * (the pre-period would be empty, or nothing would come after it).
 */
export function splitIndex(times: Float64Array, start: number, kind: TimeKind, key: string): number {
  const n = times.length;
  const range = `${formatTime(times[0], kind)} to ${formatTime(times[n - 1], kind)}`;
  if (start <= times[0] || start > times[n - 1]) {
    throw new InputError(
      `config.${key} ${formatTime(start, kind)} is outside the data (${range}): it must fall after the first time point and no later than the last, so that there is a period before and after it.`,
    );
  }
  let k = 0;
  while (times[k] < start) k++;
  return k;
}

/** Throws when the pre-period has fewer than `min` points. */
export function requirePrePeriod(nPre: number, min: number, start: number, kind: TimeKind, why: string): void {
  if (nPre < min) {
    throw new InputError(
      `The pre-period (before ${formatTime(start, kind)}) has only ${nPre} time point${nPre === 1 ? '' : 's'}; at least ${min} are needed (${why}). Choose a later start or add earlier data.`,
    );
  }
}

/**
 * The seasonal period in time steps implied by the spacing of the times: 12 for monthly dates,
 * 52.1775 (= 365.25 / 7) for weekly, 7 for daily (the weekly pattern); 0 (no seasonality) for
 * number columns and other spacings.
 */
export function defaultSeasonalPeriod(times: Float64Array, kind: TimeKind): number {
  if (kind !== 'date' || times.length < 2) return 0;
  const step = Math.round((times[1] - times[0]) / DAY_MS);
  if (step >= 28 && step <= 31) return 12;
  if (step === 7) return 365.25 / 7;
  if (step === 1) return 7;
  return 0;
}

/** Whether the times are daily dates (their first step is one day, as `defaultSeasonalPeriod` reads the spacing). */
export function dailyDates(times: ArrayLike<number>, kind: TimeKind): boolean {
  return kind === 'date' && times.length >= 2 && Math.round((times[1] - times[0]) / DAY_MS) === 1;
}

/**
 * Checks the times are evenly spaced (calendar months count as even), naming the first gap: the
 * trend and seasonality are functions of the step index.
 */
export function requireEvenSpacing(times: Float64Array, kind: TimeKind, column: string): void {
  if (times.length < 3) return;
  const step = times[1] - times[0];
  const monthly = kind === 'date' && step >= 28 * DAY_MS && step <= 31 * DAY_MS;
  for (let k = 1; k < times.length; k++) {
    let ok: boolean;
    if (monthly) {
      const a = new Date(times[k - 1]);
      const b = new Date(times[k]);
      ok = b.getUTCFullYear() * 12 + b.getUTCMonth() - (a.getUTCFullYear() * 12 + a.getUTCMonth()) === 1;
    } else {
      const tol = kind === 'date' ? DAY_MS / 2 : Math.abs(step) * 1e-6;
      ok = Math.abs(times[k] - times[k - 1] - step) <= tol;
    }
    if (!ok) {
      throw new InputError(
        `Column "${column}" is not evenly spaced: ${formatTime(times[k - 1], kind)} is followed by ${formatTime(times[k], kind)}, but the first step is ${formatTime(times[0], kind)} to ${formatTime(times[1], kind)}. Fill the missing periods or remove the extra rows.`,
      );
    }
  }
}
