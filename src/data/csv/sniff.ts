/**
 * CSV sniffing: from the first 64 KB of a file, its delimiter (comma, semicolon, tab, pipe or
 * whitespace) and whether its first row is a header (a cell the column's type, typed on the rows
 * below, cannot read).
 */
import type { DecimalSeparator } from '../../api/types';
import { DELIMITERS, isMissing, matchDate, parseDateCell, parseNumber, splitLine, WHITESPACE, type Delimiter } from './cells';
import { badInput, decodeHead, readHead, SNIFF_BYTES, type Source } from './scan';
import { newStats, observe, plan } from './typing';

/** Non-blank lines of the head that the delimiter and header are decided on. */
const SNIFF_LINES = 50;

/** What a file's head says about how to read it. */
export interface Sniffed {
  delimiter: Delimiter;
  /** Whether the first row names the columns. */
  hasHeader: boolean;
}

/**
 * The delimiter and header of `source` (`size` bytes or characters) from its head; an error when
 * the head is blank, binary, not UTF-8, or one cut line. `chosen` is the decimal separator fixed by
 * the caller, if any (it decides how the rows below a possible header are typed).
 */
export async function sniff(source: Source, size: number, name: string, chosen?: DecimalSeparator): Promise<Sniffed> {
  const head = decodeHead(await readHead(source), name).replace(/^\uFEFF/, '');
  if (head.trim().length === 0) throw badInput(name, 'is empty (only blank lines).');
  const headLines = head.split(/\r\n|\n|\r/);
  if (size > SNIFF_BYTES) headLines.pop(); // possibly cut mid-line
  const sample = headLines.filter((l) => l.trim() !== '').slice(0, SNIFF_LINES);
  if (sample.length === 0) throw badInput(name, 'has no complete line in its first 64 KB.');
  const delimiter = sniffDelimiter(sample);
  const rows = sample.map((l) => splitLine(l, delimiter));
  return { delimiter, hasHeader: looksLikeHeader(rows[0], rows.slice(1), delimiter, chosen) };
}

/** The delimiter that splits every sample line into the same number (> 1) of fields, the most such. */
function sniffDelimiter(lines: string[]): Delimiter {
  let best: { d: Delimiter; fields: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitLine(l, d).length);
    const first = counts[0];
    if (first > 1 && counts.every((c) => c === first) && (!best || first > best.fields)) best = { d, fields: first };
  }
  if (best) return best.d;
  const ws = lines.map((l) => splitLine(l, WHITESPACE).length);
  if (ws[0] > 1 && ws.every((c) => c === ws[0])) return WHITESPACE;
  // Inconsistent everywhere: take the delimiter most lines agree on, so the row check names the bad line.
  let vote: { d: Delimiter; score: number } = { d: ',', score: 0 };
  for (const d of DELIMITERS) {
    const score = lines.filter((l) => l.includes(d)).length;
    if (score > vote.score) vote = { d, score };
  }
  return vote.d;
}

/** Whether the first row is a header: a cell its column's type cannot read, or distinct labels over text columns. */
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
