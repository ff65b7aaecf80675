/** What each run verdict reads as, and what it means: the badge's label and tooltip, and the report's verdict section. */
import type { RunVerdict } from '../api/types';

/** What each verdict reads as, and what it means. */
export const VERDICT_TEXT: Record<RunVerdict, { label: string; meaning: string }> = {
  converged: { label: 'converged', meaning: 'MCMC: R-hat below 1.01, bulk ESS at least 400 for every parameter, no divergent transition.' },
  approximate: { label: 'approximate', meaning: 'MAP + Laplace: a Gaussian at the mode, not the full posterior. Check it with MCMC.' },
  unconverged: { label: 'not converged', meaning: 'MCMC short of the criteria (R-hat, bulk ESS, divergences): these numbers are not yet an answer.' },
  'placebo-failed': {
    label: 'placebo failed',
    meaning: 'The placebo refit found an effect where there was none: the model does not explain the pre-period, so its effect is not to be trusted.',
  },
};
