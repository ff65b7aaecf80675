/** A filled band between y1[i] and y2[i] (an HDI band around a line). */
import * as d3 from 'd3';
import { finiteExtent, type Mark, type XValues } from './plot';
import { numericX, xExtent } from './line';

export interface BandOptions {
  x: XValues;
  y1: ArrayLike<number>;
  y2: ArrayLike<number>;
  fill?: string;
  opacity?: number;
  label?: string;
}

export function bandMark(options: BandOptions): Mark {
  const fill = options.fill ?? '#0969da';
  const x = numericX(options.x);
  return {
    legend: options.label ? { label: options.label, color: fill } : undefined,
    hover: x ? [{ label: options.label, color: fill, x, low: options.y1, high: options.y2 }] : undefined,
    extent: () => ({ x: xExtent(options.x), y: finiteExtent(options.y1, options.y2) }),
    render(g, scales) {
      const y = scales.y as d3.ScaleLinear<number, number>;
      const area = d3
        .area<number>()
        .defined((i) => Number.isFinite(options.y1[i]) && Number.isFinite(options.y2[i]))
        .x((i) => scales.xAt(options.x, i))
        .y0((i) => y(options.y1[i]))
        .y1((i) => y(options.y2[i]));
      g.append('path')
        .attr('class', 'band')
        .attr('fill', fill)
        .attr('fill-opacity', options.opacity ?? 0.2)
        .attr('d', area(d3.range(options.y1.length)));
    },
  };
}
