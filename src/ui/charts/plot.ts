/**
 * A small columnar plotting pipeline in the manner of Observable Plot: marks declare their
 * channels (typed arrays) and report the extent of their values; `renderPlot` computes the
 * domains, builds the scales and axes, and asks each mark to draw itself into one SVG group.
 * Marks never compute domains.
 */
import * as d3 from 'd3';
import type { HoverSeries } from './hover';

export type XScaleKind = 'linear' | 'time' | 'band';

/** x is a number (linear), epoch milliseconds (time) or a category label (band). */
export type XValues = ArrayLike<number> | readonly string[];

export interface Scales {
  x: d3.ScaleLinear<number, number> | d3.ScaleTime<number, number> | d3.ScaleBand<string>;
  y: d3.ScaleLinear<number, number> | d3.ScaleBand<string>;
  /** Position of the i-th x value (band centre for categories). */
  xAt(values: XValues, i: number): number;
  /** The plotting area inside the margins, in SVG units (for overlays such as the hover rule). */
  frame: { left: number; top: number; width: number; height: number };
}

export interface Extent {
  x?: [number, number] | readonly string[];
  y?: [number, number] | readonly string[];
}

export interface Mark {
  /** The ranges of the values this mark draws, from which the plot builds its scales. */
  extent(): Extent;
  /** Draws into `g` (mutates the DOM). */
  render(g: d3.Selection<SVGGElement, unknown, null, undefined>, scales: Scales): void;
  /** Legend entry, if the mark has one. */
  legend?: { label: string; color: string };
  /** The series a time chart lists at the pointer (see hover.ts), if the mark has values to show. */
  hover?: readonly HoverSeries[];
}

/** Width of a plot whose options give none and whose container is not measured (export, report). */
export const DEFAULT_WIDTH = 720;

export interface PlotOptions {
  /** Fixed width in SVG units; when absent, Chart.svelte fills its container (else DEFAULT_WIDTH). */
  width?: number;
  height?: number;
  /** `nice: false` keeps a linear x domain at the data's extent (default: rounded out to nice ticks). */
  x: { kind: XScaleKind; label?: string; nice?: boolean };
  /** `format`: a d3-format specifier for linear y ticks (default: see `tickFormatter`). */
  y?: { label?: string; zero?: boolean; kind?: 'linear' | 'band'; format?: string };
  title?: string;
  marks: readonly Mark[];
}

const MARGIN = { top: 24, right: 16, bottom: 40, left: 64 };

/**
 * Tick labels of a linear axis. From 10,000 up, SI prefixes chosen per tick (0, 200k, 1.2M; never
 * "0k" or "0.2M"); below, plain numbers (`~r`), because SI would write a density of 0.12 as "120m"
 * (read as 120 million), and d3's default writes the year 1970 as "1,970". `specifier` (a d3-format
 * specifier) replaces the plain format. Precision grows until no two ticks read the same, so a
 * narrow range never shows "0.1 ... 0.1".
 */
export function tickFormatter(domain: readonly number[], count: number, specifier?: string): (v: number) => string {
  const scale = d3.scaleLinear().domain(domain);
  const ticks = scale.ticks(count);
  const distinct = (f: (v: number) => string): boolean => new Set(ticks.map(f)).size === ticks.length;
  const si = specifier === undefined && Math.max(...domain.map(Math.abs)) >= 1e4;
  if (!si) {
    const auto = scale.tickFormat(count, specifier ?? '~r');
    if (distinct(auto)) return auto;
  }
  const spec = d3.formatSpecifier(si ? '~s' : specifier ?? '~r');
  let f: (v: number) => string = String;
  for (let precision = 2; precision <= 17; precision++) {
    spec.precision = precision;
    const g = d3.format(spec.toString());
    f = (v) => (v === 0 ? '0' : g(v));
    if (distinct(f)) break;
  }
  return f;
}

/** A linear axis with `count` ticks labelled by `tickFormatter`. */
function linearAxis(axis: d3.Axis<d3.NumberValue>, scale: d3.ScaleLinear<number, number>, count: number, specifier?: string): d3.Axis<d3.NumberValue> {
  const format = tickFormatter(scale.domain(), count, specifier);
  return axis.ticks(count).tickFormat((v) => format(Number(v)));
}

/** Approximate width of 11 px system-ui text (no DOM measuring: charts also render for export). */
export function textWidth(text: string): number {
  return text.length * 6.5;
}

const LEGEND_ROW = 16;

/**
 * Legend entries laid out left to right from `start` (after the y label), wrapping onto a new row
 * (again from `start`) before one would pass `width`: every label is drawn whole, however many series there are.
 */
export function legendLayout(labels: readonly string[], start: number, width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = start;
  let row = 0;
  for (const label of labels) {
    const w = 24 + textWidth(label);
    if (x > start && x + w - 10 > width) {
      row++;
      x = start;
    }
    out.push({ x, row });
    x += w;
  }
  return out;
}

/**
 * Every k-th category, k chosen so that labels are at least `spacing` px apart over `length` px,
 * counted from the axis origin: the first category on x, the last (bottom) one on y.
 */
function everyKth(domain: readonly string[], length: number, spacing: number, fromEnd = false): string[] {
  const k = Math.max(1, Math.ceil((domain.length * spacing) / Math.max(1, length)));
  const n = domain.length;
  return domain.filter((_, i) => (fromEnd ? n - 1 - i : i) % k === 0);
}

function numericExtent(extents: ([number, number] | readonly string[] | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of extents) {
    if (!e || typeof e[0] === 'string') continue;
    const [a, b] = e as [number, number];
    if (Number.isFinite(a)) lo = Math.min(lo, a);
    if (Number.isFinite(b)) hi = Math.max(hi, b);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

function categories(extents: ([number, number] | readonly string[] | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const e of extents) if (e && typeof e[0] === 'string') (e as readonly string[]).forEach((c) => seen.add(c));
  return [...seen];
}

/** Min and max of the finite values of one or more arrays. */
export function finiteExtent(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return [lo, hi];
}

/**
 * Renders a plot into `svg` (replacing its content). Returns the scales, for tests and overlays.
 */
export function renderPlot(svg: SVGSVGElement, options: PlotOptions): Scales {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? 320;
  const root = d3.select(svg);
  root.selectAll('*').remove();
  root.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  root.attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', 'system-ui, sans-serif').attr('font-size', 11);
  const extents = options.marks.map((m) => m.extent());
  // Category labels on a band y axis (cohort names) get the room they need on the left.
  const yCategories = options.y?.kind === 'band' ? categories(extents.map((e) => e.y)) : undefined;
  const left = Math.max(MARGIN.left, 14 + Math.max(0, ...(yCategories ?? []).map(textWidth)));
  // The legend starts after the y label (both sit in the top margin), and takes more rows as needed.
  const legend = options.marks.flatMap((m) => (m.legend ? [m.legend] : []));
  const legendStart = Math.max(left, options.y?.label ? 4 + textWidth(options.y.label) + 16 : 0);
  const legendAt = legend.length > 1 ? legendLayout(legend.map((l) => l.label), legendStart, width) : [];
  const legendRows = legendAt.length ? legendAt[legendAt.length - 1].row + 1 : 1;
  const margin = { ...MARGIN, left, top: MARGIN.top + LEGEND_ROW * (legendRows - 1) };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;

  let x: Scales['x'];
  if (options.x.kind === 'band') {
    x = d3.scaleBand<string>().domain(categories(extents.map((e) => e.x))).range([0, innerW]).padding(0.2);
  } else {
    const [lo, hi] = numericExtent(extents.map((e) => e.x));
    x = options.x.kind === 'time'
      ? d3.scaleTime().domain([new Date(lo), new Date(hi)]).range([0, innerW])
      : options.x.nice === false
        ? d3.scaleLinear().domain([lo, hi]).range([0, innerW])
        : d3.scaleLinear().domain([lo, hi]).nice().range([0, innerW]);
  }
  let y: Scales['y'];
  if (options.y?.kind === 'band') {
    y = d3.scaleBand<string>().domain(yCategories ?? []).range([0, innerH]).padding(0.05);
  } else {
    let [lo, hi] = numericExtent(extents.map((e) => e.y));
    if (options.y?.zero) {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
    y = d3.scaleLinear().domain([lo, hi]).nice().range([innerH, 0]);
  }
  const xAt = (values: XValues, i: number): number => {
    const v = values[i];
    if (typeof v === 'string') {
      const band = x as d3.ScaleBand<string>;
      return (band(v) ?? 0) + band.bandwidth() / 2;
    }
    return options.x.kind === 'time' ? (x as d3.ScaleTime<number, number>)(new Date(v)) : (x as d3.ScaleLinear<number, number>)(v);
  };
  const scales: Scales = { x, y, xAt, frame: { left: margin.left, top: margin.top, width: innerW, height: innerH } };

  const g = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const xAxis = options.x.kind === 'band'
    ? d3.axisBottom(x as d3.ScaleBand<string>).tickValues(everyKth((x as d3.ScaleBand<string>).domain(), innerW, 44))
    : options.x.kind === 'time'
      ? d3.axisBottom(x as d3.ScaleTime<number, number>).ticks(Math.max(2, Math.floor(innerW / 90)))
      : linearAxis(d3.axisBottom(x as d3.ScaleLinear<number, number>), x as d3.ScaleLinear<number, number>, Math.max(2, Math.floor(innerW / 80)));
  g.append('g').attr('class', 'axis x').attr('transform', `translate(0,${innerH})`).call(xAxis as never);
  const yAxis = options.y?.kind === 'band'
    ? d3.axisLeft(y as d3.ScaleBand<string>).tickValues(everyKth((y as d3.ScaleBand<string>).domain(), innerH, 14, true))
    : linearAxis(d3.axisLeft(y as d3.ScaleLinear<number, number>), y as d3.ScaleLinear<number, number>, 6, options.y?.format);
  g.append('g').attr('class', 'axis y').call(yAxis as never);
  if (options.x.label) {
    g.append('text').attr('x', innerW).attr('y', innerH + 32).attr('text-anchor', 'end').attr('fill', 'currentColor').text(options.x.label);
  }
  if (options.y?.label) {
    g.append('text').attr('x', -margin.left + 4).attr('y', -10).attr('fill', 'currentColor').text(options.y.label);
  }
  if (options.title) root.append('title').text(options.title);

  for (const mark of options.marks) {
    const layer = g.append('g').attr('class', 'mark');
    mark.render(layer, scales);
  }

  // Many similar lines (cohorts): the one under the pointer stands out, the others fade.
  if (!root.select('.highlightable').empty()) {
    root.append('style').text(
      'svg:hover .highlightable{opacity:.2}svg .highlightable:hover{opacity:1;stroke-width:3px}.highlightable{pointer-events:visibleStroke}',
    );
  }
  if (legendAt.length) {
    const lg = root.append('g').attr('class', 'legend');
    legend.forEach(({ label, color }, i) => {
      const item = lg.append('g').attr('transform', `translate(${legendAt[i].x},${10 + LEGEND_ROW * legendAt[i].row})`);
      item.append('rect').attr('width', 10).attr('height', 10).attr('y', -8).attr('fill', color);
      item.append('text').attr('x', 14).text(label);
    });
  }
  return scales;
}
