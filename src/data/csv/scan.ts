/**
 * Reading a CSV source: its first bytes (checked for binary and non-UTF-8 content) and then its
 * rows, streamed through papaparse in chunks with the physical line each row starts on, so a large
 * file never exists as row objects and never freezes the page.
 */
import Papa from 'papaparse';
import { InputError } from '../../api/errors';
import { WHITESPACE, type Delimiter } from './cells';

/** CSV text in memory, or a file. */
export type Source = string | Blob;

/** Bytes read up front to check the encoding and detect delimiter and header. */
export const SNIFF_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** An error about the file `name` ("name": message). */
export function badInput(name: string, message: string): InputError {
  return new InputError(`"${name}": ${message}`);
}

/** The first SNIFF_BYTES of the source. */
export async function readHead(source: Source): Promise<Uint8Array> {
  if (typeof source === 'string') return new TextEncoder().encode(source.slice(0, SNIFF_BYTES));
  return new Uint8Array(await source.slice(0, SNIFF_BYTES).arrayBuffer());
}

/** Rejects binary and non-UTF-8 content from the first bytes; returns the decoded head. */
export function decodeHead(bytes: Uint8Array, name: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw badInput(name, `looks like a binary file, not CSV text (a zero byte at byte ${nul + 1}). Export the data as CSV (UTF-8) and try again.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    throw badInput(name, 'is not UTF-8 text (it may be a binary file or use another encoding). Save it as "CSV UTF-8" and try again.');
  }
}

/** Line breaks inside a field (a quoted field may span lines). */
function lineBreaks(field: string): number {
  let n = 0;
  for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  for (let i = field.indexOf('\r'); i >= 0; i = field.indexOf('\r', i + 1)) if (field[i + 1] !== '\n') n++;
  return n;
}

/**
 * Streams the rows of `source` through papaparse, calling `onRow(fields, line)` for each non-blank
 * row with the 1-based physical line it starts on (papaparse counts rows; a quoted field with line
 * breaks makes one row span several lines). An unterminated quote is an error naming its line.
 */
export function scan(
  source: Source,
  name: string,
  delimiter: Delimiter,
  onRow: (fields: string[], line: number) => void,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const size = typeof source === 'string' ? source.length : source.size;
  /** The physical line the next row starts on. */
  let line = 1;
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(source as never, {
      delimiter: delimiter === WHITESPACE ? ' ' : delimiter,
      chunkSize: CHUNK_BYTES,
      skipEmptyLines: false,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        try {
          const unterminated = new Set(results.errors.filter((e) => e.code === 'MissingQuotes').map((e) => e.row));
          results.data.forEach((raw, i) => {
            const start = line;
            line += 1 + raw.reduce((n, f) => n + lineBreaks(f), 0);
            if (unterminated.has(i)) {
              // The open quote swallowed the rest of the file into the row's last field.
              const quoteLine = start + raw.slice(0, -1).reduce((n, f) => n + lineBreaks(f), 0);
              throw badInput(name, `has an unterminated quote starting on line ${quoteLine}: a field opens with " and never closes. Close the quote (or double a quote inside a field: "").`);
            }
            const fields = delimiter === WHITESPACE ? raw.filter((f) => f !== '') : raw;
            if (fields.length === 0 || (fields.length === 1 && fields[0].trim() === '')) return;
            onRow(fields, start);
          });
          if (size > 0) onProgress?.(Math.min(1, results.meta.cursor / size));
        } catch (e) {
          // Reject first: abort() calls `complete` synchronously.
          reject(e);
          parser.abort();
        }
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    } as Papa.ParseConfig<string[]>);
  });
}
