/**
 * CSV column typing: statistics of each column's cells (pass 1), and from them the column's type
 * (number, date or string), the order of its a/b/yyyy dates and the decimal separator of its numbers.
 */
import type { ColumnType, DecimalSeparator } from '../../api/types';
import { isMissing, matchDate, parseNumber, type DateFamily, type Delimiter } from './cells';

/** A column is read as numbers (or dates) when at least this share of its non-missing cells parse. */
const MOSTLY = 0.9;

/** A cell and the physical line it is on, for warnings. */
export interface Example {
  raw: string;
  line: number;
}

export interface ColumnStats {
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

/** Empty statistics for a column. */
export const newStats = (): ColumnStats => ({
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

/** Adds one cell (on physical line `line`) to the column's statistics. */
export function observe(s: ColumnStats, raw: string, line: number): void {
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
export function evidentDecimal(s: ColumnStats): DecimalSeparator | undefined {
  if (s.pointOnlyCount === 0 && s.commaOnlyCount === 0) return undefined;
  return s.commaOnlyCount > s.pointOnlyCount ? ',' : '.';
}

export interface ColumnPlan {
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
export function plan(s: ColumnStats, fallback: DecimalSeparator, delimiter: Delimiter, chosen?: DecimalSeparator): ColumnPlan {
  const n = s.nonMissing;
  const evident = evidentDecimal(s);
  const decimal = chosen ?? evident ?? fallback;
  const ambiguous = chosen === undefined && evident === undefined && s.differ !== undefined && (delimiter !== ',' || fallback === ',');
  // Mixed date formats are still dates when every format is unambiguous alone (warned, warnings.ts);
  // 8-digit integers are dates only when every one of them is a valid yyyymmdd.
  const families = s.dateFamilies;
  const dateLike = n > 0 && s.dates >= MOSTLY * n && (families.size === 1 || !families.has('compact'));
  const compactOnly = dateLike && families.size === 1 && families.has('compact');
  if (dateLike && (!compactOnly || s.dates === n)) return { type: 'date', dayFirst: s.maxA > 12, decimal, ambiguous: false };
  const numbers = decimal === ',' ? s.numbersComma : s.numbersPoint;
  if (n > 0 && numbers >= MOSTLY * n) return { type: 'number', dayFirst: false, decimal, ambiguous };
  return { type: 'string', dayFirst: false, decimal, ambiguous: false };
}

/**
 * The separator for number columns that do not decide it themselves: the one the file's other
 * number columns use when they agree, else the convention of the delimiter (a ';'-separated file
 * is usually written where the comma is the decimal separator).
 */
export function fileDecimal(stats: readonly ColumnStats[], delimiter: Delimiter): DecimalSeparator {
  const evident = new Set(
    stats.filter((s) => Math.max(s.numbersPoint, s.numbersComma) >= MOSTLY * s.nonMissing && s.nonMissing > 0).map(evidentDecimal),
  );
  evident.delete(undefined);
  if (evident.size === 1) return [...evident][0]!;
  return delimiter === ';' ? ',' : '.';
}
