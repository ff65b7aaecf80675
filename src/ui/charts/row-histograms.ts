/**
 * Small histograms stacked in the rows of a band y scale, all on one linear x scale (ArviZ's rank
 * plot: one row of rank-bin bars per chain), with an optional dashed reference level per row.
 */
import type * as d3 from 'd3';
import { INK, NEUTRAL } from '../theme';
import type { Mark } from './plot';

export interface RowHistogramsOptions {
  /** Row labels, top to bottom: the band y scale's categories. */
  rows: readonly string[];
  /** Bin edges on x, ascending, length bins + 1. */
  edges: ArrayLike<number>;
  /** `counts[row][bin]`; non-finite counts are not drawn. */
  counts: readonly ArrayLike<number>[];
  /** The count that fills a row's full band height; the caller sets it (at least the largest count) so rows share one scale. */
  max: number;
  /** A count drawn as a dashed line across every row (the uniform expectation of a rank plot). */
  reference?: number;
  /** Bar colour per row, cycled. */
  fills?: readonly string[];
}

const short = (v: number): number => Number(v.toPrecision(4));

export function rowHistogramsMark(options: RowHistogramsOptions): Mark {
  const { rows, edges, counts } = options;
  const fills = options.fills?.length ? options.fills : ['#4e79a7'];
  const max = options.max > 0 ? options.max : 1;
  const bins = edges.length - 1;
  return {
    extent: () => ({ x: [edges[0], edges[bins]], y: rows }),
    render(g, scales) {
      const x = scales.x as d3.ScaleLinear<number, number>;
      const y = scales.y as d3.ScaleBand<string>;
      const h = y.bandwidth();
      rows.forEach((row, r) => {
        const base = (y(row) ?? 0) + h;
        const item = g.append('g').attr('class', 'row-histogram').attr('data-label', row);
        item.append('line').attr('x1', x(edges[0])).attr('x2', x(edges[bins])).attr('y1', base).attr('y2', base)
          .attr('stroke', NEUTRAL);
        for (let j = 0; j < bins; j++) {
          const v = counts[r][j];
          if (!Number.isFinite(v)) continue;
          const left = x(edges[j]);
          const width = Math.max(0, x(edges[j + 1]) - left - 1);
          const height = (h * Math.min(v, max)) / max;
          item.append('rect').attr('class', 'bar').attr('x', left + 0.5).attr('width', width)
            .attr('y', base - height).attr('height', height).attr('fill', fills[r % fills.length])
            .append('title').text(`${row}, ${short(edges[j])}–${short(edges[j + 1])}: ${v}`);
        }
        if (options.reference !== undefined && Number.isFinite(options.reference)) {
          const level = base - (h * Math.min(options.reference, max)) / max;
          item.append('line').attr('class', 'reference').attr('x1', x(edges[0])).attr('x2', x(edges[bins]))
            .attr('y1', level).attr('y2', level).attr('stroke', INK).attr('stroke-dasharray', '4 3');
        }
      });
    },
  };
}
