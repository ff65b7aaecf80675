/**
 * An experiment run as an MMM lift test: the TBR and A/B-test adapters' per-day reading of a run, the scaling to
 * the MMM's period and market (checked against the homogeneous-market derivation it rests on), and
 * the specific refusals.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../src/api/types';
import { abtestMeasurement, experimentLiftTest, tbrMeasurement, toLiftTest } from '../../../../src/models/mmm/experiment-lift';
import { parseLiftTests } from '../../../../src/models/mmm/lift-tests';

const DAY = 86_400_000;

/** A TBR run over 30 daily points whose last 10 are the test: the outputs the adapter reads. */
function tbrRun(outputs: Record<string, unknown> = {}): RunResult {
  const time = Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);
  return {
    id: 'run-tbr',
    model: 'tbr',
    outputs: {
      method: 'tbr',
      series: { time, timeKind: 'date' },
      periods: 10,
      cumulativeEffect: { mean: 700, sd: 70, hdiLow: 570, hdiHigh: 830 },
      incrementalCost: 500,
      spendBefore: 20,
      ...outputs,
    },
  } as unknown as RunResult;
}

describe('tbrMeasurement', () => {
  it('reads the test window per day', () => {
    const m = tbrMeasurement(tbrRun(), 7);
    expect(m).toMatchObject({ spendBefore: 20, spendDuring: 70, lift: 70, liftSd: 7, days: 10, notes: [] });
  });

  it('takes weekly points as 7 days', () => {
    const time = Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + 7 * i * DAY);
    const m = tbrMeasurement(tbrRun({ series: { time, timeKind: 'date' } }), 7);
    expect(m.lift).toBeCloseTo(10, 12);
    expect(m.spendBefore).toBeCloseTo(20 / 7, 12);
    expect(m.days).toBe(70);
  });

  it('says when a numeric time axis is taken as the MMM period', () => {
    const m = tbrMeasurement(tbrRun({ series: { time: [1, 2, 3], timeKind: 'number' } }), 7);
    expect(m.lift).toBeCloseTo(10, 12);
    expect(m.notes[0]).toMatch(/not dates: each is taken to be one MMM period \(7 days\)/);
  });

  it('refuses a run without a spend change', () => {
    expect(() => tbrMeasurement(tbrRun({ incrementalCost: undefined }), 7)).toThrow(/no spend column/);
    expect(() => tbrMeasurement(tbrRun({ incrementalCost: -5 }), 7)).toThrow(/spent no more during the test/);
    expect(() => tbrMeasurement(tbrRun({ spendBefore: undefined }), 7)).toThrow(/refit it/);
  });
});

describe('toLiftTest', () => {
  it('scales per day to the MMM period and up to the whole market', () => {
    const t = experimentLiftTest(tbrRun(), { channel: 'tv', periodDays: 7, marketShare: 0.5 });
    expect(t.channel).toBe('tv');
    expect(t.spendBefore).toBeCloseTo(280, 9);
    expect(t.spendAfter).toBeCloseTo(980, 9);
    expect(t.deltaY).toBeCloseTo(980, 9);
    expect(t.sigma).toBeCloseTo(98, 9);
    // The model's parser takes it as it is.
    expect(parseLiftTests([t], ['tv', 'search'])).toEqual([t]);
  });

  it('is the lift of the whole market curve a homogeneous market implies', () => {
    // Each part of size s_g spending x answers s_g F(x / s_g), F(x) = 3 tanh(x / 400) per period.
    const F = (x: number) => 3 * Math.tanh(x / 400);
    const share = 0.25;
    const [b, dx] = [40, 60]; // the treated part's spend per period before / added (weekly)
    const treatedLift = share * (F((b + dx) / share) - F(b / share));
    const m = { spendBefore: b / 7, spendDuring: (b + dx) / 7, lift: treatedLift / 7, liftSd: 0.1, days: 28, notes: [] };
    const t = toLiftTest(m, { channel: 'tv', periodDays: 7, marketShare: share });
    expect(F(t.spendAfter) - F(t.spendBefore)).toBeCloseTo(t.deltaY, 12);
  });

  it('names what cannot be a lift test', () => {
    const m = tbrMeasurement(tbrRun({ cumulativeEffect: { mean: -50, sd: 70, hdiLow: -180, hdiHigh: 80 } }), 7);
    expect(() => toLiftTest(m, { channel: 'tv', periodDays: 7, marketShare: 1 })).toThrow(/measured no positive lift/);
    expect(() => toLiftTest(tbrMeasurement(tbrRun(), 7), { channel: 'tv', periodDays: 7, marketShare: 0 })).toThrow(/share of the MMM's market must be above 0/);
    expect(() => experimentLiftTest({ ...tbrRun(), model: 'its' } as unknown as RunResult, { channel: 'tv', periodDays: 7, marketShare: 1 })).toThrow(/only tbr, abtest runs can calibrate/);
  });
});

/** An A/B test run of a coupon over 28 days (2024-03-01 to 03-28): the outputs and options the adapter reads. */
function abtestRun(config: Record<string, unknown> = {}, outputs: Record<string, unknown> = {}): RunResult {
  return {
    id: 'run-ab',
    model: 'abtest',
    spec: { dataset: 'a', model: 'abtest', columns: {}, config: { costPerTreated: 0.25, margin: 0.4, testStart: '2024-03-01', testEnd: '2024-03-28', channel: 'coupons', ...config } },
    outputs: {
      method: 'abtest',
      incrementalRevenue: { mean: 2800, sd: 560, hdiLow: 1800, hdiHigh: 3900 },
      cost: { mean: 500, sd: 0, hdiLow: 500, hdiHigh: 500 },
      ...outputs,
    },
  } as unknown as RunResult;
}

describe('abtestMeasurement', () => {
  it('reads the treated customers’ spend from 0 to the cost, and the incremental revenue, per day of the test', () => {
    const m = abtestMeasurement(abtestRun(), 7);
    expect(m).toMatchObject({ spendBefore: 0, days: 28, outcome: 'revenue', channel: 'coupons' });
    expect(m.spendDuring).toBeCloseTo(500 / 28, 12);
    expect(m.lift).toBeCloseTo(100, 12);
    expect(m.liftSd).toBeCloseTo(20, 12);
    expect(m.notes).toHaveLength(1);
    expect(m.notes[0]).toMatch(/control group is taken to have had no spend/);
    // Paid per redemption the cost is uncertain: its mean is used, and a note says so.
    expect(abtestMeasurement(abtestRun({}, { cost: { mean: 500, sd: 40, hdiLow: 430, hdiHigh: 570 } }), 7).notes[1]).toMatch(/per redemption/);
  });

  it('becomes a lift test of a revenue MMM, per period and scaled to the market', () => {
    const t = experimentLiftTest(abtestRun(), { channel: 'coupons', periodDays: 7, marketShare: 0.5, targetIsRevenue: true });
    // Per week 7/28 of the test; the treated customers are half the MMM's market.
    expect(t.spendBefore).toBe(0);
    expect(t.spendAfter).toBeCloseTo(250, 9);
    expect(t.deltaY).toBeCloseTo(1400, 9);
    expect(t.sigma).toBeCloseTo(280, 9);
    expect(parseLiftTests([t], ['coupons', 'tv'])).toEqual([t]);
  });

  it('refuses an MMM whose target is not revenue, and a run that cannot be a lift test', () => {
    const conversion = { channel: 'coupons', periodDays: 7, marketShare: 1 };
    expect(() => experimentLiftTest(abtestRun(), conversion)).toThrow(/calibrates only an MMM whose target is revenue in the same currency/);
    expect(() => experimentLiftTest(abtestRun(), { ...conversion, targetIsRevenue: false })).toThrow(/not marked as revenue/);
    expect(() => abtestMeasurement(abtestRun({ testStart: undefined, testEnd: undefined }), 7)).toThrow(/has no test dates: set its test start and end/);
    expect(() => abtestMeasurement(abtestRun({}, { incrementalRevenue: undefined, cost: undefined }), 7)).toThrow(/no revenue column/);
    expect(() => abtestMeasurement(abtestRun({}, { cost: { mean: 0, sd: 0, hdiLow: 0, hdiHigh: 0 } }), 7)).toThrow(/cost nothing/);
    const loss = abtestRun({}, { incrementalRevenue: { mean: -300, sd: 500, hdiLow: -1200, hdiHigh: 600 } });
    expect(() => experimentLiftTest(loss, { ...conversion, targetIsRevenue: true })).toThrow(/measured no positive lift/);
  });
});
