/** Vertical bars from zero to y[i], one per category on a band x scale (a histogram's counts, a budget per channel). */
import type * as d3 from 'd3';
import { finiteExtent, type Mark } from './plot';
import { fmt } from '../format';

export interface BarYOptions {
  /** The category of each bar (the band x scale's domain). */
  x: readonly string[];
  /** Bar heights, from zero; a non-finite value draws no bar. */
  y: ArrayLike<number>;
  fill?: string;
  /** Legend entry. */
  label?: string;
}

/** Bars of height `y[i]` over category `x[i]`; each says its value on hover. */
export function barYMark(options: BarYOptions): Mark {
  const fill = options.fill ?? '#4e79a7';
  return {
    legend: options.label ? { label: options.label, color: fill } : undefined,
    extent: () => ({ x: options.x, y: finiteExtent(options.y, [0]) }),
    render(g, scales) {
      const x = scales.x as d3.ScaleBand<string>;
      const y = scales.y as d3.ScaleLinear<number, number>;
      const w = x.bandwidth();
      for (let i = 0; i < options.x.length; i++) {
        const v = options.y[i];
        if (!Number.isFinite(v)) continue;
        g.append('rect')
          .attr('class', 'bar')
          .attr('data-label', options.x[i])
          .attr('x', x(options.x[i]) ?? 0)
          .attr('width', w)
          .attr('y', Math.min(y(v), y(0)))
          .attr('height', Math.abs(y(v) - y(0)))
          .attr('fill', fill)
          .append('title')
          .text(`${options.x[i]}: ${fmt(v)}`);
      }
    },
  };
}
