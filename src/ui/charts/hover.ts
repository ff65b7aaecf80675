/**
 * Values at the pointer on a time-series chart: a vertical rule at the nearest date and a small
 * tooltip listing each series' value there (and its interval for a band). The lookup and the text
 * are pure functions (`hoverAt`, `hoverText`); `attachHover` wires them to a rendered plot. Only
 * the studio's pages attach it (Chart.svelte): the report's static SVGs have no script.
 */
import * as d3 from 'd3';
import { fmt } from '../format';
import type { PlotOptions, Scales } from './plot';

/**
 * What a mark shows at the pointer: a line's (or stacked layer's) value `y`, or a band's interval
 * `[low, high]`. An unlabelled band adds its interval to the row of the line of its colour.
 */
export type HoverSeries =
  | { label?: string; color: string; x: ArrayLike<number>; y: ArrayLike<number> }
  | { label?: string; color: string; x: ArrayLike<number>; low: ArrayLike<number>; high: ArrayLike<number> };

/** One row of the tooltip: a series' value and/or interval at the hovered x. */
export interface HoverRow {
  label: string;
  color: string;
  value?: number;
  low?: number;
  high?: number;
}

/** Most rows a tooltip lists; the rest are counted on one line (many cohorts would fill the chart). */
export const MAX_ROWS = 10;

function hasValueAt(s: HoverSeries, i: number): boolean {
  return 'y' in s ? Number.isFinite(s.y[i]) : Number.isFinite(s.low[i]) && Number.isFinite(s.high[i]);
}

/**
 * The x value nearest to `t` at which at least one series has a finite value (undefined when
 * none has any). Linear in the points: series need not be sorted or share their x values.
 */
export function nearestX(series: readonly HoverSeries[], t: number): number | undefined {
  let best: number | undefined;
  let bestDistance = Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const d = Math.abs(x - t);
      if (Number.isFinite(x) && d < bestDistance && hasValueAt(s, i)) {
        best = x;
        bestDistance = d;
      }
    }
  }
  return best;
}

/** Index of `x` in `xs` at which series `s` has a finite value, or -1. */
function indexOf(s: HoverSeries, x: number): number {
  for (let i = 0; i < s.x.length; i++) if (s.x[i] === x && hasValueAt(s, i)) return i;
  return -1;
}

/**
 * The rows at the x value nearest `t`: one per series with a value there, in the marks' order; an
 * unlabelled band's interval joins the labelled line of the same colour (a contribution and its
 * HDI), a labelled band has its own row. Undefined when no series has a value anywhere.
 */
export function hoverAt(series: readonly HoverSeries[], t: number): { x: number; rows: HoverRow[] } | undefined {
  const x = nearestX(series, t);
  if (x === undefined) return undefined;
  const rows: HoverRow[] = [];
  const pending: { color: string; low: number; high: number }[] = [];
  for (const s of series) {
    const i = indexOf(s, x);
    if (i < 0) continue;
    if ('y' in s) rows.push({ label: s.label ?? '', color: s.color, value: s.y[i] });
    else {
      const [low, high] = [Math.min(s.low[i], s.high[i]), Math.max(s.low[i], s.high[i])];
      if (s.label) rows.push({ label: s.label, color: s.color, low, high });
      else pending.push({ color: s.color, low, high });
    }
  }
  for (const band of pending) {
    const row = rows.find((r) => r.color === band.color && r.value !== undefined && r.low === undefined);
    if (row) Object.assign(row, { low: band.low, high: band.high });
    else rows.push({ label: '', color: band.color, low: band.low, high: band.high });
  }
  return { x, rows };
}

/** A time as a date (UTC midnight, as the studio stores periods) or a UTC date and minute. */
export function formatTime(t: number): string {
  const iso = new Date(t).toISOString();
  return t % 86_400_000 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** One row as text: `label: value [low, high]`, numbers by `fmt`. */
export function rowText(row: HoverRow): string {
  const parts: string[] = [];
  if (row.value !== undefined) parts.push(fmt(row.value));
  if (row.low !== undefined && row.high !== undefined) parts.push(`[${fmt(row.low)}, ${fmt(row.high)}]`);
  return row.label ? `${row.label}: ${parts.join(' ')}` : parts.join(' ');
}

/** The tooltip's lines: the date, then at most MAX_ROWS rows, then how many more there are. */
export function hoverText(at: { x: number; rows: readonly HoverRow[] }): string[] {
  const lines = [formatTime(at.x), ...at.rows.slice(0, MAX_ROWS).map(rowText)];
  if (at.rows.length > MAX_ROWS) lines.push(`… ${at.rows.length - MAX_ROWS} more`);
  return lines;
}

const LINE = 15;
/** Approximate width of a character of the tooltip's 11 px text (no DOM measuring, as in plot.ts). */
const CHAR = 6.5;

/**
 * Shows the values at the pointer on a plot `renderPlot` drew into `svg` (applies to the DOM:
 * appends a hidden overlay group and pointer listeners on `svg`, which the next render removes).
 * Does nothing unless x is time and some mark has hover series.
 */
export function attachHover(svg: SVGSVGElement, options: PlotOptions, scales: Scales): void {
  const root = d3.select(svg);
  root.on('.hover', null); // an earlier render's listeners
  const series = options.marks.flatMap((m) => m.hover ?? []);
  if (options.x.kind !== 'time' || series.length === 0) return;
  const { left, top, width, height } = scales.frame;
  const x = scales.x as d3.ScaleTime<number, number>;
  const layer = root.append('g').attr('class', 'hover').attr('transform', `translate(${left},${top})`)
    .attr('pointer-events', 'none').attr('display', 'none');
  const rule = layer.append('line').attr('y1', 0).attr('y2', height).attr('stroke', '#57606a').attr('stroke-width', 1);
  const tip = layer.append('g').attr('class', 'hover-tip');
  const box = tip.append('rect').attr('fill', '#fff').attr('fill-opacity', 0.92).attr('stroke', '#d0d7de').attr('rx', 3);
  const text = tip.append('text').attr('fill', 'currentColor');
  const hide = () => layer.attr('display', 'none');
  root.on('pointermove.hover', (event: PointerEvent) => {
    const [px, py] = d3.pointer(event, layer.node());
    if (px < 0 || px > width || py < 0 || py > height) return hide();
    const at = hoverAt(series, x.invert(px).getTime());
    if (!at) return hide();
    const lines = hoverText(at);
    const rx = x(new Date(at.x));
    rule.attr('x1', rx).attr('x2', rx);
    text.selectAll('tspan').remove();
    tip.selectAll('rect.swatch').remove();
    lines.forEach((line, k) => {
      // Each series' row after the date, with a swatch of its colour (the "… more" line has none).
      const row = k > 0 && k <= MAX_ROWS ? at.rows[k - 1] : undefined;
      if (row) tip.append('rect').attr('class', 'swatch').attr('x', 8).attr('y', 8 + LINE * k).attr('width', 8).attr('height', 8).attr('fill', row.color);
      text.append('tspan').attr('x', row ? 20 : 8).attr('y', 16 + LINE * k).attr('font-weight', k === 0 ? 600 : null).text(line);
    });
    const w = 28 + CHAR * Math.max(...lines.map((l) => l.length));
    const h = 8 + LINE * lines.length;
    box.attr('width', w).attr('height', h);
    // Right of the rule when it fits, else left of it; never above the frame.
    const tx = rx + 8 + w <= width ? rx + 8 : Math.max(-left, rx - 8 - w);
    tip.attr('transform', `translate(${tx},${Math.max(0, Math.min(py - h / 2, height - h))})`);
    layer.attr('display', null);
  });
  root.on('pointerleave.hover', hide);
}
