/**
 * CSV cells: what a cell holds (a number as people write it, with a decimal point or comma; a date
 * in one of the families below; a missing value) and how a line splits into cells.
 */
import Papa from 'papaparse';
import type { DecimalSeparator } from '../../api/types';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Whitespace-separated files (as CDNOW's) are parsed on single spaces with empty fields dropped. */
export const WHITESPACE = 'whitespace';
export type Delimiter = (typeof DELIMITERS)[number] | typeof WHITESPACE;

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a', 'nil', '.']);

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

export type DateFamily = 'iso' | 'ymd' | 'compact' | 'ym' | 'ab-y';

function utc(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCDate() === d && back.getUTCMonth() === m - 1 ? t : NaN;
}

export interface DateMatch {
  family: DateFamily;
  /** For 'ab-y' (a/b/yyyy): the two leading numbers, order decided per column. */
  a?: number;
  b?: number;
  value: number;
}

export function matchDate(raw: string): DateMatch | undefined {
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
export function parseDateCell(raw: string, dayFirst: boolean): number {
  const d = matchDate(raw);
  if (!d) return NaN;
  if (d.family !== 'ab-y') return d.value;
  const y = Number(raw.trim().slice(-4));
  return dayFirst ? utc(y, d.b!, d.a!) : utc(y, d.a!, d.b!);
}

export const isMissing = (raw: string): boolean => MISSING.has(raw.trim().toLowerCase());

/** Splits a whitespace-separated line, dropping empty fields. */
function splitWhitespace(line: string): string[] {
  const t = line.trim();
  return t.length === 0 ? [] : t.split(/\s+/);
}

/** The cells of one line. */
export function splitLine(line: string, delimiter: Delimiter): string[] {
  return delimiter === WHITESPACE ? splitWhitespace(line) : (Papa.parse<string[]>(line, { delimiter }).data[0] ?? []);
}
