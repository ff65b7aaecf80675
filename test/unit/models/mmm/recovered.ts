/** Recovery checks shared by the MMM recovery tests (MAP in recovery.test.ts, MCMC in recovery-mcmc.test.ts). */
import { expect } from 'vitest';
import type { Estimate, RunResult } from '../../../../src/api/types';
import type { MmmOutputs } from '../../../../src/models/mmm/outputs';
import type { simulateMmm } from './simulate';

/** Expects `truth` inside the 94% HDI of `e`, naming what was checked. */
export function expectInsideHdi(e: Estimate, truth: number, label: string): void {
  expect(truth, `${label}: ${truth} vs [${e.hdiLow}, ${e.hdiHigh}]`).toBeGreaterThanOrEqual(e.hdiLow);
  expect(truth, `${label}: ${truth} vs [${e.hdiLow}, ${e.hdiHigh}]`).toBeLessThanOrEqual(e.hdiHigh);
}

/** The PyMC-Marketing example's true adstock alphas, saturation lams (max-scaled axis) and shares inside the run's HDIs. */
export function expectExampleRecovered(run: RunResult, truth: ReturnType<typeof simulateMmm>['truth']): MmmOutputs {
  ['x1', 'x2'].forEach((ch, c) => {
    expectInsideHdi(run.parameters[`adstock_alpha[${ch}]`], truth.alpha[c], `alpha ${ch}`);
    expectInsideHdi(run.parameters[`saturation_lam[${ch}]`], truth.lamScaled[c], `lam ${ch}`);
  });
  const out = run.outputs as unknown as MmmOutputs;
  ['x1', 'x2'].forEach((ch, c) => expectInsideHdi(out.channels[ch].share, truth.share[c], `share ${ch}`));
  return out;
}
