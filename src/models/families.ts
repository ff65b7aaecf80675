/**
 * Every model's family, by model name: which results the studio shows for its runs and which runs
 * combine (the LTV/CAC page takes any count model with any MMM). Names only, no tfjs, so the pages
 * read it on the main thread; the registry (registry.ts) fits exactly these models.
 */
import type { ModelName, RunResult } from '../api/types';

/**
 * - `count`: purchase counts of non-contractual customers (BG/NBD and its kin), with CLV;
 * - `spend`: spend per transaction (Gamma-Gamma);
 * - `retention`: contractual or discrete-opportunity retention (sBG, BG/BB);
 * - `cohorts`: the acquisition cohort forecast;
 * - `mmm`: media mix models;
 * - `causal`: causal impact of an intervention (time series, synthetic control, DiD, RD, TBR);
 * - `abtest`: a customer-level A/B test of an incentive.
 */
export type ModelFamily = 'count' | 'spend' | 'retention' | 'cohorts' | 'mmm' | 'causal' | 'abtest';

/** The family of every model. */
export const MODEL_FAMILIES = {
  bgnbd: 'count',
  mbgnbd: 'count',
  paretonbd: 'count',
  gammagamma: 'spend',
  bgbb: 'retention',
  sbg: 'retention',
  cohorts: 'cohorts',
  mmm: 'mmm',
  its: 'causal',
  synthetic_control: 'causal',
  did: 'causal',
  rd: 'causal',
  tbr: 'causal',
  abtest: 'abtest',
} as const satisfies Record<ModelName, ModelFamily>;

/** The models of family `F`. */
export type ModelsOf<F extends ModelFamily> = { [M in ModelName]: (typeof MODEL_FAMILIES)[M] extends F ? M : never }[ModelName];

/** Whether `model` is of `family`. */
export function isOfFamily<F extends ModelFamily>(model: string, family: F): model is ModelsOf<F> {
  return Object.hasOwn(MODEL_FAMILIES, model) && MODEL_FAMILIES[model as ModelName] === family;
}

/** Whether `run` is a run of a model of `family` (its `outputs` then read as that family's). */
export function isRunOf<F extends ModelFamily>(run: RunResult, family: F): run is RunResult<ModelsOf<F>> {
  return isOfFamily(run.model, family);
}
