/**
 * The inference settings a page asks for (method, chains, warm-up, draws, seed, until converged
 * and its time budget) and the spec they send.
 */
import type { InferenceSpec } from '../api/types';
import type { InferenceChoice } from '../ui/inference-choice';

export type { InferenceChoice } from '../ui/inference-choice';

/** The worker's defaults (src/models/run-fit.ts INFERENCE_DEFAULTS), shown in the form. */
export function defaultInference(): InferenceChoice {
  return { method: 'mcmc', chains: 32, warmup: 400, draws: 250, seed: 1, untilConverged: true, budgetSeconds: 180 };
}

/** What goes into `FitSpec.inference`: MAP takes only a seed (for its Laplace draws); the budget goes only with until-converged. */
export function inferenceSpec(c: InferenceChoice): InferenceSpec {
  if (c.method === 'map') return { method: 'map', seed: c.seed };
  const base = { method: 'mcmc' as const, chains: c.chains, warmup: c.warmup, draws: c.draws, seed: c.seed };
  return c.untilConverged ? { ...base, untilConverged: true, budgetSeconds: c.budgetSeconds } : { ...base, untilConverged: false };
}
