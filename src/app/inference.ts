/**
 * The inference settings a page asks for (method, chains, warm-up, draws, seed, until converged
 * and its time budget) and the spec they send.
 */
import type { InferenceSpec } from '../api/types';
import { INFERENCE_OPTIONS as O } from '../models/inference-options';
import type { InferenceChoice } from '../ui/inference-choice';

export type { InferenceChoice } from '../ui/inference-choice';

/** The worker's defaults (declared in src/models/inference-options.ts), shown in the form. */
export function defaultInference(): InferenceChoice {
  return {
    method: O.method.default,
    chains: O.chains.default,
    warmup: O.warmup.default,
    draws: O.draws.default,
    seed: O.seed.default,
    untilConverged: O.untilConverged.default,
    budgetSeconds: O.budgetSeconds.default,
  };
}

/** What goes into `FitSpec.inference`: MAP takes only a seed (for its Laplace draws); the budget goes only with until-converged. */
export function inferenceSpec(c: InferenceChoice): InferenceSpec {
  if (c.method === 'map') return { method: 'map', seed: c.seed };
  const base = { method: 'mcmc' as const, chains: c.chains, warmup: c.warmup, draws: c.draws, seed: c.seed };
  return c.untilConverged ? { ...base, untilConverged: true, budgetSeconds: c.budgetSeconds } : { ...base, untilConverged: false };
}
