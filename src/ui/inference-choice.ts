/** The inference settings a form holds (app/inference.ts turns them into a FitSpec's `inference`). */

/** Method, chains, warm-up, draws, seed, and whether to sample until converged within a time budget. */
export interface InferenceChoice {
  method: 'mcmc' | 'map';
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  /** MCMC: keep sampling past `draws` until the run converges or `budgetSeconds` pass. */
  untilConverged: boolean;
  budgetSeconds: number;
}
