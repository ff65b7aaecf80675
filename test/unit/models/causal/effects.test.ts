/**
 * Effect summaries from counterfactual draws, checked on small hand-made draws whose answers are
 * exact; the written summary (placebo first, flow / stock / unsure headlines, units, the noise
 * warning); flow-or-stock detection on simulated series and on the fixtures; the time-axis parsing
 * with its specific errors.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { createRng } from '../../../../src/engine/rng';
import { effectSeries, effectSummary } from '../../../../src/models/causal/effects';
import { detectOutcomeKind, outcomeKindOption, outcomeText, type OutcomeKindDecision } from '../../../../src/models/causal/outcome';
import { causalSummary, formatAmount, noiseSentence, type SummaryInput } from '../../../../src/models/causal/summary';
import { geoTotals } from '../../../../src/models/causal/tbr';
import { fixtureTable } from './fit';
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

  it('formats amounts for a sentence', () => {
    expect(formatAmount(147337.1)).toBe('147,000');
    expect(formatAmount(-26.57)).toBe('-26.6');
    expect(formatAmount(2.9467)).toBe('2.95');
  });
});

describe('written summary', () => {
  const observed = [10, 10, 15, 17];
  const counterfactual = [Float64Array.from([10, 10, 10, 10]), Float64Array.from([9, 11, 11, 11]), Float64Array.from([11, 9, 16, 18])];
  const effect = effectSummary({ observed, counterfactual, start: 2, end: 4 });
  const flow: OutcomeKindDecision = { kind: 'flow', source: 'config', reason: '' };
  const stock: OutcomeKindDecision = { kind: 'stock', source: 'config', reason: '' };
  const base = (over: Partial<SummaryInput> = {}): SummaryInput => ({
    effect,
    outcome: outcomeText({}, 'all'),
    kind: flow,
    subject: 'the campaign',
    periodWord: 'test days',
    ...over,
  });
  // A placebo whose HDI excludes 0: 2 points, cumulative 3 +- 0 on every draw.
  const placeboEffect = effectSummary({ observed: [4, 4], counterfactual: [Float64Array.from([2.5, 2.5]), Float64Array.from([2.5, 2.5])], start: 0, end: 2 });

  it('a flow: the total over the window is the headline, then the average; the column is named as the outcome', () => {
    const s = causalSummary(base());
    expect(s).toMatch(/^Over the 2 test days, the campaign added about 6\.67 to the outcome "all" in total \(94% interval -2 to 12\), [\d.]+% over what was expected\. That is 3\.33 per period on average/);
    expect(s).toMatch(/probability that the effect is positive is 66\.7%\.$/);
    expect(s).not.toMatch(/all (added|jumps|was)/);
  });

  it('a stock: the average level difference with its unit, nothing summed', () => {
    const s = causalSummary(base({ kind: stock, outcome: outcomeText({ outcomeLabel: 'banks in business', unit: 'banks' }, 'bib6') }));
    expect(s).toMatch(/^Over the 2 test days, banks in business was higher by about 3\.33 banks on average than expected without the campaign \(94% interval -1 to 6\), [\d.]+% above the expected level\./);
    expect(s).not.toMatch(/6\.67|in total|Summed/);
  });

  it('unsure: the average first, then the total with what it would take to mean something', () => {
    const kind: OutcomeKindDecision = { kind: 'unsure', source: 'detected', reason: 'its pre-period values persist' };
    const s = causalSummary(base({ kind }));
    expect(s).toMatch(/^Over the 2 test days, the outcome "all" was higher by about 3\.33 on average/);
    expect(s).toMatch(/Summed over the 2 points that is 6\.67 \(94% interval -2 to 12\), a meaningful total only if "all" is an amount per period/);
    expect(s).toMatch(/the data do not tell which, since its pre-period values persist: set the outcome kind to say\.$/);
  });

  it('a failed placebo comes first and qualifies the probability; a passed one is not mentioned', () => {
    const failed = causalSummary(base({ kind: stock, placebo: { effect: placeboEffect, coversZero: false, at: '2020-01-01' } }));
    expect(failed).toMatch(
      /^Careful: the placebo test, a fake intervention inside the pre-period \(at 2020-01-01\), also finds an effect of about 1\.5 on average \(94% interval 1\.5 to 1\.5\), so this estimate may reflect a pre-existing difference, not the campaign\. Over the 2 test days/,
    );
    expect(failed).toMatch(/66\.7% if the model's assumptions hold, which the placebo test puts in doubt\./);
    // For a flow the placebo's total over its window is given.
    expect(causalSummary(base({ placebo: { effect: placeboEffect, coversZero: false, at: 'x' } }))).toMatch(/^Careful: .* finds an effect of about 3 in total over its 2 points/);
    const passed = causalSummary(base({ placebo: { effect: placeboEffect, coversZero: true, at: 'x' } }));
    expect(passed).not.toMatch(/placebo|Careful/);
    expect(passed).toBe(causalSummary(base()));
  });

  it('the noise warning: autocorrelated residuals always, daily data always, otherwise nothing', () => {
    expect(noiseSentence({ lag1: 0.96, points: 365, daily: false })).toMatch(/treats the noise as independent .* autocorrelated \(lag-1 autocorrelation 0\.96\), so the intervals are too narrow: aggregate to weeks/);
    expect(noiseSentence({ lag1: 0.05, points: 42, daily: true })).toMatch(/^Daily noise is treated as independent .* 0\.05\).*aggregate to weeks/);
    // 0.2 on 42 points is below 2 / sqrt(42) = 0.31: within chance, and not daily: nothing to say.
    expect(noiseSentence({ lag1: 0.2, points: 42, daily: false })).toBe('');
    expect(noiseSentence({ lag1: 0.4, points: 42, daily: false })).toMatch(/autocorrelated \(lag-1 autocorrelation 0\.40\)/);
    expect(causalSummary(base({ noise: { lag1: 0.5, points: 100, daily: false } }))).toMatch(/66\.7%\. The model treats the noise as independent/);
  });

  it('a detected kind is stated with its evidence', () => {
    const kind: OutcomeKindDecision = { kind: 'stock', source: 'detected', reason: 'it keeps the same value from one point to the next at 98% of the pre-period points' };
    expect(causalSummary(base({ kind }))).toMatch(/"all" is read as a stock, a level, since it keeps the same value .* \(set the outcome kind to flow if it is an amount per period\)\.$/);
  });

  it('rejects a bad label, unit or kind', () => {
    expect(() => outcomeText({ unit: 3 }, 'y')).toThrow(/config.unit must be text, got 3/);
    expect(() => outcomeText({ outcomeLabel: 'a\nb' }, 'y')).toThrow(/config.outcomeLabel must be one line/);
    expect(outcomeText({ outcomeLabel: '  ', unit: '' }, 'y')).toEqual({ name: 'y', phrase: 'the outcome "y"', short: '"y"' });
    expect(() => outcomeKindOption('level', [1, 2], 2)).toThrow(/config.outcomeKind must be "flow" .* "stock" .* or "auto", got "level"/);
    expect(outcomeKindOption('stock', [1, 2, 3], 3)).toEqual({ kind: 'stock', source: 'config', reason: '' });
  });
});

describe('flow or stock', () => {
  it('simulated: iid counts are a flow, a level that moves now and then a stock, a trend unsure', () => {
    const rng = createRng(5);
    // Poisson(3) counts per day, by inversion.
    const poisson = (lambda: number) => {
      let k = 0;
      let p = Math.exp(-lambda);
      let c = p;
      const u = rng.uniform();
      while (u > c) {
        k++;
        p *= lambda / k;
        c += p;
      }
      return k;
    };
    const counts = Array.from({ length: 200 }, () => poisson(3));
    expect(detectOutcomeKind(counts, 200).kind).toBe('flow');
    // Sparse counts (mostly 0) repeat often, but only as zeros: still a flow.
    const sparse = Array.from({ length: 200 }, () => poisson(0.3));
    expect(detectOutcomeKind(sparse, 200).kind).toBe('flow');
    let level = 500;
    const stores = Array.from({ length: 200 }, () => (level += rng.uniform() < 0.1 ? (rng.uniform() < 0.5 ? -1 : 1) : 0));
    expect(detectOutcomeKind(stores, 200)).toMatchObject({ kind: 'stock', source: 'detected' });
    const trend = Array.from({ length: 30 }, (_, i) => 120 - 2 * i + rng.normal());
    expect(detectOutcomeKind(trend, 30).kind).toBe('unsure');
    expect(detectOutcomeKind(counts, 5)).toMatchObject({ kind: 'unsure', reason: '5 pre-period points are too few to tell' });
    expect(detectOutcomeKind(new Array(20).fill(0), 20)).toMatchObject({ kind: 'unsure' });
    // Only the pre-period decides: a flow that is held flat after the intervention stays a flow.
    expect(detectOutcomeKind([...counts.slice(0, 50), ...new Array(150).fill(4)], 50).kind).toBe('flow');
  });

  it('fixtures: banks in business are a stock, the geo experiment’s daily sales a flow, Prop 99 unsure', async () => {
    const banks = await fixtureTable('banks.csv');
    const bib6 = banks.columns.find((c) => c.name === 'bib6')!.values as Float64Array;
    // Pre-period: 1929-07-01 .. 1930-06-30, the first 365 rows.
    const b = detectOutcomeKind(bib6, 365);
    expect(b.kind).toBe('stock');
    expect(b.reason).toMatch(/same value from one point to the next at 98% of the pre-period points/);
    const geo = await fixtureTable('geo_experiment_salesandcost.csv');
    const spec: FitSpec = { dataset: 'geo', model: 'tbr', columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group' } };
    const totals = geoTotals(geo, spec);
    // Pre-period 2015-01-05 .. 2015-02-15: 42 days; lag-1 autocorrelation of the daily totals 0.44.
    const g = detectOutcomeKind(totals.treatment, 42);
    expect(g.kind).toBe('flow');
    expect(g.reason).toMatch(/lag-1 autocorrelation 0\.44/);
    const prop99 = await fixtureTable('california_prop99.csv');
    const ca = prop99.columns.find((c) => c.name === 'California')!.values as Float64Array;
    // Packs per capita per year, 1970-1988: a flow, but as smooth as a level (lag-1 0.81): unsure.
    expect(detectOutcomeKind(ca, 19).kind).toBe('unsure');
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
