/**
 * The MMM form's lift-test table (its checks in the page's words) and the calibration comparison's
 * choice of the run to compare with (same data and settings, no lift tests).
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../src/api/types';
import { compareRoas, isUncalibratedTwin, liftTestRangeWarnings, uncalibratedSpec } from '../../../../src/app/mmm/calibration';
import type { ResponseModel } from '../../../../src/models/mmm/response';
import { emptyLiftTest, fieldValue, liftTestErrors, withDates, type LiftTestEntry } from '../../../../src/app/mmm/lift-test-rows';
import type { MmmOutputs } from '../../../../src/models/mmm/outputs';

const ok: LiftTestEntry = { channel: 'tv', spendBefore: 100, spendAfter: 150, deltaY: 40, sigma: 10 };

describe('lift-test rows', () => {
  it('accepts a complete row and names each problem of a bad one', () => {
    expect(liftTestErrors(ok, 0, ['tv', 'search'])).toEqual([]);
    expect(liftTestErrors(emptyLiftTest('tv'), 1, ['tv'])).toEqual([
      'Lift test 2: enter the spend per period before.',
      'Lift test 2: enter the spend per period during the test.',
      'Lift test 2: enter the measured lift per period.',
      'Lift test 2: enter the standard error of the lift.',
    ]);
    expect(liftTestErrors({ ...ok, channel: 'radio' }, 0, ['tv'])).toEqual(['Lift test 1: "radio" is not one of the channels chosen above (tv).']);
    expect(liftTestErrors({ ...ok, spendAfter: 100 }, 0, ['tv'])).toEqual(['Lift test 1: the spend during the test equals the spend before it; a lift test must change the spend.']);
    expect(liftTestErrors({ ...ok, deltaY: -5 }, 0, ['tv'])[0]).toMatch(/^Lift test 1: spend went up, so the lift must be above 0/);
    expect(liftTestErrors({ ...ok, spendAfter: 50 }, 0, ['tv'])[0]).toMatch(/^Lift test 1: spend went down, so the lift must be below 0/);
    expect(liftTestErrors({ ...ok, sigma: 0, spendBefore: -1 }, 2, ['tv'])).toEqual(['Lift test 3: spend cannot be negative.', 'Lift test 3: the standard error must be above 0.']);
    // Given by dates: the spend is the data's, the dates are asked for instead.
    const dated = withDates(ok, true);
    expect(dated).toMatchObject({ spendBefore: null, spendAfter: null, start: '', end: '' });
    expect(liftTestErrors(dated, 0, ['tv'])).toEqual(["Lift test 1: enter the test's first date.", "Lift test 1: enter the test's last date."]);
    expect(liftTestErrors({ ...dated, start: '2024-03-04', end: '2024-02-26' }, 0, ['tv'])).toEqual(["Lift test 1: the test's last date (2024-02-26) is before its first (2024-03-04)."]);
    expect(liftTestErrors({ ...dated, start: '2024-03-04', end: '2024-03-25', deltaY: -40 }, 0, ['tv'])).toEqual([]);
    expect('start' in withDates(dated, false)).toBe(false);
    expect(fieldValue(' ')).toBeNull();
    expect(fieldValue('abc')).toBeNull();
    expect(fieldValue('1.5e3')).toBe(1500);
  });
});

describe('calibration comparison', () => {
  const run = (id: string, config: Record<string, unknown>, method = 'map'): RunResult =>
    ({
      id,
      model: 'mmm',
      datasetId: 'd1',
      spec: { dataset: 'd1', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['tv'] }, config, inference: { method } },
    }) as unknown as RunResult;

  it('finds the same-settings run without lift tests', () => {
    const calibrated = run('a', { adstock: 'geometric', liftTests: [ok] });
    expect(uncalibratedSpec(calibrated.spec).config).toEqual({ adstock: 'geometric' });
    expect(isUncalibratedTwin(calibrated, run('b', { adstock: 'geometric' }))).toBe(true);
    expect(isUncalibratedTwin(calibrated, run('b', { adstock: 'delayed' }))).toBe(false);
    expect(isUncalibratedTwin(calibrated, run('b', { adstock: 'geometric' }, 'mcmc'))).toBe(false);
    expect(isUncalibratedTwin(calibrated, run('b', { adstock: 'geometric', liftTests: [ok] }))).toBe(false);
    expect(isUncalibratedTwin(calibrated, { ...run('b', { adstock: 'geometric' }), datasetId: 'd2' } as RunResult)).toBe(false);
  });

  it('puts each channel ROAS side by side with the narrowing of its interval', () => {
    const out = (lo: number, hi: number) => ({ channels: { tv: { roas: { mean: (lo + hi) / 2, sd: 1, hdiLow: lo, hdiHigh: hi } } } }) as unknown as MmmOutputs;
    const [row] = compareRoas(out(1, 5), out(2, 4), [ok]);
    expect(row).toMatchObject({ channel: 'tv', tests: 1, narrowing: 0.5 });
    expect(compareRoas(undefined, out(2, 4), [])[0].before).toBeUndefined();
  });

  it('flags a lift test far beyond the channel\'s spend in the data', () => {
    const model = { channels: ['tv'], xMax: [60] } as unknown as ResponseModel;
    // 150 per period: beyond twice a max of 60, within twice a max of 100.
    expect(liftTestRangeWarnings([ok], model)).toHaveLength(1);
    const small = { ...model, xMax: [100] } as ResponseModel;
    expect(liftTestRangeWarnings([ok], small)).toEqual([]);
    const [w] = liftTestRangeWarnings([{ ...ok, spendAfter: 12500 }], small);
    expect(w).toMatch(/^Lift test 1 \(tv\): its spend of 12,500 per period is 125 times the most tv spent in a period of this data \(100\)/);
  });
});
