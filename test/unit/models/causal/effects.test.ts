/**
 * Effect summaries from counterfactual draws, checked on small hand-made draws whose answers are
 * exact, and the time-axis parsing with its specific errors.
 */
import { describe, expect, it } from 'vitest';
import { effectSeries, effectSummary, formatAmount, summarySentence } from '../../../../src/models/causal/effects';
import { parseTimePoint, requireEvenSpacing, requirePrePeriod, sortUniqueTimes, splitIndex, type TimeColumn } from '../../../../src/models/causal/time-axis';
import { placeboSplit } from '../../../../src/models/causal/time-series';

describe('effect summaries', () => {
  // 4 rows, post period = rows 2..3; three draws of the counterfactual.
  const observed = [10, 10, 15, 17];
  const counterfactual = [Float64Array.from([10, 10, 10, 10]), Float64Array.from([9, 11, 11, 11]), Float64Array.from([11, 9, 16, 18])];
  const input = { observed, counterfactual, start: 2, end: 4 };

  it('cumulative, average, relative effect and P(effect > 0) per draw', () => {
    const s = effectSummary(input);
    // Cumulative per draw: 32-20 = 12, 32-22 = 10, 32-34 = -2; mean 20/3; sd (ddof 1) of (12, 10, -2).
    expect(s.cumulativeEffect.mean).toBeCloseTo(20 / 3, 12);
    expect(s.cumulativeEffect.sd).toBeCloseTo(Math.sqrt(((12 - 20 / 3) ** 2 + (10 - 20 / 3) ** 2 + (-2 - 20 / 3) ** 2) / 2), 12);
    expect(s.averageEffect.mean).toBeCloseTo(10 / 3, 12);
    // Relative per draw: 12/20, 10/22, -2/34.
    expect(s.relativeEffect!.mean).toBeCloseTo((12 / 20 + 10 / 22 - 2 / 34) / 3, 12);
    expect(s.probPositive).toBeCloseTo(2 / 3, 12);
    expect(s.periods).toBe(2);
  });

  it('drops the relative effect when the counterfactual total changes sign across draws', () => {
    const s = effectSummary({ observed: [1, 1], counterfactual: [Float64Array.from([0, 1]), Float64Array.from([0, -1])], start: 1, end: 2 });
    expect(s.relativeEffect).toBeUndefined();
  });

  it('series: pointwise and running-sum effects', () => {
    const s = effectSeries(input, [1, 2, 3, 4], 'number');
    expect(s.effect.map((e) => e.mean)).toEqual([0, 0, 15 - 37 / 3, 17 - 39 / 3].map((v) => expect.closeTo(v, 12)));
    expect(s.counterfactual[0].mean).toBeCloseTo(10, 12);
    expect(s.cumulative.length).toBe(2);
    expect(s.cumulative[1].mean).toBeCloseTo(20 / 3, 12);
    expect([s.postStart, s.postEnd]).toEqual([2, 4]);
  });

  it('says it in words', () => {
    expect(formatAmount(147337.1)).toBe('147,000');
    expect(formatAmount(-26.57)).toBe('-26.6');
    expect(formatAmount(2.9467)).toBe('2.95');
    const s = summarySentence(effectSummary(input), 'the campaign', 'test days');
    expect(s).toMatch(/^Over the 2 test days, the campaign added about 6\.67 in total \(94% interval -2 to 12\), [\d.]+% over what was expected\./);
    expect(s).toMatch(/probability that the effect is positive is 66\.7%/);
  });
});

describe('time axis', () => {
  const years: TimeColumn = { name: 'Year', kind: 'number', values: Float64Array.from({ length: 31 }, (_, i) => 1970 + i) };
  const dates: TimeColumn = { name: 'date', kind: 'date', values: Float64Array.from({ length: 10 }, (_, i) => Date.UTC(2020, 0, 1 + 7 * i)) };

  it('reads intervention dates on the column scale', () => {
    expect(parseTimePoint(1989, years, 'treatmentStart')).toBe(1989);
    expect(parseTimePoint('1989', years, 'treatmentStart')).toBe(1989);
    expect(parseTimePoint('1989-01-01', years, 'treatmentStart')).toBe(1989);
    expect(parseTimePoint('2020-02-05', dates, 'treatmentStart')).toBe(Date.UTC(2020, 1, 5));
    expect(() => parseTimePoint(undefined, dates, 'treatmentStart')).toThrow(/Set config.treatmentStart/);
    expect(() => parseTimePoint('2020-02-30', dates, 'treatmentStart')).toThrow(/not a valid date/);
    expect(() => parseTimePoint(5, dates, 'treatmentStart')).toThrow(/must be a date like/);
    const days: TimeColumn = { name: 'day', kind: 'number', values: Float64Array.from([10775, 10776]) };
    expect(() => parseTimePoint('1930-07-01', days, 'treatmentStart')).toThrow(/not years/);
  });

  it('rejects an intervention outside the data and a short pre-period', () => {
    expect(splitIndex(years.values, 1989, 'number', 'treatmentStart')).toBe(19);
    expect(() => splitIndex(years.values, 2001, 'number', 'treatmentStart')).toThrow(/config.treatmentStart 2001 is outside the data \(1970 to 2000\)/);
    expect(() => splitIndex(years.values, 1970, 'number', 'treatmentStart')).toThrow(/outside the data/);
    expect(() => requirePrePeriod(3, 6, 1973, 'number', 'x')).toThrow(/pre-period \(before 1973\) has only 3 time points; at least 6 are needed/);
  });

  it('sorts, and names duplicate times and gaps', () => {
    const t: TimeColumn = { name: 't', kind: 'number', values: Float64Array.from([3, 1, 2]) };
    expect(sortUniqueTimes(t).order).toEqual([1, 2, 0]);
    expect(() => sortUniqueTimes({ ...t, values: Float64Array.from([1, 2, 1]) })).toThrow(/Rows 1 and 3 have the same time 1/);
    expect(() => requireEvenSpacing(Float64Array.from([1, 2, 3, 5]), 'number', 't')).toThrow(/3 is followed by 5/);
    const months = Float64Array.from([0, 1, 2, 3], (m) => Date.UTC(2021, m, 1));
    expect(() => requireEvenSpacing(months, 'date', 'date')).not.toThrow();
  });

  it('chooses the placebo window inside the pre-period', () => {
    const warnings: string[] = [];
    expect(placeboSplit(19, 12, 5, undefined, warnings)).toBe(13);
    expect(placeboSplit(42, 28, 7, undefined, warnings)).toBe(28);
    expect(placeboSplit(6, 10, 5, undefined, warnings)).toBeUndefined();
    expect(warnings[0]).toMatch(/No placebo test/);
    expect(() => placeboSplit(19, 12, 5, 3, [])).toThrow(/placeboStart/);
    // A fit window where the outcome never moves has nothing to fit (its noise scale would collapse).
    const flat = [...new Array(13).fill(141), 139, 140, 141, 138, 137, 136];
    const notes: string[] = [];
    expect(placeboSplit(19, 12, 5, undefined, notes, flat)).toBeUndefined();
    expect(notes[0]).toMatch(/No placebo test: the outcome is constant over the 13 points/);
    expect(placeboSplit(19, 12, 5, 15, [], flat)).toBe(15);
  });
});
