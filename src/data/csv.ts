/**
 * CSV ingest: bytes -> validated, typed Table. Runs in the compute worker. A file is read twice by
 * papaparse in chunks (pass 1 infers delimiter, header, column types and checks every row; pass 2
 * writes typed arrays of the now-known length), so a large file never exists as row objects and
 * never freezes the page. Every rejection is an InputError naming the file, the (physical) line and
 * the column. Each number column's decimal separator is inferred from its own cells (3.5 vs 0,375)
 * unless `CsvOptions.decimal` fixes it; a column its cells do not decide (12,500) is flagged.
 */
import Papa from 'papaparse';
import { InputError } from '../api/errors';
import type { ColumnType, CsvOptions, DecimalReading, DecimalSeparator } from '../api/types';
import type { Column, Table } from './table';

export interface ParsedCsv {
  table: Table;
  /** Per-column notes the user should see (missing values, mixed types, repeated dates, ...). */
  warnings: string[];
  /** How the numbers of ambiguous columns (12,500: 12.5 or 12500?) were read; absent when none is. */
  decimal?: DecimalReading;
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

/** Decimal point, comma thousands separators: 1,234.5 (a leading 0 is no thousands group: 0,375 is not 375). */
const POINT_RE = /^[+-]?(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Decimal comma, dot thousands separators: 1.234,5. */
const COMMA_RE = /^[+-]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)?(?:,\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A number as people write them: "1,200.50", "$3.2", "-4e3", "12%" (-> 12); with `decimal` ','
 * as much of Europe writes them: "1.200,50", "0,375". NaN if not a number; ±Infinity when the
 * number is too large for a double (1e400): callers treat that as missing.
 */
export function parseNumber(raw: string, decimal: DecimalSeparator = '.'): number {
  let s = raw.trim();
  if (s.length === 0) return NaN;
  s = s.replace(/^([+-]?)[$€£¥]\s*/, '$1').replace(/\s*%$/, '');
  if (!/\d/.test(s)) return NaN;
  if (decimal === '.') return POINT_RE.test(s) ? Number(s.replace(/,/g, '')) : NaN;
  return COMMA_RE.test(s) ? Number(s.replace(/\./g, '').replace(',', '.')) : NaN;
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
function scan(
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

// ---------------------------------------------------------------- inference

/** A cell and the physical line it is on, for warnings. */
interface Example {
  raw: string;
  line: number;
}

interface ColumnStats {
  nonMissing: number;
  /** Cells that are numbers with a decimal point (1,234.5), and with a decimal comma (1.234,5). */
  numbersPoint: number;
  numbersComma: number;
  /** Cells only one reading takes (3.5 / 0,375), for detecting the separator per column. */
  pointOnly?: Example;
  commaOnly?: Example;
  pointOnlyCount: number;
  commaOnlyCount: number;
  /** Cells both readings take, with different values (12,500: 12500 or 12.5). */
  differ?: Example;
  /** Cells too large for a double (1e400), under either reading. */
  overflow: number;
  firstOverflow?: Example;
  dates: number;
  /** The first cell of each date format seen. */
  dateFamilies: Map<DateFamily, Example>;
  maxA: number;
  maxB: number;
  missingLines: number[];
  missingCount: number;
  /** Lines whose cell is neither missing nor a number under a reading (first few), for mixed-type warnings. */
  notPoint: Example[];
  notComma: Example[];
  notDateLines: number[];
  firstNotDate?: string;
}

const newStats = (): ColumnStats => ({
  nonMissing: 0,
  numbersPoint: 0,
  numbersComma: 0,
  pointOnlyCount: 0,
  commaOnlyCount: 0,
  overflow: 0,
  dates: 0,
  dateFamilies: new Map(),
  maxA: 0,
  maxB: 0,
  missingLines: [],
  missingCount: 0,
  notPoint: [],
  notComma: [],
  notDateLines: [],
});

function observe(s: ColumnStats, raw: string, line: number): void {
  if (isMissing(raw)) {
    s.missingCount++;
    if (s.missingLines.length < 5) s.missingLines.push(line);
    return;
  }
  s.nonMissing++;
  const p = parseNumber(raw, '.');
  const c = parseNumber(raw, ',');
  if (!Number.isNaN(p)) s.numbersPoint++;
  else if (s.notPoint.length < 5) s.notPoint.push({ raw, line });
  if (!Number.isNaN(c)) s.numbersComma++;
  else if (s.notComma.length < 5) s.notComma.push({ raw, line });
  if (!Number.isNaN(p) && Number.isNaN(c)) {
    s.pointOnlyCount++;
    s.pointOnly ??= { raw, line };
  } else if (Number.isNaN(p) && !Number.isNaN(c)) {
    s.commaOnlyCount++;
    s.commaOnly ??= { raw, line };
  } else if (!Number.isNaN(p) && p !== c) s.differ ??= { raw, line };
  if (Math.abs(p) === Infinity || Math.abs(c) === Infinity) {
    s.overflow++;
    s.firstOverflow ??= { raw, line };
  }
  const d = matchDate(raw);
  if (d && (Number.isFinite(d.value) || d.family === 'ab-y')) {
    s.dates++;
    if (!s.dateFamilies.has(d.family)) s.dateFamilies.set(d.family, { raw, line });
    if (d.family === 'ab-y') {
      s.maxA = Math.max(s.maxA, d.a!);
      s.maxB = Math.max(s.maxB, d.b!);
    }
  } else if (s.notDateLines.length < 5) {
    s.notDateLines.push(line);
    s.firstNotDate ??= raw;
  }
}

/**
 * The column's decimal separator from its own cells: the one that reads cells the other cannot
 * (3.5 or 1,200.50 -> point; 0,375, 1,25 or 1.234,56 -> comma); when both occur, the one that
 * reads more cells. Undefined when no cell decides (only integers, or only cells like 12,500).
 */
function evidentDecimal(s: ColumnStats): DecimalSeparator | undefined {
  if (s.pointOnlyCount === 0 && s.commaOnlyCount === 0) return undefined;
  return s.commaOnlyCount > s.pointOnlyCount ? ',' : '.';
}

interface ColumnPlan {
  type: ColumnType;
  dayFirst: boolean;
  /** How the column's numbers are read (for a number column). */
  decimal: DecimalSeparator;
  /** Whether the column's values depend on `decimal` with nothing in the column deciding it. */
  ambiguous: boolean;
}

/**
 * The column's type and reading. `fallback` is the separator for a column nothing in it decides;
 * such a column is flagged ambiguous, except in a comma-separated file whose other columns do not
 * use decimal commas: there a comma inside a (quoted) number is a thousands separator ("1,200").
 */
function plan(s: ColumnStats, fallback: DecimalSeparator, delimiter: Delimiter, chosen?: DecimalSeparator): ColumnPlan {
  const n = s.nonMissing;
  const evident = evidentDecimal(s);
  const decimal = chosen ?? evident ?? fallback;
  const ambiguous = chosen === undefined && evident === undefined && s.differ !== undefined && (delimiter !== ',' || fallback === ',');
  // Mixed date formats are still dates when every format is unambiguous alone (warned, see below);
  // 8-digit integers are dates only when every one of them is a valid yyyymmdd.
  const families = s.dateFamilies;
  const dateLike = n > 0 && s.dates >= MOSTLY * n && (families.size === 1 || !families.has('compact'));
  const compactOnly = dateLike && families.size === 1 && families.has('compact');
  if (dateLike && (!compactOnly || s.dates === n)) return { type: 'date', dayFirst: s.maxA > 12, decimal, ambiguous: false };
  const numbers = decimal === ',' ? s.numbersComma : s.numbersPoint;
  if (n > 0 && numbers >= MOSTLY * n) return { type: 'number', dayFirst: false, decimal, ambiguous };
  return { type: 'string', dayFirst: false, decimal, ambiguous: false };
}

function looksLikeHeader(first: string[], rest: string[][], delimiter: Delimiter, chosen?: DecimalSeparator): boolean {
  if (rest.length === 0) {
    return first.some((c) => Number.isNaN(parseNumber(c, '.')) && Number.isNaN(parseNumber(c, ',')) && !matchDate(c));
  }
  const plans = first.map((_, j) => {
    const s = newStats();
    rest.forEach((r, i) => observe(s, r[j] ?? '', i + 2));
    return plan(s, delimiter === ';' ? ',' : '.', delimiter, chosen);
  });
  const typedMismatch = first.some((cell, j) => {
    if (isMissing(cell)) return false;
    if (plans[j].type === 'number') return Number.isNaN(parseNumber(cell, plans[j].decimal));
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

/** A number as the warnings show it (12500, 12.5). */
const shown = (v: number): string => String(v);

// ---------------------------------------------------------------- entry points

/** Parses CSV text (already in memory). */
export function parseCsvText(text: string, name: string, options: CsvOptions = {}): Promise<ParsedCsv> {
  return parseSource(text, name, options);
}

/** Parses a CSV file in chunks, reporting the fraction read. */
export function parseCsvFile(file: Blob, name: string, onProgress?: (fraction: number) => void, options: CsvOptions = {}): Promise<ParsedCsv> {
  return parseSource(file, name, options, onProgress);
}

function checkOptions(options: CsvOptions): DecimalSeparator | undefined {
  const d = options.decimal;
  if (d !== undefined && d !== '.' && d !== ',') throw new InputError(`The decimal option must be "." or ",", got ${JSON.stringify(d)}.`);
  return d;
}

/**
 * The separator for number columns that do not decide it themselves: the one the file's other
 * number columns use when they agree, else the convention of the delimiter (a ';'-separated file
 * is usually written where the comma is the decimal separator).
 */
function fileDecimal(stats: readonly ColumnStats[], delimiter: Delimiter): DecimalSeparator {
  const evident = new Set(
    stats.filter((s) => Math.max(s.numbersPoint, s.numbersComma) >= MOSTLY * s.nonMissing && s.nonMissing > 0).map(evidentDecimal),
  );
  evident.delete(undefined);
  if (evident.size === 1) return [...evident][0]!;
  return delimiter === ';' ? ',' : '.';
}

async function parseSource(source: Source, name: string, options: CsvOptions, onProgress?: (fraction: number) => void): Promise<ParsedCsv> {
  const chosen = checkOptions(options);
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
  const hasHeader = looksLikeHeader(sampleRows[0], sampleRows.slice(1), delimiter, chosen);
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
    name,
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

  const fallback = fileDecimal(stats, delimiter);
  const plans = stats.map((s) => plan(s, fallback, delimiter, chosen));
  if (!plans.some((p) => p.type === 'number')) {
    throw badInput(name, `has no numeric column (columns: ${names.map((n, j) => `"${n}" (${plans[j].type})`).join(', ')}). Every model needs at least one column of numbers.`);
  }
  plans.forEach((p, j) => warnings.push(...columnWarnings(`Column "${names[j]}"`, stats[j], p, chosen)));
  const ambiguous = names.filter((_, j) => plans[j].ambiguous || (chosen !== undefined && plans[j].type === 'number' && stats[j].differ));

  // Pass 2: typed values.
  const columns: { name: string; type: ColumnType; num?: Float64Array; str?: string[] }[] = plans.map((p, j) =>
    p.type === 'string' ? { name: names[j], type: p.type, str: new Array<string>(rows) } : { name: names[j], type: p.type, num: new Float64Array(rows) },
  );
  let r = 0;
  let skippedHeader = !hasHeader;
  await scan(
    source,
    name,
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
        else {
          const v = c.type === 'number' ? parseNumber(raw, plans[j].decimal) : parseDateCell(raw, plans[j].dayFirst);
          // An overflow (1e400 -> Infinity) is missing, as the warning says: no Infinity downstream.
          c.num![r] = Number.isFinite(v) ? v : NaN;
        }
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
  const decimal: DecimalReading | undefined = ambiguous.length ? { ambiguous, read: chosen ?? fallback, chosen: chosen !== undefined } : undefined;
  return decimal ? { table, warnings, decimal } : { table, warnings };
}

const DATE_FORMAT: Record<DateFamily, string> = {
  iso: 'yyyy-mm-dd',
  ymd: 'yyyy/mm/dd',
  compact: 'yyyymmdd',
  ym: 'yyyy-mm',
  'ab-y': 'dd/mm/yyyy or mm/dd/yyyy',
};

/** What the user should know about one column as it was read. */
function columnWarnings(col: string, s: ColumnStats, p: ColumnPlan, chosen: DecimalSeparator | undefined): string[] {
  const out: string[] = [];
  if (s.missingCount > 0) {
    out.push(`${col}: ${s.missingCount} missing value${s.missingCount > 1 ? 's' : ''} (line${s.missingCount > 1 ? 's' : ''} ${lineList(s.missingLines, s.missingCount)}).`);
  }
  if (p.type === 'number') {
    const comma = p.decimal === ',';
    const bad = s.nonMissing - (comma ? s.numbersComma : s.numbersPoint);
    const first = (comma ? s.notComma : s.notPoint)[0];
    if (bad > 0 && first) {
      out.push(`${col} is read as numbers, but ${bad} cell${bad > 1 ? 's are' : ' is'} not a number (e.g. "${first.raw}" on line ${first.line}); ${bad > 1 ? 'they are' : 'it is'} treated as missing.`);
    }
    if (s.overflow > 0) {
      const o = s.firstOverflow!;
      out.push(`${col}: ${s.overflow} value${s.overflow > 1 ? 's are' : ' is'} too large to compute with (e.g. "${o.raw}" on line ${o.line}); treated as missing.`);
    }
    if (comma && chosen === undefined && s.commaOnly) {
      const e = s.commaOnly;
      out.push(`${col} is read with decimal commas ("${e.raw}" on line ${e.line} is ${shown(parseNumber(e.raw, ','))}).`);
    }
    if (p.ambiguous && s.differ) {
      const e = s.differ;
      const [a, b] = [parseNumber(e.raw, ','), parseNumber(e.raw, '.')];
      const read = comma ? `${shown(a)} (decimal comma)` : `${shown(b)} (thousands separator)`;
      out.push(
        `${col} is ambiguous: "${e.raw}" (line ${e.line}) is ${shown(a)} with a decimal comma or ${shown(b)} with a thousands separator; read as ${read}. Choose the other reading on the Data page (or loadCsv option decimal: '${comma ? '.' : ','}').`,
      );
    }
  }
  if (p.type === 'date' && s.dates < s.nonMissing) {
    const bad = s.nonMissing - s.dates;
    out.push(`${col} is read as dates, but ${bad} cell${bad > 1 ? 's are' : ' is'} not a date (e.g. "${s.firstNotDate}" on line ${s.notDateLines[0]}); treated as missing.`);
  }
  if (p.type === 'date' && s.dateFamilies.size > 1) {
    const examples = [...s.dateFamilies].map(([f, e]) => `"${e.raw}" (${DATE_FORMAT[f]}) on line ${e.line}`);
    out.push(`${col} mixes date formats: ${examples.join(', ')}. Each is read in its own format; check the dates, and use one format for the column.`);
  }
  if (p.type === 'date' && s.dateFamilies.has('ab-y') && s.maxA <= 12 && s.maxB <= 12) {
    out.push(`${col}: dates like 03/04/2024 are ambiguous; they are read as month/day/year.`);
  }
  return out;
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
