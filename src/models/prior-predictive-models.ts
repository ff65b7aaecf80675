/**
 * The models with a prior predictive check (their definition's `priorPredictive`), by name, for
 * the pages (tfjs-free, so the main thread reads it without the registry); a unit test keeps it
 * equal to the registry's.
 */
import type { ModelName } from '../api/types';

export const PRIOR_PREDICTIVE_MODELS: readonly ModelName[] = ['mmm'];
