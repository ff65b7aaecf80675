/**
 * ChEES step-size tuning: what it reads off the chains' acceptance. One chain stuck in a narrow
 * region (acceptance 0.05) among seven at 1 pulls the harmonic mean (0.30) below ChEES's 0.651, so
 * the step shrinks; their mean (0.88) is above 0.8, so under `acceptance: 'mean'` it grows.
 */
import { describe, expect, it } from 'vitest';
import { cheesCurrent, cheesInit, cheesUpdate, harmonicMeanAcceptance, meanAcceptance } from '../../../src/engine/adaptation/chees';

const stats = {
  acceptProb: [0.05, 1, 1, 1, 1, 1, 1, 1],
  divergent: [0, 0, 0, 0, 0, 0, 0, 0],
  sqDistChange: new Array<number>(8).fill(0),
  centredDotVelocity: new Array<number>(8).fill(0),
  jitter: 0.5,
};

describe('ChEES step-size target', () => {
  it('harmonic mean vs mean acceptance, a divergent chain counting 0 in the mean', () => {
    expect(harmonicMeanAcceptance(stats.acceptProb, stats.divergent)).toBeCloseTo(8 / 27, 12);
    expect(meanAcceptance(stats.acceptProb, stats.divergent)).toBeCloseTo(7.05 / 8, 12);
    expect(meanAcceptance([1, 1], [0, 1])).toBe(0.5);
  });

  it('moves the step size the way its target says', () => {
    // Dual averaging shrinks towards log(10 x the first step) = log 1: below it when acceptance is
    // under target, above it when over.
    const harmonic = cheesCurrent(cheesUpdate(cheesInit(0.1, 0.3), stats, 100)).stepSize;
    const mean = cheesCurrent(cheesUpdate(cheesInit(0.1, 0.3, 'mean'), stats, 100)).stepSize;
    expect(harmonic).toBeLessThan(1);
    expect(mean).toBeGreaterThan(1);
  });
});
