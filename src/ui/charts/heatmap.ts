/** A matrix of coloured cells (retention matrices, P(alive) by frequency and recency). */
import * as d3 from 'd3';
import { finiteExtent, type Mark } from './plot';

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

export function heatmapMark(options: HeatmapOptions): Mark {
  const domain = options.domain ?? finiteExtent(options.values);
  const color = d3.scaleSequential(d3.interpolateBlues).domain(domain);
  const format = options.format ?? ((v: number) => v.toPrecision(3));
  return {
    extent: () => ({ x: options.xLabels, y: options.yLabels }),
    render(g, scales) {
      const x = scales.x as d3.ScaleBand<string>;
      const y = scales.y as d3.ScaleBand<string>;
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
