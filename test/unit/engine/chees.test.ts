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

describe('ChEES trajectory length', () => {
  // Two chains with non-zero statistics, and a third that diverged (left out of the criterion).
  const st = {
    acceptProb: [0.5, 1, 0.9],
    divergent: [0, 0, 1],
    sqDistChange: [2, -1, 50],
    centredDotVelocity: [0.5, 3, 50],
    jitter: 0.4,
  };
  /** The acceptance-weighted criterion gradient at T (paper eq. 6), by hand for `st`. */
  const gradAt = (T: number) => (0.5 * (0.4 * T * 2 * 0.5) + 1 * (0.4 * T * -1 * 3)) / 1.5;

  it('one update is one Adam step (beta1 = 0, beta2 = 0.95, rate 0.025) on log T', () => {
    const s1 = cheesUpdate(cheesInit(0.1, 1), st, 100);
    const g1 = gradAt(1); // -2/3
    const v1 = 0.05 * g1 * g1;
    const logT1 = (0.025 * g1) / (Math.sqrt(v1 / (1 - 0.95)) + 1e-8);
    expect(s1.logTrajectory).toBeCloseTo(logT1, 10);
    expect(s1.adamV).toBeCloseTo(v1, 12);
    // The first average is the iterate itself (weight 1^-0.5).
    expect(s1.logTrajectoryAvg).toBeCloseTo(logT1, 10);

    const s2 = cheesUpdate(s1, st, 100);
    const g2 = gradAt(Math.exp(logT1));
    const v2 = 0.95 * v1 + 0.05 * g2 * g2;
    const logT2 = logT1 + (0.025 * g2) / (Math.sqrt(v2 / (1 - 0.95 ** 2)) + 1e-8);
    expect(s2.logTrajectory).toBeCloseTo(logT2, 10);
    const w = 2 ** -0.5;
    expect(s2.logTrajectoryAvg).toBeCloseTo((1 - w) * logT1 + w * logT2, 10);
    expect(cheesCurrent(s2).trajectoryLength).toBeCloseTo(Math.exp(logT2), 10);
  });

  it('a positive criterion gradient lengthens T, capped at the longest trajectory allowed', () => {
    const up = { ...st, sqDistChange: [2, 1, 0], centredDotVelocity: [0.5, 3, 0] };
    expect(cheesUpdate(cheesInit(0.1, 1), up, 100).logTrajectory).toBeGreaterThan(0);
    expect(cheesUpdate(cheesInit(0.1, 1), up, 1.01).logTrajectory).toBeCloseTo(Math.log(1.01), 12);
  });
});
