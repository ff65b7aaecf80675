/**
 * Transaction log -> RFM summary, as the CDNOW summary is built (Fader, Hardie & Lee 2005) and
 * lifetimes' `summary_data_from_transaction_data`: purchases on the same day are one purchase;
 * frequency = distinct purchase days after the first; recency = first to last purchase and
 * T = first purchase to observation end, both in the time unit; monetary = mean spend per repeat
 * purchase day. With a calibration end, the summary is of the calibration period and each
 * customer's purchase days in the holdout period are counted.
 */
import { InputError } from '../api/errors';
import { DAY_MS, toIsoDate } from './time';

export type TimeUnit = 'days' | 'weeks' | 'months';

/** Days per unit; a month is the average Gregorian month (365.25 / 12 days). */
export const UNIT_DAYS: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12 };

export interface RfmOptions {
  timeUnit: TimeUnit;
  /** Epoch ms (UTC midnight); default the last transaction date. */
  observationEnd?: number;
  /** Epoch ms; when set, the summary covers purchases up to and including this day. */
  calibrationEnd?: number;
  /** Keep each customer's purchase days and spend (`purchases`), for value since acquisition. */
  keepPurchases?: boolean;
}

/** One customer's purchase days in the calibration period, the first at t = 0. */
export interface PurchaseHistory {
  /** Time since the first purchase, in time units. */
  t: Float64Array;
  /** Spend on that day (0 without amounts). */
  spend: Float64Array;
}

export interface RfmSummary {
  ids: string[];
  /** Repeat purchase days in the calibration period. */
  frequency: Float64Array;
  /** First to last purchase, in time units. */
  recency: Float64Array;
  /** First purchase to the end of calibration, in time units. */
  T: Float64Array;
  /** Mean spend per repeat purchase day; NaN for customers without repeat purchases or amounts. */
  monetary: Float64Array;
  /** Epoch ms of each customer's first purchase. */
  firstPurchase: Float64Array;
  /** Per customer, with `keepPurchases`. */
  purchases?: PurchaseHistory[];
  /** Acquisition channel per customer (the CLV models' optional `channel` role). */
  channel?: string[];
  /** Purchase days in the holdout period (only with a calibration end). */
  holdoutFrequency?: Float64Array;
  /** Length of the holdout period in time units (calibration end to observation end). */
  holdoutLength?: number;
  /** Repeat purchase days per unit since the start, for the tracking plot: `[period] -> count`. */
  repeatsByPeriod: Float64Array;
  /** Epoch ms of the first period's start (the first transaction day). */
  start: number;
  timeUnit: TimeUnit;
}

/**
 * Summarises a transaction log. `customer[i]`, `date[i]` (epoch ms) and `amount[i]` describe row i.
 * Throws InputError naming the row (1-based data row) for missing or invalid values.
 */
export function summariseTransactions(
  customer: readonly string[],
  date: Float64Array,
  amount: Float64Array | undefined,
  opts: RfmOptions,
): RfmSummary {
  const n = customer.length;
  if (n === 0) throw new InputError('The transaction log has no rows.');
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    if (customer[i] === '') throw new InputError(`Row ${i + 1}: the customer id is missing.`);
    const d = date[i];
    if (!Number.isFinite(d)) throw new InputError(`Row ${i + 1}: the date is missing or not a date.`);
    if (amount) {
      const a = amount[i];
      if (!Number.isFinite(a)) throw new InputError(`Row ${i + 1}: the amount is missing or not a number.`);
      if (a < 0) throw new InputError(`Row ${i + 1}: the amount is negative (${a}); refunds must be netted out before modelling.`);
    }
    first = Math.min(first, d);
    last = Math.max(last, d);
  }
  const end = opts.observationEnd ?? last;
  if (!Number.isFinite(end)) throw new InputError('The observation end is not a valid date.');
  if (last > end) {
    const row = Array.from(date).findIndex((d) => d > end);
    throw new InputError(
      `Row ${row + 1}: a transaction on ${toIsoDate(date[row])} is after the observation end ${toIsoDate(end)}. Move the observation end or drop later rows.`,
    );
  }
  const calEnd = opts.calibrationEnd ?? end;
  if (calEnd > end) throw new InputError(`The calibration end ${toIsoDate(calEnd)} is after the observation end ${toIsoDate(end)}.`);
  if (calEnd < first) throw new InputError(`The calibration end ${toIsoDate(calEnd)} is before the first transaction (${toIsoDate(first)}).`);
  const unitMs = UNIT_DAYS[opts.timeUnit] * DAY_MS;

  // Spend per (customer, day).
  const byCustomer = new Map<string, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    const day = Math.floor(date[i] / DAY_MS) * DAY_MS;
    let days = byCustomer.get(customer[i]);
    if (!days) byCustomer.set(customer[i], (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + (amount ? amount[i] : 0));
  }
  const ids: string[] = [];
  for (const [id, days] of byCustomer) {
    // Customers whose first purchase is after calibration belong to no calibration cohort.
    let min = Infinity;
    for (const d of days.keys()) min = Math.min(min, d);
    if (min <= calEnd) ids.push(id);
  }
  const m = ids.length;
  const frequency = new Float64Array(m);
  const recency = new Float64Array(m);
  const T = new Float64Array(m);
  const monetary = new Float64Array(m);
  const firstPurchase = new Float64Array(m);
  const holdout = opts.calibrationEnd !== undefined ? new Float64Array(m) : undefined;
  const purchases: PurchaseHistory[] | undefined = opts.keepPurchases ? [] : undefined;
  const periods = Math.floor((end - first) / unitMs) + 1;
  const repeatsByPeriod = new Float64Array(periods);
  ids.forEach((id, k) => {
    const days = [...byCustomer.get(id)!.entries()].sort((a, b) => a[0] - b[0]);
    const f = days[0][0];
    const inCal = days.filter(([d]) => d <= calEnd);
    const lastCal = inCal[inCal.length - 1][0];
    frequency[k] = inCal.length - 1;
    recency[k] = (lastCal - f) / unitMs;
    T[k] = (calEnd - f) / unitMs;
    firstPurchase[k] = f;
    let spend = 0;
    for (let j = 1; j < inCal.length; j++) spend += inCal[j][1];
    monetary[k] = inCal.length > 1 && amount ? spend / (inCal.length - 1) : NaN;
    if (holdout) holdout[k] = days.length - inCal.length;
    purchases?.push({ t: Float64Array.from(inCal, ([d]) => (d - f) / unitMs), spend: Float64Array.from(inCal, ([, v]) => v) });
    for (let j = 1; j < days.length; j++) repeatsByPeriod[Math.floor((days[j][0] - first) / unitMs)] += 1;
  });
  return {
    ids,
    frequency,
    recency,
    T,
    monetary,
    firstPurchase,
    ...(holdout ? { holdoutFrequency: holdout, holdoutLength: (end - calEnd) / unitMs } : {}),
    ...(purchases ? { purchases } : {}),
    repeatsByPeriod,
    start: first,
    timeUnit: opts.timeUnit,
  };
}
