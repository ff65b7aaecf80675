/**
 * A small columnar plotting pipeline in the manner of Observable Plot: marks declare their
 * channels (typed arrays) and report the extent of their values; `renderPlot` computes the
 * domains, builds the scales and axes, and asks each mark to draw itself into one SVG group.
 * Marks never compute domains.
 */
import * as d3 from 'd3';

export type XScaleKind = 'linear' | 'time' | 'band';

/** x is a number (linear), epoch milliseconds (time) or a category label (band). */
export type XValues = ArrayLike<number> | readonly string[];

export interface Scales {
  x: d3.ScaleLinear<number, number> | d3.ScaleTime<number, number> | d3.ScaleBand<string>;
  y: d3.ScaleLinear<number, number> | d3.ScaleBand<string>;
  /** Position of the i-th x value (band centre for categories). */
  xAt(values: XValues, i: number): number;
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
}

export interface PlotOptions {
  width?: number;
  height?: number;
  /** `nice: false` keeps a linear x domain at the data's extent (default: rounded out to nice ticks). */
  x: { kind: XScaleKind; label?: string; nice?: boolean };
  /** `format`: a d3-format specifier for linear y ticks (default: SI prefixes from 10,000 up, plain numbers below). */
  y?: { label?: string; zero?: boolean; kind?: 'linear' | 'band'; format?: string };
  title?: string;
  marks: readonly Mark[];
}

const MARGIN = { top: 24, right: 16, bottom: 40, left: 64 };

/**
 * Tick format of a linear axis: SI prefixes (12k, 3.4M) for large values only; below 10,000 plain
 * numbers, because SI would write a density of 0.12 as "120m" (read as 120 million), and d3's
 * default writes the year 1970 as "1,970".
 */
function defaultFormat(scale: d3.ScaleLinear<number, number>): string {
  const [a, b] = scale.domain();
  return Math.max(Math.abs(a), Math.abs(b)) >= 1e4 ? '~s' : '~r';
}

/**
 * The default tick labels of a linear axis, each value formatted on its own (`defaultFormat`'s
 * specifier, up to 6 significant digits, trailing zeros trimmed): d3's `tickFormat` gives every
 * tick the largest tick's SI prefix and a precision from the step, which writes zero as "0k" and
 * can round neighbouring ticks to the same label.
 */
export function linearTickFormat(scale: d3.ScaleLinear<number, number>): (v: d3.NumberValue) => string {
  const format = d3.format(defaultFormat(scale));
  return (v) => {
    const n = Number(v);
    // A tick at zero computed as 1e-17 reads 0.
    return Math.abs(n) < 1e-12 * Math.max(...scale.domain().map(Math.abs)) ? '0' : format(n);
  };
}

/** Approximate width of 11 px system-ui text (no DOM measuring: charts also render for export). */
export function textWidth(text: string): number {
  return text.length * 6.5;
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

/** Height of a legend row. */
const LEGEND_ROW = 14;

/**
 * Where each legend entry goes: left to right from `start` (x relative to it), onto a new row when
 * the next one would pass `end` (a row always takes its first entry, however long).
 */
export function legendLayout(labels: readonly string[], start: number, end: number): { x: number; row: number }[] {
  let x = 0;
  let row = 0;
  return labels.map((label) => {
    const w = 14 + textWidth(label);
    if (x > 0 && start + x + w > end) {
      x = 0;
      row++;
    }
    const at = { x, row };
    x += w + 10;
    return at;
  });
}

/**
 * Renders a plot into `svg` (replacing its content). Returns the scales, for tests and overlays.
 */
export function renderPlot(svg: SVGSVGElement, options: PlotOptions): Scales {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const root = d3.select(svg);
  root.selectAll('*').remove();
  root.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  root.attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', 'system-ui, sans-serif').attr('font-size', 11);
  const extents = options.marks.map((m) => m.extent());
  // Category labels on a band y axis (cohort names) get the room they need on the left.
  const yCategories = options.y?.kind === 'band' ? categories(extents.map((e) => e.y)) : undefined;
  const margin = { ...MARGIN, left: Math.max(MARGIN.left, 14 + Math.max(0, ...(yCategories ?? []).map(textWidth))) };
  // The legend starts after the y label (both sit in the top margin) and wraps onto more rows
  // rather than running off the chart; the top margin grows by the extra rows.
  const legendStart = Math.max(margin.left, options.y?.label ? 4 + textWidth(options.y.label) + 16 : 0);
  const legend = options.marks.flatMap((m) => (m.legend ? [m.legend] : []));
  const legendRows = legendLayout(legend.map((l) => l.label), legendStart, width - MARGIN.right);
  const extraRows = legend.length > 1 ? Math.max(0, ...legendRows.map((r) => r.row)) : 0;
  margin.top += extraRows * LEGEND_ROW;
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
  const scales: Scales = { x, y, xAt };

  const g = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const xAxis = options.x.kind === 'band'
    ? d3.axisBottom(x as d3.ScaleBand<string>).tickValues(everyKth((x as d3.ScaleBand<string>).domain(), innerW, 44))
    : options.x.kind === 'time'
      ? d3.axisBottom(x as d3.ScaleTime<number, number>).ticks(Math.max(2, Math.floor(innerW / 90)))
      : d3.axisBottom(x as d3.ScaleLinear<number, number>).ticks(Math.max(2, Math.floor(innerW / 80))).tickFormat(linearTickFormat(x as d3.ScaleLinear<number, number>));
  g.append('g').attr('class', 'axis x').attr('transform', `translate(0,${innerH})`).call(xAxis as never);
  const yAxis = options.y?.kind === 'band'
    ? d3.axisLeft(y as d3.ScaleBand<string>).tickValues(everyKth((y as d3.ScaleBand<string>).domain(), innerH, 14, true))
    : options.y?.format
      ? d3.axisLeft(y as d3.ScaleLinear<number, number>).ticks(6, options.y.format)
      : d3.axisLeft(y as d3.ScaleLinear<number, number>).ticks(6).tickFormat(linearTickFormat(y as d3.ScaleLinear<number, number>));
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

  if (legend.length > 1) {
    const lg = root.append('g').attr('class', 'legend').attr('transform', `translate(${legendStart},10)`);
    legend.forEach(({ label, color }, i) => {
      const { x, row } = legendRows[i];
      const item = lg.append('g').attr('class', 'legend-item').attr('transform', `translate(${x},${row * LEGEND_ROW})`);
      item.append('rect').attr('width', 10).attr('height', 10).attr('y', -8).attr('fill', color);
      item.append('text').attr('x', 14).text(label);
    });
  }
  return scales;
}
