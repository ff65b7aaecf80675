/**
 * What the user should know about a CSV file as it was read: missing values, cells a column's type
 * could not read, overflows, decimal commas and ambiguous numbers, mixed or ambiguous date formats,
 * repeated dates.
 */
import type { DecimalSeparator } from '../../api/types';
import type { Table } from '../table';
import { parseNumber, type DateFamily } from './cells';
import type { ColumnPlan, ColumnStats } from './typing';

/** The lines shown, with … when `total` is more. */
function lineList(lines: number[], total: number): string {
  const shown = lines.join(', ');
  return total > lines.length ? `${shown}, …` : shown;
}

/** A number as the warnings show it (12500, 12.5). */
const shown = (v: number): string => String(v);

const DATE_FORMAT: Record<DateFamily, string> = {
  iso: 'yyyy-mm-dd',
  ymd: 'yyyy/mm/dd',
  compact: 'yyyymmdd',
  ym: 'yyyy-mm',
  'ab-y': 'dd/mm/yyyy or mm/dd/yyyy',
};

/** What the user should know about one column as it was read. */
export function columnWarnings(col: string, s: ColumnStats, p: ColumnPlan, chosen: DecimalSeparator | undefined): string[] {
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
export function repeatedDateWarnings(table: Table): string[] {
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
