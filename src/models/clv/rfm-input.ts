/**
 * The CLV models' input: a transaction log (roles customer, date, amount?, channel?) summarised to
 * RFM, or an RFM summary given directly (roles frequency, recency, T, monetary?). Config: timeUnit,
 * observationEnd, calibrationEnd (ISO dates).
 */
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { dateColumn, labelColumn, numberColumn, roleColumn } from '../../data/columns';
import { summariseTransactions, type RfmSummary, type TimeUnit } from '../../data/rfm';
import type { Table } from '../../data/table';
import { readOptions } from '../options';
import { RFM_OPTIONS } from './options';

/** `config.timeUnit` (RFM_OPTIONS, default weeks). */
export function timeUnitOf(spec: FitSpec): TimeUnit {
  return readOptions({ timeUnit: RFM_OPTIONS.timeUnit }, spec.config).timeUnit;
}

/** Whether the spec names an RFM summary (frequency/recency/T) rather than a transaction log. */
export function isSummaryInput(spec: FitSpec): boolean {
  return spec.columns.frequency !== undefined && spec.columns.frequency !== '';
}

/**
 * The RFM summary the spec describes. For summary input, `firstPurchase`/`repeatsByPeriod` are
 * empty (no tracking plot) and every value is checked (no NaN, recency <= T, frequency whole).
 */
export function rfmFromSpec(table: Table, spec: FitSpec): RfmSummary {
  const { timeUnit, observationEnd, calibrationEnd } = readOptions(RFM_OPTIONS, spec.config);
  if (isSummaryInput(spec)) {
    if (roleColumn(spec.columns, 'channel', true)) {
      throw new InputError('The channel role needs a transaction log (customer, date, amount): the value since acquisition is built from the purchases.');
    }
    const f = numberColumn(table, roleColumn(spec.columns, 'frequency'), 'frequency').values;
    const rec = numberColumn(table, roleColumn(spec.columns, 'recency'), 'recency').values;
    const T = numberColumn(table, roleColumn(spec.columns, 'T'), 'T').values;
    const mName = roleColumn(spec.columns, 'monetary', true);
    const m = mName ? numberColumn(table, mName, 'monetary').values : undefined;
    const n = table.rows;
    for (let i = 0; i < n; i++) {
      const row = `Row ${i + 1}`;
      if (!Number.isFinite(f[i]) || f[i] < 0 || !Number.isInteger(f[i])) throw new InputError(`${row}: frequency must be a whole number >= 0, got ${f[i]}.`);
      if (!Number.isFinite(rec[i]) || rec[i] < 0) throw new InputError(`${row}: recency must be a number >= 0, got ${rec[i]}.`);
      if (!Number.isFinite(T[i]) || T[i] <= 0) throw new InputError(`${row}: T must be a number > 0, got ${T[i]}.`);
      if (rec[i] > T[i] + 1e-9) throw new InputError(`${row}: recency (${rec[i]}) is larger than T (${T[i]}).`);
      if (f[i] === 0 && rec[i] !== 0) throw new InputError(`${row}: frequency is 0 but recency is ${rec[i]} (it must be 0).`);
      if (m && f[i] > 0 && !(m[i] >= 0)) throw new InputError(`${row}: monetary must be a number >= 0 for a repeat customer, got ${m[i]}.`);
    }
    const idCol = roleColumn(spec.columns, 'customer', true);
    const ids = idCol ? labelColumn(table, idCol, 'customer') : Array.from({ length: n }, (_, i) => String(i + 1));
    return {
      ids,
      frequency: Float64Array.from(f),
      recency: Float64Array.from(rec),
      T: Float64Array.from(T),
      monetary: Float64Array.from({ length: n }, (_, i) => (m && f[i] > 0 ? m[i] : NaN)),
      firstPurchase: new Float64Array(0),
      repeatsByPeriod: new Float64Array(0),
      start: NaN,
      timeUnit,
    };
  }
  const customer = labelColumn(table, roleColumn(spec.columns, 'customer'), 'customer');
  const date = dateColumn(table, roleColumn(spec.columns, 'date'), 'date').values;
  const amountName = roleColumn(spec.columns, 'amount', true);
  const amount = amountName ? numberColumn(table, amountName, 'amount').values : undefined;
  const channelName = roleColumn(spec.columns, 'channel', true);
  if (channelName && !amount) throw new InputError('The channel role needs the amount column: the value per acquisition channel is a sum of spend.');
  const rfm = summariseTransactions(customer, date, amount, {
    timeUnit,
    observationEnd,
    calibrationEnd,
    keepPurchases: channelName !== undefined,
  });
  if (!channelName) return rfm;
  return { ...rfm, channel: acquisitionChannels(rfm.ids, customer, date, labelColumn(table, channelName, 'channel')) };
}

/**
 * Each customer's acquisition channel: the channel on the row of their first purchase (the
 * earliest date; on a tie, the first such row). Later rows may carry other channels (a repeat order
 * that came through another channel); they do not change who acquired the customer.
 */
export function acquisitionChannels(ids: readonly string[], customer: readonly string[], date: ArrayLike<number>, channel: readonly string[]): string[] {
  const first = new Map<string, number>();
  for (let i = 0; i < customer.length; i++) {
    const k = first.get(customer[i]);
    if (k === undefined || date[i] < date[k]) first.set(customer[i], i);
  }
  return ids.map((id) => {
    const row = first.get(id)!;
    if (channel[row] === '') throw new InputError(`Row ${row + 1}: customer "${id}" has no channel on their first purchase.`);
    return channel[row];
  });
}
