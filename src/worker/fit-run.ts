/**
 * The worker side of `studio.fit`: find the dataset, run the fit, store the run (one transaction,
 * so a failed or cancelled fit leaves nothing behind).
 */
import { InputError } from '../api/errors';
import type { FitSpec, RunResult } from '../api/types';
import type { Table } from '../data/table';
import type { BackendName } from '../api/types';
import type { Helpers } from './chain-host';
import { runFit } from '../models/run-fit';
import { findDataset, putRun } from '../store/db';
import { confirmStore, type JobContext } from './job';

/**
 * `backend` names the backend the fit runs on, given the dataset's table: the worker's automatic
 * choice times the fit's own model there (backend-probe.ts) before the fit starts. `helpers`, given
 * the table and that backend, readies helper workers to run shares of the chains (none: all run here).
 */
export async function fitAndStore(
  runId: string,
  spec: FitSpec,
  backend: (table: Table) => Promise<BackendName>,
  ctx: JobContext,
  helpers?: (table: Table, backend: BackendName) => Helpers,
): Promise<RunResult> {
  if (!spec || typeof spec.dataset !== 'string' || typeof spec.model !== 'string') {
    throw new InputError('fit needs { dataset, model, columns }.');
  }
  const stored = await findDataset(spec.dataset);
  if (!stored) throw new InputError(`No dataset "${spec.dataset}" (by id or name). Load it first on the Data page.`);
  const chosen = await backend(stored.table);
  const ready = helpers?.(stored.table, chosen);
  let result: RunResult;
  try {
    result = await runFit(stored.table, stored.info.id, { ...spec, columns: spec.columns ?? {} }, runId, chosen, { ...ctx, peers: ready?.open });
  } finally {
    await ready?.release();
  }
  await confirmStore(ctx);
  // Refused when the dataset was deleted meanwhile (putRun checks in its transaction).
  await putRun({ result, datasetName: stored.info.name });
  return result;
}
