/** The inference settings a page asks for (method, chains, warm-up, draws, seed) and the spec they send. */
import type { InferenceSpec } from '../api/types';

export interface InferenceChoice {
  method: 'mcmc' | 'map';
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
}

/** The worker's defaults (src/models/run-fit.ts INFERENCE_DEFAULTS), shown in the form. */
export function defaultInference(): InferenceChoice {
  return { method: 'mcmc', chains: 32, warmup: 400, draws: 250, seed: 1 };
}

/** What goes into `FitSpec.inference`: MAP takes only a seed (for its Laplace draws). */
export function inferenceSpec(c: InferenceChoice): InferenceSpec {
  return c.method === 'map' ? { method: 'map', seed: c.seed } : { method: 'mcmc', chains: c.chains, warmup: c.warmup, draws: c.draws, seed: c.seed };
}
