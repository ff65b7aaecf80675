/**
 * CSV parsing, stage by stage: sniff the head (delimiter, header), survey every row (pass 1: field
 * counts, encoding, per-column statistics), name and type the columns, then read the values into
 * typed arrays of the now-known length (pass 2). Every rejection is an InputError naming the file,
 * the (physical) line and the column.
 */
import { InputError } from '../../api/errors';
import type { ColumnType, CsvOptions, DecimalReading, DecimalSeparator } from '../../api/types';
import type { Column, Table } from '../table';
import { isMissing, parseDateCell, parseNumber, type DateFamily, type Delimiter } from './cells';
import { badInput, scan, type Source } from './scan';
import { sniff } from './sniff';
import { fileDecimal, newStats, observe, plan, type ColumnPlan, type ColumnStats } from './typing';
import { columnWarnings, repeatedDateWarnings } from './warnings';

export interface ParsedCsv {
  table: Table;
  /** Per-column notes the user should see (missing values, mixed types, repeated dates, ...). */
  warnings: string[];
  /** How the numbers of ambiguous columns (12,500: 12.5 or 12500?) were read; absent when none is. */
  decimal?: DecimalReading;
  /** Each date column's format as read ("dd/mm/yyyy"), by column name. */
  dateFormats?: Record<string, string>;
}

/** The file's rows as pass 1 saw them. */
interface Survey {
  /** The header's cells (trimmed), when the file has one. */
  header?: string[];
  /** The physical line of the header (0 without one). */
  headerLine: number;
  /** Fields per row. */
  width: number;
  /** Data rows. */
  rows: number;
  stats: ColumnStats[];
}

/** Parses `source` in two passes, reporting the fraction read (half per pass). */
export async function parseSource(source: Source, name: string, options: CsvOptions, onProgress?: (fraction: number) => void): Promise<ParsedCsv> {
  const chosen = decimalOption(options);
  const size = typeof source === 'string' ? source.length : source.size;
  if (size === 0) throw badInput(name, 'is empty.');
  const { delimiter, hasHeader } = await sniff(source, size, name, chosen);
  const survey = await surveyRows(source, name, delimiter, hasHeader, onProgress && ((f) => onProgress(f / 2)));
  const warnings: string[] = [];
  const names = columnNames(survey, name, warnings);
  if (survey.rows === 0) throw badInput(name, survey.header ? `has a header (line ${survey.headerLine}) but no data rows.` : 'has no data rows.');
  if (survey.rows === 1) throw badInput(name, 'has only 1 data row; at least 2 rows are needed for any analysis.');

  const { stats } = survey;
  const fallback = fileDecimal(stats, delimiter);
  const plans = stats.map((s) => plan(s, fallback, delimiter, chosen));
  if (!plans.some((p) => p.type === 'number')) {
    throw badInput(name, `has no numeric column (columns: ${names.map((n, j) => `"${n}" (${plans[j].type})`).join(', ')}). Every model needs at least one column of numbers.`);
  }
  plans.forEach((p, j) => warnings.push(...columnWarnings(`Column "${names[j]}"`, stats[j], p, chosen)));
  const ambiguous = names.filter((_, j) => plans[j].ambiguous || (chosen !== undefined && plans[j].type === 'number' && stats[j].differ));

  const table = await readTable(source, name, delimiter, hasHeader, names, plans, survey.rows, onProgress && ((f) => onProgress(0.5 + f / 2)));
  warnings.push(...repeatedDateWarnings(table));
  const decimal: DecimalReading | undefined = ambiguous.length ? { ambiguous, read: chosen ?? fallback, chosen: chosen !== undefined } : undefined;
  const dateFormats = Object.fromEntries(plans.flatMap((p, j) => (p.type === 'date' ? [[names[j], dateFormatText(stats[j], p.dayFirst)]] : [])));
  return { table, warnings, ...(decimal ? { decimal } : {}), ...(Object.keys(dateFormats).length ? { dateFormats } : {}) };
}

const FAMILY_FORMAT: Record<DateFamily, string> = { iso: 'yyyy-mm-dd', ymd: 'yyyy/mm/dd', compact: 'yyyymmdd', ym: 'yyyy-mm (first of the month)', 'ab-y': '' };

/** How a date column was read, in words a user checks against the file ("dd/mm/yyyy"). */
function dateFormatText(s: ColumnStats, dayFirst: boolean): string {
  return [...s.dateFamilies.keys()].map((f) => (f === 'ab-y' ? (dayFirst ? 'dd/mm/yyyy (day first)' : 'mm/dd/yyyy (month first)') : FAMILY_FORMAT[f])).join(', ');
}

/** `CsvOptions.decimal`, checked. */
function decimalOption(options: CsvOptions): DecimalSeparator | undefined {
  const d = options.decimal;
  if (d !== undefined && d !== '.' && d !== ',') throw new InputError(`The decimal option must be "." or ",", got ${JSON.stringify(d)}.`);
  return d;
}

/** Pass 1: the header, every row's field count and encoding, and each column's statistics. */
async function surveyRows(source: Source, name: string, delimiter: Delimiter, hasHeader: boolean, onProgress?: (fraction: number) => void): Promise<Survey> {
  const survey: Survey = { headerLine: 0, width: 0, rows: 0, stats: [] };
  await scan(
    source,
    name,
    delimiter,
    (fields, line) => {
      if (survey.width === 0) {
        survey.width = fields.length;
        survey.stats = fields.map(newStats);
        if (hasHeader) {
          survey.header = fields.map((f) => f.trim());
          survey.headerLine = line;
          return;
        }
      }
      const { width, stats } = survey;
      if (fields.length !== width) {
        const what = survey.header ? 'the header has' : 'the first line has';
        throw badInput(name, `line ${line} has ${fields.length} fields but ${what} ${width}. Check for a stray delimiter or a missing value on that line.`);
      }
      for (let j = 0; j < width; j++) {
        if (fields[j].includes('\uFFFD')) {
          throw badInput(name, `line ${line} is not valid UTF-8 text. Save the file as "CSV UTF-8" and try again.`);
        }
        observe(stats[j], fields[j], line);
      }
      survey.rows++;
    },
    onProgress,
  );
  return survey;
}

/** The columns' names: the header's (a blank one named column_j, with a warning; a repeated one an error), else column_1 … */
function columnNames({ header, width }: Survey, name: string, warnings: string[]): string[] {
  if (!header) {
    warnings.push(`No header row found (the first line holds data); columns are named column_1 … column_${width}.`);
    return Array.from({ length: width }, (_, j) => `column_${j + 1}`);
  }
  const names = header.map((h, j) => {
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
  return names;
}

/** Pass 2: the values of `rows` data rows, typed as `plans` say (missing and unreadable cells NaN or ''). */
async function readTable(
  source: Source,
  name: string,
  delimiter: Delimiter,
  hasHeader: boolean,
  names: readonly string[],
  plans: readonly ColumnPlan[],
  rows: number,
  onProgress?: (fraction: number) => void,
): Promise<Table> {
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
      for (let j = 0; j < columns.length; j++) {
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
    onProgress,
  );
  return {
    rows,
    columns: columns.map((c): Column => {
      if (c.type === 'string') return { name: c.name, type: 'string', values: c.str! };
      return c.type === 'date' ? { name: c.name, type: 'date', values: c.num! } : { name: c.name, type: 'number', values: c.num! };
    }),
  };
}
