/**
 * The MMM's prior predictive: with every other prior pinned (tiny scales), the target's spread is
 * the noise's, yMax * sigma * z with sigma ~ HalfNormal(s): its sd is yMax * s (E[sigma^2] = s^2)
 * within Monte Carlo error, and it scales exactly with s (the same seed draws the same standard
 * variates). The default priors allow the simulated data; priors placing the target far away do not.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { mergePriors } from '../../../../src/engine/priors';
import { mmmDefaultPriors } from '../../../../src/models/mmm/mmm';
import { prepareMmmData, type MmmData } from '../../../../src/models/mmm/prepare';
import { mmmPriorPredictive } from '../../../../src/models/mmm/prior-predictive';
import { findModel } from '../../../../src/models/registry';
import { simulateMmm } from './simulate';

const SPEC: FitSpec = { dataset: 'sim', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] } };
const TINY = 1e-9;

function pinned(data: MmmData, s: number) {
  return mergePriors(mmmDefaultPriors(data), {
    intercept: { dist: 'Normal', mu: 0.5, sigma: TINY },
    saturation_beta: { dist: 'HalfNormal', sigma: TINY },
    gamma_control: { dist: 'Normal', mu: 0, sigma: TINY },
    gamma_fourier: { dist: 'Laplace', mu: 0, b: TINY },
    sigma: { dist: 'HalfNormal', sigma: s },
  });
}

describe('MMM prior predictive', async () => {
  const { table } = await parseCsvText(simulateMmm(327).csv, 'data.csv');
  const data = prepareMmmData(table, SPEC);
  const meanSd = (sd: readonly number[]) => sd.reduce((a, b) => a + b, 0) / sd.length;

  it('its spread is the noise prior’s, and scales with the prior’s sigma', () => {
    const draws = 1500;
    const small = mmmPriorPredictive(data, pinned(data, 0.5), { draws, seed: 9 });
    const large = mmmPriorPredictive(data, pinned(data, 2), { draws, seed: 9 });
    // Per row, y = yMax (0.5 + sigma z): sd yMax * s. The sample sd's relative error is about
    // sqrt(var(y^2)) / (2 E[y^2] sqrt(n)) = sqrt(8) / (2 sqrt(1500)) = 3.65% (E[y^4] = 9 s^4 yMax^4);
    // rows share draws, so the row average has about the same error: 4.5 of it.
    expect(Math.abs(meanSd(small.predictive.sd) / (data.yMax[0] * 0.5) - 1)).toBeLessThan(4.5 * 0.0365);
    expect(meanSd(large.predictive.sd) / meanSd(small.predictive.sd)).toBeCloseTo(4, 6);
    // The mean is the pinned intercept's (plus the pinned trend, events and seasonality: 0), within 4.5 MCSE.
    expect(Math.abs(small.predictive.mean[10] - 0.5 * data.yMax[0])).toBeLessThan((4.5 * 0.5 * data.yMax[0]) / Math.sqrt(draws));
    expect(small.samples).toHaveLength(8);
    expect(small.samples[0]).toHaveLength(data.dates.length);
  });

  it('the default priors allow the data; a prior far from it does not', () => {
    const wide = mmmPriorPredictive(data, mergePriors(mmmDefaultPriors(data), undefined), { draws: 300, seed: 1 });
    expect(wide.coverage).toBeGreaterThan(0.95);
    const off = mmmPriorPredictive(
      data,
      mergePriors(mmmDefaultPriors(data), { intercept: { dist: 'Normal', mu: 10, sigma: 0.1 }, sigma: { dist: 'HalfNormal', sigma: 0.01 } }),
      { draws: 300, seed: 1 },
    );
    expect(off.coverage).toBe(0);
  });

  it('is reached through the model definition, which checks the spec first', () => {
    const mmm = findModel('mmm');
    const pp = mmm.priorPredictive!(table, SPEC, { draws: 50, seed: 2 });
    expect(pp.target).toBe('y');
    expect(pp.dates[0]).toBe('2018-04-02');
    expect(() => mmm.priorPredictive!(table, { ...SPEC, config: { priors: { sigmaa: { dist: 'HalfNormal', sigma: 1 } } } }, { draws: 5, seed: 1 })).toThrow(/unknown prior 'sigmaa'/);
  });
});
