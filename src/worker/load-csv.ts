/**
 * CSV -> validated Table -> IndexedDB, inside the worker. The dataset is stored only when parsing
 * and validation succeeded, in one transaction.
 */
import type { CsvOptions, DatasetInfo, Progress } from '../api/types';
import { parseCsvFile, parseCsvText } from '../data/csv';
import { describeColumns } from '../data/csv';
import { putDataset } from '../store/db';
import type { CsvInput } from './api';

function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function loadCsvIntoStore(
  input: CsvInput,
  name: string,
  onProgress?: (p: Progress) => void,
  options: CsvOptions = {},
): Promise<DatasetInfo> {
  const report = (fraction: number) =>
    onProgress?.({ phase: 'parse', iteration: Math.round(fraction * 100), total: 100 });
  const parsed =
    'text' in input && typeof input.text === 'string'
      ? await parseCsvText(input.text, name, options)
      : await parseCsvFile(input as Blob, name, report, options);
  const info: DatasetInfo = {
    id: newId('ds'),
    name,
    rows: parsed.table.rows,
    columns: describeColumns(parsed.table),
    warnings: parsed.warnings,
    ...(parsed.decimal ? { decimal: parsed.decimal } : {}),
  };
  await putDataset({ info, table: parsed.table, createdAt: new Date().toISOString() });
  return info;
}
