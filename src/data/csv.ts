/**
 * CSV ingest: bytes -> validated, typed Table. Runs in the compute worker. A file is read twice by
 * papaparse in chunks (pass 1 infers delimiter, header, column types and checks every row; pass 2
 * writes typed arrays of the now-known length), so a large file never exists as row objects and
 * never freezes the page. Every rejection is an InputError naming the file, the (physical) line and
 * the column. Each number column's decimal separator is inferred from its own cells (3.5 vs 0,375)
 * unless `CsvOptions.decimal` fixes it; a column its cells do not decide (12,500) is flagged.
 *
 * The stages live in csv/: cells.ts (what a cell holds), sniff.ts (delimiter and header),
 * typing.ts (column types and decimal separators), scan.ts (the streaming reader), warnings.ts,
 * and parse.ts, which runs them.
 */
import type { ColumnType, CsvOptions } from '../api/types';
import { parseSource, type ParsedCsv } from './csv/parse';
import type { Table } from './table';

export { parseNumber } from './csv/cells';
export type { ParsedCsv } from './csv/parse';

/** Parses CSV text (already in memory). */
export function parseCsvText(text: string, name: string, options: CsvOptions = {}): Promise<ParsedCsv> {
  return parseSource(text, name, options);
}

/** Parses a CSV file in chunks, reporting the fraction read. */
export function parseCsvFile(file: Blob, name: string, onProgress?: (fraction: number) => void, options: CsvOptions = {}): Promise<ParsedCsv> {
  return parseSource(file, name, options, onProgress);
}

/** Name and type of each column, as DatasetInfo lists them. */
export function describeColumns(table: Table): { name: string; type: ColumnType }[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type }));
}
