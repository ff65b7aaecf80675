/**
 * CSV ingest: bytes -> validated, typed Table. Runs in the compute worker. A file is read twice by
 * papaparse in chunks (pass 1 infers delimiter, header, column types and checks every row; pass 2
 * writes typed arrays of the now-known length), so a large file never exists as row objects and
 * never freezes the page. Every rejection is an InputError naming the file, the line and the column.
 */
import Papa from 'papaparse';
import { InputError } from '../api/errors';
import type { ColumnType } from '../api/types';
import type { Column, Table } from './table';

export interface ParsedCsv {
  table: Table;
  /** Per-column notes the user should see (missing values, mixed types, repeated dates, ...). */
  warnings: string[];
}

/** Bytes read up front to check the encoding and detect delimiter and header. */
const SNIFF_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const SNIFF_LINES = 50;
const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Whitespace-separated files (as CDNOW's) are parsed on single spaces with empty fields dropped. */
const WHITESPACE = 'whitespace';
type Delimiter = (typeof DELIMITERS)[number] | typeof WHITESPACE;

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a', 'nil', '.']);
/** A column is read as numbers (or dates) when at least this share of its non-missing cells parse. */
const MOSTLY = 0.9;

type Source = string | Blob;

// ---------------------------------------------------------------- cell parsing

const NUMBER_RE = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A number as people write them: "1,200.50", "$3.2", "-4e3", "12%" (-> 12). NaN if not a number. */
export function parseNumber(raw: string): number {
  let s = raw.trim();
  if (s.length === 0) return NaN;
  s = s.replace(/^([+-]?)[$€£¥]\s*/, '$1').replace(/\s*%$/, '');
  if (!/\d/.test(s) || !NUMBER_RE.test(s)) return NaN;
  return Number(s.replace(/,/g, ''));
}

type DateFamily = 'iso' | 'ymd' | 'compact' | 'ym' | 'ab-y';

function utc(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCDate() === d && back.getUTCMonth() === m - 1 ? t : NaN;
}

interface DateMatch {
  family: DateFamily;
  /** For 'ab-y' (a/b/yyyy): the two leading numbers, order decided per column. */
  a?: number;
  b?: number;
  value: number;
}

function matchDate(raw: string): DateMatch | undefined {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) return { family: 'iso', value: utc(+m[1], +m[2], +m[3]) };
  m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s);
  if (m) return { family: 'ymd', value: utc(+m[1], +m[2], +m[3]) };
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return { family: 'compact', value: utc(+m[1], +m[2], +m[3]) };
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) return { family: 'ym', value: utc(+m[1], +m[2], 1) };
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return { family: 'ab-y', a: +m[1], b: +m[2], value: utc(+m[3], +m[1], +m[2]) };
  return undefined;
}

/** Parses a date cell in a column whose a/b/yyyy order is known. NaN when it is not a valid date. */
function parseDateCell(raw: string, dayFirst: boolean): number {
  const d = matchDate(raw);
  if (!d) return NaN;
  if (d.family !== 'ab-y') return d.value;
  const y = Number(raw.trim().slice(-4));
  return dayFirst ? utc(y, d.b!, d.a!) : utc(y, d.a!, d.b!);
}

const isMissing = (raw: string): boolean => MISSING.has(raw.trim().toLowerCase());

// ---------------------------------------------------------------- reading

function badInput(name: string, message: string): InputError {
  return new InputError(`"${name}": ${message}`);
}

async function readHead(source: Source): Promise<Uint8Array> {
  if (typeof source === 'string') return new TextEncoder().encode(source.slice(0, SNIFF_BYTES));
  return new Uint8Array(await source.slice(0, SNIFF_BYTES).arrayBuffer());
}

/** Rejects binary and non-UTF-8 content from the first bytes; returns the decoded head. */
function decodeHead(bytes: Uint8Array, name: string): string {
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

function splitWhitespace(line: string): string[] {
  const t = line.trim();
  return t.length === 0 ? [] : t.split(/\s+/);
}

function sniffDelimiter(lines: string[]): Delimiter {
  let best: { d: Delimiter; fields: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => (Papa.parse<string[]>(l, { delimiter: d }).data[0] ?? []).length);
    const first = counts[0];
    if (first > 1 && counts.every((c) => c === first) && (!best || first > best.fields)) best = { d, fields: first };
  }
  if (best) return best.d;
  const ws = lines.map((l) => splitWhitespace(l).length);
  if (ws[0] > 1 && ws.every((c) => c === ws[0])) return WHITESPACE;
  // Inconsistent everywhere: take the delimiter most lines agree on, so the row check names the bad line.
  let vote: { d: Delimiter; score: number } = { d: ',', score: 0 };
  for (const d of DELIMITERS) {
    const score = lines.filter((l) => l.includes(d)).length;
    if (score > vote.score) vote = { d, score };
  }
  return vote.d;
}

/**
 * Streams the rows of `source` through papaparse, calling `onRow(fields, line)` for each non-blank
 * line (1-based line numbers, assuming no line breaks inside quoted fields).
 */
function scan(
  source: Source,
  delimiter: Delimiter,
  onRow: (fields: string[], line: number) => void,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const size = typeof source === 'string' ? source.length : source.size;
  let line = 0;
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(source as never, {
      delimiter: delimiter === WHITESPACE ? ' ' : delimiter,
      chunkSize: CHUNK_BYTES,
      skipEmptyLines: false,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        try {
          for (const raw of results.data) {
            line++;
            const fields = delimiter === WHITESPACE ? raw.filter((f) => f !== '') : raw;
            if (fields.length === 0 || (fields.length === 1 && fields[0].trim() === '')) continue;
            onRow(fields, line);
          }
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

// ---------------------------------------------------------------- inference

interface ColumnStats {
  nonMissing: number;
  numbers: number;
  dates: number;
  dateFamilies: Set<DateFamily>;
  maxA: number;
  maxB: number;
  missingLines: number[];
  missingCount: number;
  /** Lines whose cell is neither missing nor a number (first few), for mixed-type warnings. */
  notNumberLines: number[];
  notDateLines: number[];
  firstNotNumber?: string;
  firstNotDate?: string;
}

const newStats = (): ColumnStats => ({
  nonMissing: 0,
  numbers: 0,
  dates: 0,
  dateFamilies: new Set(),
  maxA: 0,
  maxB: 0,
  missingLines: [],
  missingCount: 0,
  notNumberLines: [],
  notDateLines: [],
});

function observe(s: ColumnStats, raw: string, line: number): void {
  if (isMissing(raw)) {
    s.missingCount++;
    if (s.missingLines.length < 5) s.missingLines.push(line);
    return;
  }
  s.nonMissing++;
  if (Number.isFinite(parseNumber(raw))) s.numbers++;
  else if (s.notNumberLines.length < 5) {
    s.notNumberLines.push(line);
    s.firstNotNumber ??= raw;
  }
  const d = matchDate(raw);
  if (d && (Number.isFinite(d.value) || d.family === 'ab-y')) {
    s.dates++;
    s.dateFamilies.add(d.family);
    if (d.family === 'ab-y') {
      s.maxA = Math.max(s.maxA, d.a!);
      s.maxB = Math.max(s.maxB, d.b!);
    }
  } else if (s.notDateLines.length < 5) {
    s.notDateLines.push(line);
    s.firstNotDate ??= raw;
  }
}

interface ColumnPlan {
  type: ColumnType;
  dayFirst: boolean;
}

function plan(s: ColumnStats): ColumnPlan {
  const n = s.nonMissing;
  const dateLike = n > 0 && s.dates >= MOSTLY * n && s.dateFamilies.size === 1;
  const compactOnly = dateLike && s.dateFamilies.has('compact');
  // 8-digit integers are dates only when every one of them is a valid yyyymmdd.
  if (dateLike && (!compactOnly || s.dates === n)) return { type: 'date', dayFirst: s.maxA > 12 };
  if (n > 0 && s.numbers >= MOSTLY * n) return { type: 'number', dayFirst: false };
  return { type: 'string', dayFirst: false };
}

function looksLikeHeader(first: string[], rest: string[][]): boolean {
  if (rest.length === 0) return first.some((c) => !Number.isFinite(parseNumber(c)) && !matchDate(c));
  const plans = first.map((_, j) => {
    const s = newStats();
    rest.forEach((r, i) => observe(s, r[j] ?? '', i + 2));
    return plan(s);
  });
  const typedMismatch = first.some((cell, j) => {
    if (isMissing(cell)) return false;
    if (plans[j].type === 'number') return !Number.isFinite(parseNumber(cell));
    if (plans[j].type === 'date') return !Number.isFinite(parseDateCell(cell, plans[j].dayFirst));
    return false;
  });
  if (typedMismatch) return true;
  // All-text columns cannot tell; a first row of distinct non-empty labels is then the header.
  const allStrings = plans.every((p) => p.type === 'string');
  return allStrings && new Set(first).size === first.length && first.every((c) => c.trim() !== '');
}

function lineList(lines: number[], total: number): string {
  const shown = lines.join(', ');
  return total > lines.length ? `${shown}, …` : shown;
}

// ---------------------------------------------------------------- entry points

/** Parses CSV text (already in memory). */
export function parseCsvText(text: string, name: string): Promise<ParsedCsv> {
  return parseSource(text, name);
}

/** Parses a CSV file in chunks, reporting the fraction read. */
export function parseCsvFile(file: Blob, name: string, onProgress?: (fraction: number) => void): Promise<ParsedCsv> {
  return parseSource(file, name, onProgress);
}

async function parseSource(source: Source, name: string, onProgress?: (fraction: number) => void): Promise<ParsedCsv> {
  const size = typeof source === 'string' ? source.length : source.size;
  if (size === 0) throw badInput(name, 'is empty.');
  const head = decodeHead(await readHead(source), name).replace(/^\uFEFF/, '');
  if (head.trim().length === 0) throw badInput(name, 'is empty (only blank lines).');
  const headLines = head.split(/\r\n|\n|\r/);
  if (size > SNIFF_BYTES) headLines.pop(); // possibly cut mid-line
  const sample = headLines.filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  if (sample.length === 0) throw badInput(name, 'has no complete line in its first 64 KB.');
  const delimiter = sniffDelimiter(sample);
  const sampleRows = sample.map((l) =>
    delimiter === WHITESPACE ? splitWhitespace(l) : (Papa.parse<string[]>(l, { delimiter }).data[0] ?? []),
  );
  const hasHeader = looksLikeHeader(sampleRows[0], sampleRows.slice(1));
  const warnings: string[] = [];

  // Pass 1: header, field counts, encoding, per-column statistics.
  let header: string[] | undefined;
  let width = 0;
  let rows = 0;
  let headerLine = 0;
  let stats: ColumnStats[] = [];
  const half = onProgress ? (f: number) => onProgress(f / 2) : undefined;
  await scan(
    source,
    delimiter,
    (fields, line) => {
      if (width === 0) {
        width = fields.length;
        stats = fields.map(newStats);
        if (hasHeader) {
          header = fields.map((f) => f.trim());
          headerLine = line;
          return;
        }
      }
      if (fields.length !== width) {
        const what = header ? 'the header has' : 'the first line has';
        throw badInput(name, `line ${line} has ${fields.length} fields but ${what} ${width}. Check for a stray delimiter or a missing value on that line.`);
      }
      for (let j = 0; j < width; j++) {
        if (fields[j].includes('\uFFFD')) {
          throw badInput(name, `line ${line} is not valid UTF-8 text. Save the file as "CSV UTF-8" and try again.`);
        }
        observe(stats[j], fields[j], line);
      }
      rows++;
    },
    half,
  );

  // Column names.
  let names: string[];
  if (header) {
    names = header.map((h, j) => {
      if (h !== '') return h;
      warnings.push(`Column ${j + 1} has no name in the header; it is called "column_${j + 1}".`);
      return `column_${j + 1}`;
    });
    const seen = new Map<string, number>();
    names.forEach((n, j) => {
      const prev = seen.get(n);
      if (prev !== undefined) {
        throw badInput(name, `column "${n}" appears more than once in the header (columns ${prev + 1} and ${j + 1}). Rename one of them.`);
      }
      seen.set(n, j);
    });
  } else {
    names = Array.from({ length: width }, (_, j) => `column_${j + 1}`);
    warnings.push(`No header row found (the first line holds data); columns are named column_1 … column_${width}.`);
  }
  if (rows === 0) throw badInput(name, header ? `has a header (line ${headerLine}) but no data rows.` : 'has no data rows.');
  if (rows === 1) throw badInput(name, 'has only 1 data row; at least 2 rows are needed for any analysis.');

  const plans = stats.map(plan);
  if (!plans.some((p) => p.type === 'number')) {
    throw badInput(name, `has no numeric column (columns: ${names.map((n, j) => `"${n}" (${plans[j].type})`).join(', ')}). Every model needs at least one column of numbers.`);
  }
  plans.forEach((p, j) => {
    const s = stats[j];
    const col = `Column "${names[j]}"`;
    if (s.missingCount > 0) {
      warnings.push(`${col}: ${s.missingCount} missing value${s.missingCount > 1 ? 's' : ''} (line${s.missingCount > 1 ? 's' : ''} ${lineList(s.missingLines, s.missingCount)}).`);
    }
    if (p.type === 'number' && s.numbers < s.nonMissing) {
      const bad = s.nonMissing - s.numbers;
      warnings.push(`${col} is read as numbers, but ${bad} cell${bad > 1 ? 's are' : ' is'} not a number (e.g. "${s.firstNotNumber}" on line ${s.notNumberLines[0]}); ${bad > 1 ? 'they are' : 'it is'} treated as missing.`);
    }
    if (p.type === 'date' && s.dates < s.nonMissing) {
      const bad = s.nonMissing - s.dates;
      warnings.push(`${col} is read as dates, but ${bad} cell${bad > 1 ? 's are' : ' is'} not a date (e.g. "${s.firstNotDate}" on line ${s.notDateLines[0]}); treated as missing.`);
    }
    if (p.type === 'date' && s.dateFamilies.has('ab-y') && s.maxA <= 12 && s.maxB <= 12) {
      warnings.push(`${col}: dates like 03/04/2024 are ambiguous; they are read as month/day/year.`);
    }
  });

  // Pass 2: typed values.
  const columns: { name: string; type: ColumnType; num?: Float64Array; str?: string[] }[] = plans.map((p, j) =>
    p.type === 'string' ? { name: names[j], type: p.type, str: new Array<string>(rows) } : { name: names[j], type: p.type, num: new Float64Array(rows) },
  );
  let r = 0;
  let skippedHeader = !hasHeader;
  await scan(
    source,
    delimiter,
    (fields) => {
      if (!skippedHeader) {
        skippedHeader = true;
        return;
      }
      for (let j = 0; j < width; j++) {
        const c = columns[j];
        const raw = fields[j];
        if (c.type === 'string') c.str![r] = isMissing(raw) ? '' : raw.trim();
        else if (isMissing(raw)) c.num![r] = NaN;
        else c.num![r] = c.type === 'number' ? parseNumber(raw) : parseDateCell(raw, plans[j].dayFirst);
      }
      r++;
    },
    onProgress ? (f) => onProgress(0.5 + f / 2) : undefined,
  );

  const table: Table = {
    rows,
    columns: columns.map((c): Column => {
      if (c.type === 'string') return { name: c.name, type: 'string', values: c.str! };
      return c.type === 'date' ? { name: c.name, type: 'date', values: c.num! } : { name: c.name, type: 'number', values: c.num! };
    }),
  };
  warnings.push(...repeatedDateWarnings(table));
  return { table, warnings };
}

/** A date column with repeated values is fine for a transaction log but not for a time series: say so. */
function repeatedDateWarnings(table: Table): string[] {
  const out: string[] = [];
  for (const c of table.columns) {
    if (c.type !== 'date') continue;
    const seen = new Set<number>();
    let repeats = 0;
    let example: number | undefined;
    for (const v of c.values) {
      if (Number.isNaN(v)) continue;
      if (seen.has(v)) {
        repeats++;
        example ??= v;
      } else seen.add(v);
    }
    if (repeats > 0) {
      out.push(
        `Column "${c.name}" has ${repeats} repeated date${repeats > 1 ? 's' : ''} (e.g. ${new Date(example!).toISOString().slice(0, 10)}): fine for a transaction log, not for a time series (one row per date).`,
      );
    }
  }
  return out;
}

/** Name and type of each column, as DatasetInfo lists them. */
export function describeColumns(table: Table): { name: string; type: ColumnType }[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type }));
}
