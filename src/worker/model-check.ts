/**
 * Checks of a model before it is fitted, on a stored dataset: its graph (the parameters with their
 * priors and how they combine into the likelihood, engine/model-graph.ts) and its prior predictive
 * (the target drawn from the priors, against the data). Both read the spec as a fit would, so a bad
 * spec gets the fit's own message.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../api/errors';
import type { FitSpec } from '../api/types';
import { modelGraph, type ModelGraph } from '../engine/model-graph';
import { findModel } from '../models/registry';
import type { PriorPredictive } from '../models/types';
import { findDataset } from '../store/db';
import type { Table } from '../data/table';

/** Draws of a prior predictive check unless asked otherwise. */
export const PRIOR_PREDICTIVE_DRAWS = 500;

async function tableOf(spec: FitSpec): Promise<Table> {
  if (!spec || typeof spec.dataset !== 'string' || typeof spec.model !== 'string') throw new InputError('A model check needs { dataset, model, columns }.');
  const stored = await findDataset(spec.dataset);
  if (!stored) throw new InputError(`No dataset "${spec.dataset}" (by id or name). Load it first on the Data page.`);
  return stored.table;
}

/** The graph of `spec`'s model on its dataset. */
export async function modelGraphOf(spec: FitSpec): Promise<ModelGraph> {
  const table = await tableOf(spec);
  const definition = findModel(spec.model);
  let graph: ModelGraph | undefined;
  // Synchronous, so nothing interleaves: the tensors the model builds for its likelihood are released at once.
  tf.tidy(() => {
    const { model } = definition.prepare(table, { ...spec, columns: spec.columns ?? {} });
    if (!model.spec) throw new Error(`The ${definition.label} keeps no parameter definitions to draw.`);
    graph = modelGraph(model.spec.params, model.spec.structure, roleTarget(spec), `${definition.label} likelihood`);
  });
  return graph!;
}

/** The observed node's name without a declared structure: the target, outcome or treated column when the spec names one. */
function roleTarget(spec: FitSpec): string {
  for (const role of ['target', 'outcome', 'treated']) {
    const t = spec.columns?.[role];
    if (typeof t === 'string' && t) return t;
  }
  return 'observed data';
}

/** The prior predictive of `spec`'s model on its dataset (`draws` draws, seeded by `spec.inference.seed` or 1). */
export async function priorPredictiveOf(spec: FitSpec, draws = PRIOR_PREDICTIVE_DRAWS): Promise<PriorPredictive> {
  const table = await tableOf(spec);
  const definition = findModel(spec.model);
  if (!definition.priorPredictive) throw new InputError(`The ${definition.label} has no prior predictive check yet.`);
  if (!Number.isInteger(draws) || draws < 10 || draws > 5000) throw new InputError(`A prior predictive check takes 10 to 5,000 draws, got ${draws}.`);
  return definition.priorPredictive(table, { ...spec, columns: spec.columns ?? {} }, { draws, seed: spec.inference?.seed ?? 1 });
}
