import { describe, expect, it } from 'vitest';
import { readFixture } from '../../fixtures/read.mjs';
import { parseCsvText } from '../../../src/data/csv';
import { summariseTransactions } from '../../../src/data/rfm';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('summariseTransactions', () => {
  it('reproduces the published CDNOW calibration summary (39 weeks of 1997)', async () => {
    const text = readFixture('CDNOW_sample.txt');
    const { table } = await parseCsvText(text, 'CDNOW_sample.txt');
    const ids = Array.from(table.columns[0].values as Float64Array, String);
    const s = summariseTransactions(ids, table.columns[2].values as Float64Array, table.columns[4].values as Float64Array, {
      timeUnit: 'weeks',
      observationEnd: day('1998-06-30'),
      calibrationEnd: day('1997-09-30'),
    });
    const ref = readFixture('cdnow_customers_summary_with_transactions.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(s.ids.length).toBe(ref.length);
    // Rows are in first-appearance order, as the reference (customer index 1..2357).
    let sumX = 0;
    for (let i = 0; i < ref.length; i++) {
      const [, x, tx, T, zbar] = ref[i];
      expect(s.frequency[i]).toBe(x);
      // the reference rounds t_x and T to 2 decimals and zbar to cents
      expect(Math.abs(s.recency[i] - tx)).toBeLessThan(0.006);
      expect(Math.abs(s.T[i] - T)).toBeLessThan(0.006);
      if (x > 0) expect(Math.abs(s.monetary[i] - zbar)).toBeLessThan(0.006);
      sumX += s.frequency[i];
    }
    expect(sumX).toBe(ref.reduce((a, r) => a + r[1], 0));
    expect(s.holdoutLength).toBeCloseTo(273 / 7, 6);
    expect(s.holdoutFrequency!.reduce((a, v) => a + v, 0)).toBeGreaterThan(0);
  });

  it('counts same-day purchases once and rejects bad rows with their row number', () => {
    const s = summariseTransactions(['a', 'a', 'a', 'b'], Float64Array.from([day('2024-01-01'), day('2024-01-01'), day('2024-01-15'), day('2024-01-08')]), Float64Array.from([5, 5, 20, 7]), {
      timeUnit: 'weeks',
    });
    expect(Array.from(s.frequency)).toEqual([1, 0]);
    expect(Array.from(s.recency)).toEqual([2, 0]);
    expect(Array.from(s.T)).toEqual([2, 1]);
    expect(s.monetary[0]).toBe(20);
    expect(s.monetary[1]).toBeNaN();
    expect(() => summariseTransactions(['a', 'b'], Float64Array.from([day('2024-01-01'), NaN]), undefined, { timeUnit: 'days' })).toThrow(/Row 2: the date/);
    expect(() => summariseTransactions(['a', 'b'], Float64Array.from([day('2024-01-01'), day('2024-01-02')]), Float64Array.from([1, -3]), { timeUnit: 'days' })).toThrow(
      /Row 2: the amount is negative/,
    );
    expect(() =>
      summariseTransactions(['a', 'b'], Float64Array.from([day('2024-01-01'), day('2024-03-02')]), undefined, { timeUnit: 'days', observationEnd: day('2024-02-01') }),
    ).toThrow(/Row 2: a transaction on 2024-03-02 is after the observation end 2024-02-01/);
  });

  it('summarises CDNOW_master (69,659 rows, 23,570 customers)', async () => {
    const text = readFixture('CDNOW_master.txt');
    const { table } = await parseCsvText(text, 'CDNOW_master.txt');
    expect(table.rows).toBe(69659);
    const s = summariseTransactions(Array.from(table.columns[0].values as Float64Array, String), table.columns[1].values as Float64Array, table.columns[3].values as Float64Array, {
      timeUnit: 'weeks',
    });
    expect(s.ids.length).toBe(23570);
  });
});
