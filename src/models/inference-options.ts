/**
 * The inference settings of a fit (`FitSpec.inference`), declared once (models/options.ts): the
 * worker reads them with these defaults and bounds (run-fit.ts) and the pages show the same
 * defaults (app/inference.ts). Tfjs-free, so the pages can import it.
 */
import type { OptionDeclarations } from './options';

/** Longest budget an until-converged run may ask for, seconds (the stall guard allows far less idle time). */
export const MAX_BUDGET_SECONDS = 3600;

/** `FitSpec.inference`'s settings: method, chains, warm-up, draws, seed, until converged and its budget. */
export const INFERENCE_OPTIONS = {
  method: {
    type: 'choice',
    choices: ['mcmc', 'map'],
    default: 'mcmc',
    notes: { mcmc: 'full posterior', map: 'mode + Laplace approximation' },
    label: 'Method',
    description: 'MCMC (ChEES-HMC) draws the full posterior; MAP finds the mode and draws from its Laplace approximation (fast, approximate).',
  },
  chains: { type: 'number', integer: true, min: 1, max: 4096, default: 32, label: 'Chains', description: 'MCMC chains run in parallel.' },
  warmup: { type: 'number', integer: true, min: 0, max: 20000, default: 400, label: 'Warm-up', description: 'Warm-up (adaptation) iterations per chain, not kept.' },
  // R-hat needs 4 draws per chain (RHAT_MIN_DRAWS); fewer would make a run that cannot be checked.
  draws: { type: 'number', integer: true, min: 4, max: 20000, default: 250, label: 'Draws per chain', description: 'Draws kept per chain after the warm-up.' },
  seed: { type: 'number', default: 1, label: 'Seed', description: 'Seed of the random numbers: the same seed, data and settings give the same draws.' },
  untilConverged: {
    type: 'boolean',
    default: true,
    label: 'Until converged',
    description: 'MCMC: after the planned draws, keep sampling while R-hat, bulk ESS or divergences fail, until they pass or the budget runs out.',
  },
  workers: {
    type: 'number',
    integer: true,
    min: 1,
    max: 64,
    label: 'Workers',
    description: 'Compute workers a fit’s chains split over (the page decides how many it starts; see README, Compute). Unset: every worker the page started.',
  },
  budgetSeconds: {
    type: 'number',
    above: 0,
    max: MAX_BUDGET_SECONDS,
    unit: 'seconds',
    default: 180,
    label: 'Budget (s)',
    description: 'Wall-clock budget of an until-converged run, seconds from the fit’s start.',
  },
} as const satisfies OptionDeclarations;
