/**
 * The worker side of `studio.fit`: find the dataset, run the fit, store the run (one transaction,
 * so a failed or cancelled fit leaves nothing behind).
 */
import { InputError } from '../api/errors';
import type { FitSpec, RunResult } from '../api/types';
import { runFit } from '../models/run-fit';
import { findDataset, putRun } from '../store/db';
import { confirmStore, type JobContext } from './job';

export async function fitAndStore(runId: string, spec: FitSpec, backend: string, ctx: JobContext): Promise<RunResult> {
  if (!spec || typeof spec.dataset !== 'string' || typeof spec.model !== 'string') {
    throw new InputError('fit needs { dataset, model, columns }.');
  }
  const stored = await findDataset(spec.dataset);
  if (!stored) throw new InputError(`No dataset "${spec.dataset}" (by id or name). Load it first on the Data page.`);
  const result = await runFit(stored.table, stored.info.id, { ...spec, columns: spec.columns ?? {} }, runId, backend, ctx);
  await confirmStore(ctx);
  // Refused when the dataset was deleted meanwhile (putRun checks in its transaction).
  await putRun({ result, datasetName: stored.info.name });
  return result;
}
