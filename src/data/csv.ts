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
import type { ColumnInfo, ColumnType, CsvOptions } from '../api/types';
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

/**
 * Each column as DatasetInfo lists it: name, type, missing cells and the range of a number or date
 * column, and the date format read (`dateFormats`, by column name, from the parser).
 */
export function describeColumns(table: Table, dateFormats: Readonly<Record<string, string>> = {}): ColumnInfo[] {
  return table.columns.map((c): ColumnInfo => {
    if (c.type === 'string') return { name: c.name, type: c.type, missing: c.values.filter((v) => v.trim() === '').length };
    let missing = 0;
    let binary = c.type === 'number';
    let min = Infinity;
    let max = -Infinity;
    for (const v of c.values) {
      if (!Number.isFinite(v)) missing++;
      else {
        if (v !== 0 && v !== 1) binary = false;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const range = min <= max ? { min, max } : {};
    const format = c.type === 'date' && dateFormats[c.name] ? { dateFormat: dateFormats[c.name] } : {};
    return { name: c.name, type: c.type, missing, ...range, ...(binary && min <= max ? { binary } : {}), ...format };
  });
}
