import { describe, expect, it } from 'vitest';
import { defaultInference, inferenceSpec } from '../../../src/app/inference';
import { INFERENCE_DEFAULTS } from '../../../src/models/run-fit';

describe('inference settings', () => {
  it('the form starts at the worker’s defaults (MCMC)', () => {
    const { method, ...rest } = defaultInference();
    expect(method).toBe('mcmc');
    expect(rest).toEqual(INFERENCE_DEFAULTS);
  });

  it('MCMC sends chains, warm-up, draws, seed and until-converged with its budget; MAP only its seed', () => {
    const c = { method: 'mcmc' as const, chains: 8, warmup: 300, draws: 1000, seed: 7, untilConverged: true, budgetSeconds: 60 };
    expect(inferenceSpec(c)).toEqual({ method: 'mcmc', chains: 8, warmup: 300, draws: 1000, seed: 7, untilConverged: true, budgetSeconds: 60 });
    expect(inferenceSpec({ ...c, untilConverged: false })).toEqual({ method: 'mcmc', chains: 8, warmup: 300, draws: 1000, seed: 7, untilConverged: false });
    expect(inferenceSpec({ ...c, method: 'map' })).toEqual({ method: 'map', seed: 7 });
  });
});
