import { describe, expect, it } from 'vitest';
import { cohortSurvival, cohortTable, periodIndex, periodLabel } from '../../../src/data/cohorts';

const d = (s: string) => Date.parse(`${s}T00:00:00Z`);

// Hand-checked fixture: 4 customers, Jan-Mar 2024.
//   a: Jan (10), Feb (5)          -> cohort 2024-01
//   b: Jan (20), Mar (10), Mar(5) -> cohort 2024-01
//   c: Feb (7)                    -> cohort 2024-02
//   d: Feb (3), Mar (4)           -> cohort 2024-02
const input = {
  customer: ['a', 'b', 'a', 'c', 'd', 'b', 'b', 'd'],
  date: Float64Array.from(['2024-01-03', '2024-01-20', '2024-02-10', '2024-02-01', '2024-02-28', '2024-03-01', '2024-03-15', '2024-03-31'].map(d)),
  amount: Float64Array.from([10, 20, 5, 7, 3, 10, 5, 4]),
};

describe('cohortTable', () => {
  it('monthly retention matrix, by hand', () => {
    const t = cohortTable(input, 'month');
    expect(t.cohorts).toEqual(['2024-01', '2024-02']);
    expect(t.sizes).toEqual([2, 2]);
    expect(t.periods).toBe(3);
    expect(t.active[0]).toEqual([2, 1, 1]);
    expect(t.active[1].slice(0, 2)).toEqual([2, 1]);
    expect(t.active[1][2]).toBeNaN(); // April 2024 is after the data
    expect(t.retention[0]).toEqual([1, 0.5, 0.5]);
    expect(t.revenue![0]).toEqual([30, 5, 15]);
    expect(t.revenue![1].slice(0, 2)).toEqual([10, 4]);
    expect(t.revenueRetention![0]).toEqual([1, 5 / 30, 15 / 30]);
    expect(t.cumulativeRevenuePerCustomer![0]).toEqual([15, 17.5, 25]);
    expect(t.cumulativeRevenuePerCustomer![1].slice(0, 2)).toEqual([5, 7]);
  });

  it('cohorts by a group column count periods from each customer\'s own start', () => {
    const t = cohortTable({ ...input, group: ['search', 'tv', 'search', 'tv', 'search', 'tv', 'tv', 'search'] }, 'month');
    expect(t.cohorts).toEqual(['search', 'tv']);
    expect(t.sizes).toEqual([2, 2]); // search: a, d; tv: b, c
    expect(t.active[0]).toEqual([2, 2, 0]); // a Jan+Feb, d Feb+Mar
    expect(t.active[1]).toEqual([2, 0, 1]); // b Jan, Mar; c Feb
  });

  it('weekly periods start on Monday', () => {
    expect(periodLabel(periodIndex(d('2024-01-03'), 'week'), 'week')).toBe('2024-01-01');
    expect(periodLabel(periodIndex(d('2024-01-07'), 'week'), 'week')).toBe('2024-01-01');
    expect(periodLabel(periodIndex(d('2024-01-08'), 'week'), 'week')).toBe('2024-01-08');
  });

  it('rejects a negative amount with its row', () => {
    expect(() => cohortTable({ ...input, amount: Float64Array.from([10, -1, 5, 7, 3, 10, 5, 4]) }, 'month')).toThrow(/Row 2/);
  });
});

describe('cohortSurvival', () => {
  it('counts alive as "bought in this period or later", censors at the last complete period', () => {
    // Jan cohort: a buys Jan, Mar (alive through Mar), b Jan only, c Jan and Apr 10 (in the incomplete
    // April, so alive through March). Feb cohort: d Feb only, e Feb and Mar.
    const s = cohortSurvival(
      {
        customer: ['a', 'a', 'b', 'c', 'c', 'd', 'e', 'e', 'f'],
        date: Float64Array.from(['2024-01-05', '2024-03-02', '2024-01-09', '2024-01-20', '2024-04-10', '2024-02-11', '2024-02-03', '2024-03-30', '2024-04-12'].map(d)),
      },
      'month',
    );
    expect(s.lastPeriod).toBe('2024-03');
    expect(s.leftOut).toBe(1); // f first bought in April
    expect(s.cohorts.map((c) => [c.name, c.size, c.periods])).toEqual([['2024-01', 3, 2], ['2024-02', 2, 1]]);
    expect(s.cohorts[0].churned).toEqual([1, 0]);
    expect(s.cohorts[0].censored).toEqual([0, 2]);
    expect(s.cohorts[0].observed).toEqual([1, 1 - 1 / 3, 1 - 1 / 3]);
    expect(s.cohorts[1].churned).toEqual([1]);
    expect(s.cohorts[1].censored).toEqual([1]);
    // With an observation end of 2024-04-30 April is complete: c is censored at period 3.
    const april = cohortSurvival(
      { customer: ['a', 'a', 'b', 'c', 'c'], date: Float64Array.from(['2024-01-05', '2024-03-02', '2024-01-09', '2024-01-20', '2024-04-10'].map(d)) },
      'month',
      d('2024-04-30'),
    );
    expect(april.cohorts[0].churned).toEqual([1, 0, 1]);
    expect(april.cohorts[0].censored).toEqual([0, 0, 1]);
  });

  it('grouped cohorts are censored per customer; survival is Kaplan-Meier', () => {
    // Channel "x": g starts Jan (buys Jan, Feb), h starts Mar (Mar only, censored at period 0).
    // Channel "y": i starts Jan (Jan only: churned at 1), j starts Feb (Feb, Mar: censored at 1).
    const s = cohortSurvival(
      {
        customer: ['g', 'g', 'h', 'i', 'j', 'j', 'k'],
        date: Float64Array.from(['2024-01-02', '2024-02-02', '2024-03-03', '2024-01-04', '2024-02-05', '2024-03-06', '2024-03-31'].map(d)),
        group: ['x', 'x', 'x', 'y', 'y', 'y', 'y'],
      },
      'month',
    );
    const [x, y] = s.cohorts;
    expect([x.name, x.size, x.periods, x.churned, x.censored]).toEqual(['x', 2, 2, [0, 1], [0, 0]]);
    expect(x.observed).toEqual([1, 1, 0]);
    expect([y.name, y.size, y.periods, y.churned, y.censored]).toEqual(['y', 3, 2, [1, 0], [1, 0]]);
    // Period 1: 2 at risk (i, j), 1 churned -> 1/2; period 2: nobody at risk -> carried.
    expect(y.observed).toEqual([1, 0.5, 0.5]);
  });

});
