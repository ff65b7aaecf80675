/** Points (x[i], y[i]) as small circles: a scatter of observations. */
import type * as d3 from 'd3';
import { xExtent } from './line';
import { MUTED } from '../theme';
import { finiteExtent, type Mark, type XValues } from './plot';

export interface DotOptions {
  x: XValues;
  y: ArrayLike<number>;
  fill?: string;
  /** Radius in px (default 2.5). */
  r?: number;
  /** Fill opacity, one for all points or one per point (fading those outside a window). */
  opacity?: number | ArrayLike<number>;
  /** Legend entry. */
  label?: string;
}

/** A circle per point with a finite y. */
export function dotMark(options: DotOptions): Mark {
  const fill = options.fill ?? MUTED;
  const opacity = options.opacity ?? 0.85;
  return {
    legend: options.label ? { label: options.label, color: fill } : undefined,
    extent: () => ({ x: xExtent(options.x), y: finiteExtent(options.y) }),
    render(g, scales) {
      const y = scales.y as d3.ScaleLinear<number, number>;
      for (let i = 0; i < options.y.length; i++) {
        if (!Number.isFinite(options.y[i])) continue;
        g.append('circle')
          .attr('class', 'dot')
          .attr('cx', scales.xAt(options.x, i))
          .attr('cy', y(options.y[i]))
          .attr('r', options.r ?? 2.5)
          .attr('fill', fill)
          .attr('fill-opacity', typeof opacity === 'number' ? opacity : opacity[i]);
      }
    },
  };
}
