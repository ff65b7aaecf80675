/**
 * CSV -> validated Table -> IndexedDB, inside the worker. The dataset is stored only when parsing
 * and validation succeeded, in one transaction, and the caller did not cancel.
 */
import { CancelledError } from '../api/errors';
import type { CsvOptions, DatasetInfo } from '../api/types';
import { parseCsvFile, parseCsvText } from '../data/csv';
import { describeColumns } from '../data/csv';
import { putDataset } from '../store/db';
import type { CsvInput } from './api';
import { confirmStore, type JobContext } from './job';

function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function loadCsvIntoStore(input: CsvInput, name: string, ctx: JobContext = {}, options: CsvOptions = {}): Promise<DatasetInfo> {
  const { onProgress, signal } = ctx;
  // Called after each chunk (1 MB) of a file; the parser reads chunks as tasks, so a cancel gets
  // in between. Throwing here stops the parser (it aborts on any error from its chunk handler)
  // and rejects the parse with this error: the rest of the file is not read.
  const report = (fraction: number) => {
    if (signal?.aborted) throw new CancelledError();
    onProgress?.({ phase: 'parse', iteration: Math.round(fraction * 100), total: 100 });
  };
  // Text already in memory is parsed in one go (no chunk reads to cancel between).
  const parsed =
    'text' in input && typeof input.text === 'string'
      ? await parseCsvText(input.text, name, options)
      : await parseCsvFile(input as Blob, name, report, options);
  const info: DatasetInfo = {
    id: newId('ds'),
    name,
    rows: parsed.table.rows,
    columns: describeColumns(parsed.table, parsed.dateFormats),
    warnings: parsed.warnings,
    ...(parsed.decimal ? { decimal: parsed.decimal } : {}),
  };
  await confirmStore(ctx);
  await putDataset({ info, table: parsed.table, createdAt: new Date().toISOString() });
  return info;
}
