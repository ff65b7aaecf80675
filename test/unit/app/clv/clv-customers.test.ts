/** The count models' customer table: its sort order and CSV export. */
import { describe, expect, it } from 'vitest';
import type { ClvCustomers } from '../../../../src/app/clv/clv-charts';
import { customerOrder, customersCsv } from '../../../../src/app/clv/clv-customers';

const cols = (mean: number[]) => ({ mean, sd: mean.map(() => 0.1), hdiLow: mean.map((v) => v / 2), hdiHigh: mean.map((v) => v * 2) });

const customers: ClvCustomers = {
  id: ['b', 'a', 'c'],
  frequency: [2, 5, 0],
  pAlive: cols([0.5, 0.9, 0.2]),
  expectedPurchases: cols([1, 3, 0.5]),
  segment: ['next 30%', 'top 20%', 'bottom 50%'],
};

describe('customer table', () => {
  it('sorts by a column either way; CLV falls back to expected purchases in a run without spend', () => {
    expect(customerOrder(customers, 'id', false)).toEqual([1, 0, 2]);
    expect(customerOrder(customers, 'frequency', true)).toEqual([1, 0, 2]);
    expect(customerOrder(customers, 'pAlive', false)).toEqual([2, 0, 1]);
    expect(customerOrder(customers, 'clv', true)).toEqual([1, 0, 2]);
    // A column the run does not have reads 0 for everyone: the order stays as stored.
    expect(customerOrder(customers, 'T', true)).toEqual([0, 1, 2]);
  });

  it('exports the columns the run has, each estimate with its interval, in the shown order', () => {
    const { header, rows } = customersCsv(customers, [1, 0, 2]);
    expect(header).toEqual([
      'customer', 'frequency', 'recency', 'T', 'monetary',
      'p_alive', 'p_alive_low', 'p_alive_high', 'expected_purchases', 'expected_purchases_low', 'expected_purchases_high', 'segment',
    ]);
    expect(rows[0]).toEqual(['a', 5, '', '', '', 0.9, 0.45, 1.8, 3, 1.5, 6, 'top 20%']);
    expect(rows.map((r) => r[0])).toEqual(['a', 'b', 'c']);
  });
});
