/**
 * IndexedDB persistence (through idb) for datasets, runs and settings. Usable from the page and
 * from workers. Each write is one transaction, so a failed write (quota, abort) leaves nothing
 * half-written; quota errors are re-thrown as a plain message the UI can show.
 *
 * A dataset is kept as two records: its description with a few preview rows (`datasets`, what the
 * page lists and previews) and its full columns (`tables`, read only by the worker). Reading a
 * record deserialises all of it on the reading thread: a million-row table costs the page seconds,
 * so the page never reads `tables`.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BackendName, BudgetPlan, DatasetInfo, RunResult, RunSummary } from '../api/types';
import { verdictOf } from '../models/verdict';
import { InputError } from '../api/errors';
import type { Column, Table } from '../data/table';
import type { BackendMeasurement } from '../engine/backend-choice';

/** A dataset as the worker uses it: description and full columns. */
export interface StoredDataset {
  info: DatasetInfo;
  table: Table;
  createdAt: string;
}

/** A dataset as the page lists and previews it: description and the first PREVIEW_ROWS rows. */
export interface DatasetPreview {
  info: DatasetInfo;
  /** The table's first rows (at most PREVIEW_ROWS); `info.rows` is the full count. */
  preview: Table;
  createdAt: string;
}

export interface StoredRun {
  result: RunResult;
  datasetName: string;
  /** The user's name and note for the run (labelRun). */
  name?: string;
  note?: string;
}

export interface Settings {
  /** The backend the user chose; absent: automatic (the fastest measured, per fit). */
  backend?: BackendName;
  /** The automatic choice's measurements, by model family, chain count and device (worker/backend-probe.ts). */
  backendMeasurements?: Record<string, BackendMeasurement>;
  /** Compute workers an MCMC fit's chains split over; absent: the device's cores - 1. */
  workers?: number;
}

/** Rows kept with a dataset's description for the Data page's preview. */
export const PREVIEW_ROWS = 20;

interface StudioSchema extends DBSchema {
  datasets: { key: string; value: DatasetPreview; indexes: { name: string } };
  /** Full columns, keyed by dataset id (out of line). */
  tables: { key: string; value: Table };
  runs: { key: string; value: StoredRun; indexes: { createdAt: string; datasetId: string } };
  settings: { key: string; value: unknown };
}

const DB_NAME = 'marketing-studio';
/** 1: datasets held their full table; 2: tables split off into their own store. */
const DB_VERSION = 2;

let dbPromise: Promise<IDBPDatabase<StudioSchema>> | undefined;

function db(): Promise<IDBPDatabase<StudioSchema>> {
  dbPromise ??= openDB<StudioSchema>(DB_NAME, DB_VERSION, {
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const datasets = database.createObjectStore('datasets', { keyPath: 'info.id' });
        datasets.createIndex('name', 'info.name');
        const runs = database.createObjectStore('runs', { keyPath: 'result.id' });
        runs.createIndex('createdAt', 'result.createdAt');
        runs.createIndex('datasetId', 'result.datasetId');
        database.createObjectStore('settings');
      }
      if (oldVersion < 2) {
        database.createObjectStore('tables');
        // Version 1 records carry their table: move it out, keep a preview.
        let cursor = await tx.objectStore('datasets').openCursor();
        while (cursor) {
          const old = cursor.value as DatasetPreview & { table?: Table };
          if (old.table) {
            await tx.objectStore('tables').put(old.table, old.info.id);
            await cursor.update({ info: old.info, preview: previewOf(old.table), createdAt: old.createdAt });
          }
          cursor = await cursor.continue();
        }
      }
    },
    // Another tab (or worker) opening a newer version waits for this connection: let it go.
    blocking() {
      void dbPromise?.then((database) => database.close());
      dbPromise = undefined;
    },
  });
  return dbPromise;
}

/** The first PREVIEW_ROWS rows of `table`. */
export function previewOf(table: Table): Table {
  const rows = Math.min(table.rows, PREVIEW_ROWS);
  const columns = table.columns.map(
    (c): Column => (c.type === 'string' ? { ...c, values: c.values.slice(0, rows) } : { ...c, values: c.values.slice(0, rows) }),
  );
  return { rows, columns };
}

/** True for the DOMException browsers raise when the origin's storage quota is exhausted. */
function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

async function write<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isQuotaError(error)) {
      throw new Error(
        `Browser storage is full: the ${what} was not saved and nothing was changed. ` +
          'Delete old datasets or runs (Data and Runs pages) and try again.',
      );
    }
    throw error;
  }
}

/** Stores a parsed dataset (description, preview and columns) in one transaction. */
export async function putDataset(dataset: StoredDataset): Promise<void> {
  const database = await db();
  await write('dataset', async () => {
    const tx = database.transaction(['datasets', 'tables'], 'readwrite');
    await Promise.all([
      tx.objectStore('tables').put(dataset.table, dataset.info.id),
      tx.objectStore('datasets').put({ info: dataset.info, preview: previewOf(dataset.table), createdAt: dataset.createdAt }),
      tx.done,
    ]);
  });
}

/** A dataset's description and preview rows, without its columns (cheap for the page). */
export async function getDatasetPreview(id: string): Promise<DatasetPreview | undefined> {
  return (await db()).get('datasets', id);
}

/** Finds a dataset by id, else by name (the newest of that name), with its full columns. */
export async function findDataset(idOrName: string): Promise<StoredDataset | undefined> {
  const database = await db();
  const tx = database.transaction(['datasets', 'tables']);
  const datasets = tx.objectStore('datasets');
  const found =
    (await datasets.get(idOrName)) ??
    (await datasets.index('name').getAll(idOrName)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!found) return undefined;
  const table = await tx.objectStore('tables').get(found.info.id);
  return table && { info: found.info, table, createdAt: found.createdAt };
}

/** Dataset descriptions, newest first (from the small records: no column is read). */
export async function listDatasets(): Promise<DatasetInfo[]> {
  const records = await (await db()).getAll('datasets');
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((d) => d.info);
}

/** Deletes a dataset, its table and its runs in one transaction; an id that names no dataset is an InputError (nothing is deleted). */
export async function deleteDataset(id: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['datasets', 'tables', 'runs'], 'readwrite');
  if ((await tx.objectStore('datasets').getKey(id)) === undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new InputError(`No dataset with id ${JSON.stringify(id)}: nothing was deleted.`);
  }
  const runKeys = await tx.objectStore('runs').index('datasetId').getAllKeys(id);
  await Promise.all([
    tx.objectStore('datasets').delete(id),
    tx.objectStore('tables').delete(id),
    ...runKeys.map((k) => tx.objectStore('runs').delete(k)),
  ]);
  await tx.done;
}

/**
 * Stores a run, in the same transaction as a check that its dataset still exists: a dataset deleted
 * (in this tab or another) while the fit ran refuses the run, so no run points at nothing.
 * (deleteDataset, which also removes the dataset's runs, runs in a transaction over the same stores,
 * so the two cannot interleave.)
 */
export async function putRun(run: StoredRun): Promise<void> {
  const database = await db();
  await write('run', async () => {
    const tx = database.transaction(['datasets', 'runs'], 'readwrite');
    const dataset = await tx.objectStore('datasets').getKey(run.result.datasetId);
    if (dataset !== undefined) await tx.objectStore('runs').put(run);
    await tx.done;
    if (dataset === undefined) {
      throw new InputError(`The dataset "${run.datasetName}" was deleted while the fit ran, so the run was not stored.`);
    }
  });
}

export async function getRun(id: string): Promise<RunResult | undefined> {
  const result = (await (await db()).get('runs', id))?.result;
  // Runs stored before verdicts were recorded get theirs from their stored diagnostics.
  return result && { ...result, verdict: verdictOf(result) };
}

/**
 * Stores (or, with undefined, removes) a run's budget plan, in one transaction with reading the
 * run; an id that names no run is an InputError. Returns the run as stored.
 */
export async function putBudgetPlan(id: string, plan: BudgetPlan | undefined): Promise<RunResult> {
  const database = await db();
  return write('budget plan', async () => {
    const tx = database.transaction('runs', 'readwrite');
    const stored = await tx.store.get(id);
    if (!stored) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new InputError(`No run with id ${JSON.stringify(id)}: the budget plan was not stored.`);
    }
    const { budgetPlan: _old, ...rest } = stored.result;
    const result = (plan ? { ...rest, budgetPlan: plan } : rest) as RunResult;
    await Promise.all([tx.store.put({ ...stored, result }), tx.done]);
    return { ...result, verdict: verdictOf(result) };
  });
}

/** Run summaries, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  const runs = await (await db()).getAllFromIndex('runs', 'createdAt');
  return runs.reverse().map(runSummary);
}

/** What the runs list shows of a stored run. */
export function runSummary({ result, datasetName, name, note }: StoredRun): RunSummary {
  const d = result.diagnostics;
  const method = d.laplace ? 'map' : 'mcmc';
  const n = (v: number) => v.toLocaleString('en-US');
  const warmup = result.spec.inference?.warmup;
  const settings = method === 'map'
    ? `MAP, ${n(d.chains * d.draws)} Laplace draws`
    : `${d.chains} chain${d.chains === 1 ? '' : 's'} × ${n(d.draws)} draws${warmup !== undefined ? `, ${n(warmup)} warm-up` : ''}`;
  return {
    id: result.id,
    model: result.model,
    datasetId: result.datasetId,
    datasetName,
    createdAt: result.createdAt,
    backend: result.backend,
    method,
    settings,
    durationMs: result.timings.totalMs,
    diagnostics: d,
    verdict: verdictOf(result),
    ...(name ? { name } : {}),
    ...(note ? { note } : {}),
  };
}

/** Sets a run's name and note (blank removes one); an id that names no run is an InputError. */
export async function labelRun(id: string, label: { name?: string; note?: string }): Promise<void> {
  const tx = (await db()).transaction('runs', 'readwrite');
  const run = await tx.store.get(id);
  if (!run) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new InputError(`No run with id ${JSON.stringify(id)}: nothing was labelled.`);
  }
  const next: StoredRun = { ...run };
  for (const key of ['name', 'note'] as const) {
    const v = label[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > 2000) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new InputError(`A run's ${key} must be text of at most 2,000 characters.`);
    }
    if (v.trim()) next[key] = v.trim();
    else delete next[key];
  }
  await Promise.all([tx.store.put(next), tx.done]);
}

/** A run as stored (result and dataset name), to put back with `putRun` after a deletion is undone. */
export async function getStoredRun(id: string): Promise<StoredRun | undefined> {
  return (await db()).get('runs', id);
}

/** The stored runs fitted on a dataset (what deleting the dataset deletes with it). */
export async function runsOfDataset(datasetId: string): Promise<StoredRun[]> {
  return (await db()).getAllFromIndex('runs', 'datasetId', datasetId);
}

/** Deletes a run; an id that names no run is an InputError. */
export async function deleteRun(id: string): Promise<void> {
  const tx = (await db()).transaction('runs', 'readwrite');
  if ((await tx.store.getKey(id)) === undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new InputError(`No run with id ${JSON.stringify(id)}: nothing was deleted.`);
  }
  await Promise.all([tx.store.delete(id), tx.done]);
}

export async function getSettings(): Promise<Settings> {
  return ((await (await db()).get('settings', 'settings')) as Settings | undefined) ?? {};
}

export async function putSettings(settings: Settings): Promise<void> {
  const database = await db();
  await write('settings', () => database.put('settings', settings, 'settings').then(() => undefined));
}
