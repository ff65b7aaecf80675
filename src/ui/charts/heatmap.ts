/** A matrix of coloured cells (retention matrices, P(alive) by frequency and recency). */
import * as d3 from 'd3';
import { finiteExtent, type Mark } from './plot';
import { fmt } from '../format';

export interface HeatmapOptions {
  xLabels: readonly string[];
  yLabels: readonly string[];
  /** Row-major, yLabels.length x xLabels.length; NaN cells are left blank. */
  values: ArrayLike<number>;
  /** Colour domain; defaults to the values' range. */
  domain?: [number, number];
  /** Formats a value for the cell's hover title. */
  format?: (v: number) => string;
}

/** Distinct ids for the colour bars' gradients (several heatmaps share a page). */
let gradients = 0;

export function heatmapMark(options: HeatmapOptions): Mark {
  const domain = options.domain ?? finiteExtent(options.values);
  const color = d3.scaleSequential(d3.interpolateBlues).domain(domain);
  const format = options.format ?? ((v: number) => fmt(v, 2));
  return {
    extent: () => ({ x: options.xLabels, y: options.yLabels }),
    render(g, scales) {
      const x = scales.x as d3.ScaleBand<string>;
      const y = scales.y as d3.ScaleBand<string>;
      // Colour bar in the top margin, right-aligned: what the lightest and darkest cells mean.
      const id = `heatmap-gradient-${++gradients}`;
      const gradient = g.append('defs').append('linearGradient').attr('id', id);
      for (const t of [0, 0.25, 0.5, 0.75, 1]) {
        gradient.append('stop').attr('offset', `${t * 100}%`).attr('stop-color', color(domain[0] + t * (domain[1] - domain[0])));
      }
      const bar = g.append('g').attr('class', 'colour-bar').attr('transform', `translate(${x.range()[1] - 120},-18)`);
      bar.append('text').attr('x', -4).attr('y', 8).attr('text-anchor', 'end').attr('fill', 'currentColor').text(format(domain[0]));
      bar.append('rect').attr('width', 80).attr('height', 9).attr('fill', `url(#${id})`).attr('stroke', '#ccc');
      bar.append('text').attr('x', 84).attr('y', 8).attr('fill', 'currentColor').text(format(domain[1]));
      const nx = options.xLabels.length;
      options.yLabels.forEach((row, r) => {
        options.xLabels.forEach((col, c) => {
          const v = options.values[r * nx + c];
          if (!Number.isFinite(v)) return;
          g.append('rect').attr('class', 'cell').attr('x', x(col) ?? 0).attr('y', y(row) ?? 0)
            .attr('width', x.bandwidth()).attr('height', y.bandwidth()).attr('fill', color(v))
            .append('title').text(`${row} · ${col}: ${format(v)}`);
        });
      });
    },
  };
}
