/**
 * The CLV models' input layer: transaction logs and RFM summaries from a Table, config checks,
 * and the clear errors bad input gets (row numbers, column names, what was expected).
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import type { Column, Table } from '../../../../src/data/table';
import { isSummaryInput, rfmFromSpec, timeUnitOf } from '../../../../src/models/clv/rfm-input';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const num = (name: string, v: number[]): Column => ({ name, type: 'number', values: Float64Array.from(v) });
const str = (name: string, v: string[]): Column => ({ name, type: 'string', values: v });
const date = (name: string, v: number[]): Column => ({ name, type: 'date', values: Float64Array.from(v) });
const table = (...columns: Column[]): Table => ({ rows: columns[0].values.length, columns });

const log = table(
  str('id', ['a', 'a', 'b', 'a', 'c']),
  date('day', [day('2024-01-01'), day('2024-01-15'), day('2024-01-08'), day('2024-02-12'), day('2024-02-05')]),
  num('amount', [10, 20, 5, 40, 7]),
);
const txSpec = (config?: Record<string, unknown>, columns: Record<string, string> = { customer: 'id', date: 'day', amount: 'amount' }): FitSpec => ({
  dataset: 'd',
  model: 'bgnbd',
  columns,
  ...(config ? { config } : {}),
});

describe('rfmFromSpec: transaction logs', () => {
  it('summarises in the configured unit, with a calibration/holdout split', () => {
    const s = rfmFromSpec(log, txSpec({ timeUnit: 'days', observationEnd: '2024-02-19', calibrationEnd: '2024-01-31' }));
    expect(s.ids).toEqual(['a', 'b']); // c's first purchase is after the calibration end
    expect(Array.from(s.frequency)).toEqual([1, 0]);
    expect(Array.from(s.recency)).toEqual([14, 0]);
    expect(Array.from(s.T)).toEqual([30, 23]);
    expect(s.monetary[0]).toBe(20);
    expect(Array.from(s.holdoutFrequency!)).toEqual([1, 0]);
    expect(s.holdoutLength).toBe(19);
    const w = rfmFromSpec(log, txSpec({ observationEnd: '2024-02-19' }));
    expect(w.timeUnit).toBe('weeks');
    expect(w.T[0]).toBeCloseTo(7, 12);
    expect(w.recency[0]).toBeCloseTo(6, 12);
    // Months are average Gregorian months (30.4375 days).
    const m = rfmFromSpec(log, txSpec({ timeUnit: 'months', observationEnd: '2024-02-19' }));
    expect(m.T[0]).toBeCloseTo(49 / 30.4375, 12);
  });

  it('rejects bad values and config with row/column/expected', () => {
    const bad = (col: Column) => table(log.columns[0], log.columns[1], col);
    expect(() => rfmFromSpec(bad(num('amount', [10, NaN, 5, 40, 7])), txSpec())).toThrow(/Row 2: the amount is missing or not a number/);
    expect(() => rfmFromSpec(bad(num('amount', [10, 20, -5, 40, 7])), txSpec())).toThrow(/Row 3: the amount is negative/);
    expect(() => rfmFromSpec(bad(str('amount', ['10', 'x', '5', '40', '7'])), txSpec())).toThrow(/Column "amount" \(for amount\) must hold numbers/);
    const noDate = table(log.columns[0], date('day', [day('2024-01-01'), NaN, day('2024-01-08'), day('2024-02-12'), day('2024-02-05')]), log.columns[2]);
    expect(() => rfmFromSpec(noDate, txSpec())).toThrow(/Row 2: the date is missing or not a date/);
    const textDate = table(log.columns[0], str('day', ['2024-01-01', 'soon', '', '', '']), log.columns[2]);
    expect(() => rfmFromSpec(textDate, txSpec())).toThrow(/Column "day" \(for date\) must hold dates/);
    expect(() => rfmFromSpec(log, txSpec({ observationEnd: '2024-02-01' }))).toThrow(/Row 4: a transaction on 2024-02-12 is after the observation end 2024-02-01/);
    expect(() => rfmFromSpec(log, txSpec({ observationEnd: '12/02/2024' }))).toThrow(/config.observationEnd must be a date like/);
    expect(() => rfmFromSpec(log, txSpec({ calibrationEnd: '2024-03-01' }))).toThrow(/calibration end 2024-03-01 is after the observation end/);
    expect(() => rfmFromSpec(log, txSpec({ calibrationEnd: '2023-12-01' }))).toThrow(/before the first transaction/);
    expect(() => timeUnitOf(txSpec({ timeUnit: 'years' }))).toThrow(/config.timeUnit must be one of days, weeks, months/);
    expect(() => rfmFromSpec(log, txSpec(undefined, { customer: 'id', amount: 'amount' }))).toThrow(/Choose a column for "date"/);
    const missingId = table(str('id', ['a', '', 'b', 'a', 'c']), log.columns[1], log.columns[2]);
    expect(() => rfmFromSpec(missingId, txSpec())).toThrow(/Row 2: the customer id is missing/);
  });
});

describe('rfmFromSpec: RFM summaries', () => {
  const summary = (f: number[], r: number[], T: number[], m?: number[]) =>
    table(num('x', f), num('t_x', r), num('T', T), ...(m ? [num('m', m)] : []));
  const sumSpec = (withMonetary = false): FitSpec => ({
    dataset: 'd',
    model: 'bgnbd',
    columns: { frequency: 'x', recency: 't_x', T: 'T', ...(withMonetary ? { monetary: 'm' } : {}) },
  });

  it('reads a summary; monetary only for repeat buyers', () => {
    expect(isSummaryInput(sumSpec())).toBe(true);
    expect(isSummaryInput(txSpec())).toBe(false);
    const s = rfmFromSpec(summary([2, 0], [10, 0], [30, 12], [15, 0]), sumSpec(true));
    expect(s.ids).toEqual(['1', '2']);
    expect(Array.from(s.frequency)).toEqual([2, 0]);
    expect(s.monetary[0]).toBe(15);
    expect(s.monetary[1]).toBeNaN(); // no repeat purchases: no observed repeat spend
    expect(s.firstPurchase.length).toBe(0); // no tracking plot from a summary
  });

  it('rejects impossible summaries naming the row', () => {
    expect(() => rfmFromSpec(summary([1.5], [1], [2]), sumSpec())).toThrow(/Row 1: frequency must be a whole number >= 0, got 1.5/);
    expect(() => rfmFromSpec(summary([1, 1], [3, 5], [4, 4]), sumSpec())).toThrow(/Row 2: recency \(5\) is larger than T \(4\)/);
    expect(() => rfmFromSpec(summary([0], [2], [4]), sumSpec())).toThrow(/Row 1: frequency is 0 but recency is 2/);
    expect(() => rfmFromSpec(summary([1], [1], [0]), sumSpec())).toThrow(/Row 1: T must be a number > 0/);
    expect(() => rfmFromSpec(summary([1], [NaN], [3]), sumSpec())).toThrow(/Row 1: recency must be a number >= 0/);
    expect(() => rfmFromSpec(summary([1], [1], [3], [-2]), sumSpec(true))).toThrow(/Row 1: monetary must be a number >= 0/);
  });
});

describe('rfmFromSpec: acquisition channel', () => {
  const withChannel = table(
    str('id', ['a', 'a', 'b', 'a', 'c', 'c']),
    date('day', [day('2024-01-15'), day('2024-01-01'), day('2024-01-08'), day('2024-02-12'), day('2024-02-05'), day('2024-02-05')]),
    num('amount', [20, 10, 5, 40, 7, 3]),
    str('source', ['tv', 'search', 'social', 'tv', 'search', 'tv']),
  );
  const spec = (columns: Record<string, string>) => txSpec({ timeUnit: 'days' }, { customer: 'id', date: 'day', amount: 'amount', ...columns });

  it('takes the channel of each customer’s first purchase (first row on a tie) and keeps the purchases', () => {
    const s = rfmFromSpec(withChannel, spec({ channel: 'source' }));
    const of = (id: string) => s.channel![s.ids.indexOf(id)];
    expect([of('a'), of('b'), of('c')]).toEqual(['search', 'social', 'search']);
    const a = s.purchases![s.ids.indexOf('a')];
    expect(Array.from(a.t)).toEqual([0, 14, 42]);
    expect(Array.from(a.spend)).toEqual([10, 20, 40]);
    // Two rows on one day are one purchase day with their spend summed.
    expect(Array.from(s.purchases![s.ids.indexOf('c')].spend)).toEqual([10]);
  });

  it('names the row of a first purchase without a channel, and needs amounts and a transaction log', () => {
    const blank = table(...withChannel.columns.slice(0, 3), str('source', ['tv', '', 'social', 'tv', 'search', 'tv']));
    expect(() => rfmFromSpec(blank, spec({ channel: 'source' }))).toThrow(/Row 2: customer "a" has no channel on their first purchase/);
    expect(() => rfmFromSpec(withChannel, txSpec({}, { customer: 'id', date: 'day', channel: 'source' }))).toThrow(/channel role needs the amount/);
    const summary = table(num('frequency', [1]), num('recency', [2]), num('T', [3]), str('source', ['tv']));
    expect(() => rfmFromSpec(summary, txSpec({}, { frequency: 'frequency', recency: 'recency', T: 'T', channel: 'source' }))).toThrow(/needs a transaction log/);
  });
});
