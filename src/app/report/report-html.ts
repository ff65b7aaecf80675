/**
 * The building blocks of a report's HTML: escaping, sections, tables and figures. Every string
 * from the data (column, channel and file names) goes through `esc`; cells and paragraphs take
 * plain text and escape it, so a caller cannot forget.
 */
import type { Estimate } from '../../api/types';
import type { PlotOptions } from '../../ui/charts/plot';
import { fmt, fmtInterval } from '../../ui/format';
import { plotSvg } from './report-svg';

/** `text` with the characters HTML gives a meaning to written as entities. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** One section of a report: its heading and its (already built) HTML. */
export interface Section {
  /** The section's id (its anchor, and what tests look for). */
  id: string;
  title: string;
  html: string;
  /** Printed from a new page (the chart and table sections; the short summary ones share the first). */
  newPage?: boolean;
}

/** One headline answer: a quantity with its 94% interval. */
export interface Headline {
  label: string;
  estimate: Estimate;
  /** How to write the numbers (default `fmt`). */
  format?: (v: number) => string;
}

export function sectionHtml(s: Section): string {
  return `<section id="${esc(s.id)}"${s.newPage ? ' class="new-page"' : ''} data-section="${esc(s.id)}"><h2>${esc(s.title)}</h2>\n${s.html}</section>\n`;
}

/** A paragraph of plain text. */
export function para(text: string, cls?: string): string {
  return `<p${cls ? ` class="${esc(cls)}"` : ''}>${esc(text)}</p>`;
}

/** A bulleted list of plain-text items. */
export function list(items: readonly string[]): string {
  return `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

/** A table of plain-text cells; `numeric` columns align right. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], numeric: readonly number[] = []): string {
  const cls = (k: number) => (numeric.includes(k) ? ' class="num"' : '');
  const th = head.map((h, k) => `<th${cls(k)}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, k) => `<td${cls(k)}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A key-value table (label, value). */
export function facts(rows: readonly (readonly [string, string])[]): string {
  return `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** A chart as an inline SVG figure, captioned with its title (and `note`). */
export function figure(options: PlotOptions, note?: string): string {
  const caption = [options.title, note].filter(Boolean).join(' — ');
  return `<figure class="chart">${plotSvg(options)}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

/** The headline answers as a table: mean and 94% HDI. */
export function headlineTable(rows: readonly Headline[]): string {
  return table(
    ['Quantity', 'Estimate (mean)', '94% interval'],
    rows.map((h) => {
      const f = h.format ?? ((v: number) => fmt(v));
      return [h.label, f(h.estimate.mean), `${f(h.estimate.hdiLow)} to ${f(h.estimate.hdiHigh)}`];
    }),
    [1, 2],
  );
}

/** A percentage of a share in [0, 1]. */
export const pct = (v: number): string => `${fmt(100 * v, 3)}%`;

export { fmt, fmtInterval };
