/**
 * IndexedDB persistence (through idb) for datasets, runs and settings. Usable from the page and
 * from workers. Each write is one transaction, so a failed write (quota, abort) leaves nothing
 * half-written; quota errors are re-thrown as a plain message the UI can show.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BackendName, DatasetInfo, RunResult, RunSummary } from '../api/types';
import type { Table } from '../data/table';
import { InputError } from '../api/errors';

export interface StoredDataset {
  info: DatasetInfo;
  table: Table;
  createdAt: string;
}

export interface StoredRun {
  result: RunResult;
  datasetName: string;
}

export interface Settings {
  backend?: BackendName;
}

interface StudioSchema extends DBSchema {
  datasets: { key: string; value: StoredDataset; indexes: { name: string } };
  runs: { key: string; value: StoredRun; indexes: { createdAt: string; datasetId: string } };
  settings: { key: string; value: unknown };
}

const DB_NAME = 'marketing-studio';
const DB_VERSION = 1;

let dbPromise: Promise<IDBPDatabase<StudioSchema>> | undefined;

function db(): Promise<IDBPDatabase<StudioSchema>> {
  dbPromise ??= openDB<StudioSchema>(DB_NAME, DB_VERSION, {
    upgrade(database) {
      const datasets = database.createObjectStore('datasets', { keyPath: 'info.id' });
      datasets.createIndex('name', 'info.name');
      const runs = database.createObjectStore('runs', { keyPath: 'result.id' });
      runs.createIndex('createdAt', 'result.createdAt');
      runs.createIndex('datasetId', 'result.datasetId');
      database.createObjectStore('settings');
    },
  });
  return dbPromise;
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

/** Stores a parsed dataset (info and columns) in one transaction. */
export async function putDataset(dataset: StoredDataset): Promise<void> {
  const database = await db();
  await write('dataset', () => database.put('datasets', dataset).then(() => undefined));
}

export async function getDataset(id: string): Promise<StoredDataset | undefined> {
  return (await db()).get('datasets', id);
}

/** Finds a dataset by id, else by name (the newest of that name). */
export async function findDataset(idOrName: string): Promise<StoredDataset | undefined> {
  const database = await db();
  const byId = await database.get('datasets', idOrName);
  if (byId) return byId;
  const byName = await database.getAllFromIndex('datasets', 'name', idOrName);
  return byName.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** Dataset descriptions, newest first (the columns' values are not loaded). */
export async function listDatasets(): Promise<DatasetInfo[]> {
  const database = await db();
  const infos: { info: DatasetInfo; createdAt: string }[] = [];
  let cursor = await database.transaction('datasets').store.openCursor();
  while (cursor) {
    infos.push({ info: cursor.value.info, createdAt: cursor.value.createdAt });
    cursor = await cursor.continue();
  }
  return infos.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((d) => d.info);
}

/** Deletes a dataset and the runs fitted on it, in one transaction. */
/** Deletes a dataset and its runs; an id that names no dataset is an InputError (nothing is deleted). */
export async function deleteDataset(id: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['datasets', 'runs'], 'readwrite');
  if ((await tx.objectStore('datasets').getKey(id)) === undefined) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new InputError(`No dataset with id ${JSON.stringify(id)}: nothing was deleted.`);
  }
  const runKeys = await tx.objectStore('runs').index('datasetId').getAllKeys(id);
  await Promise.all([tx.objectStore('datasets').delete(id), ...runKeys.map((k) => tx.objectStore('runs').delete(k))]);
  await tx.done;
}

export async function putRun(run: StoredRun): Promise<void> {
  const database = await db();
  await write('run', () => database.put('runs', run).then(() => undefined));
}

export async function getRun(id: string): Promise<RunResult | undefined> {
  return (await (await db()).get('runs', id))?.result;
}

/** Run summaries, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  const runs = await (await db()).getAllFromIndex('runs', 'createdAt');
  return runs.reverse().map(({ result, datasetName }) => ({
    id: result.id,
    model: result.model,
    datasetId: result.datasetId,
    datasetName,
    createdAt: result.createdAt,
    backend: result.backend,
    diagnostics: result.diagnostics,
  }));
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
