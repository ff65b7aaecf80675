/** A line through (x[i], y[i]); non-finite y values break the line. */
import * as d3 from 'd3';
import { finiteExtent, type Mark, type XValues } from './plot';

export interface LineOptions {
  x: XValues;
  y: ArrayLike<number>;
  stroke?: string;
  strokeWidth?: number;
  dash?: string;
  label?: string;
  /**
   * One of many similar lines (a cohort each): hovering it brings it forward and dims the others
   * (plot.ts's style), and its label shows as a tooltip.
   */
  highlight?: boolean;
}

function xExtent(x: XValues): [number, number] | readonly string[] {
  return typeof x[0] === 'string' ? (x as readonly string[]) : finiteExtent(x as ArrayLike<number>);
}

export { xExtent };

/** Numeric x values (time or linear), or undefined for categories: only those can be hovered. */
export function numericX(x: XValues): ArrayLike<number> | undefined {
  return typeof x[0] === 'string' ? undefined : (x as ArrayLike<number>);
}

export function lineMark(options: LineOptions): Mark {
  const stroke = options.stroke ?? '#0969da';
  const x = numericX(options.x);
  return {
    legend: options.label ? { label: options.label, color: stroke } : undefined,
    hover: x ? [{ label: options.label, color: stroke, x, y: options.y }] : undefined,
    extent: () => ({ x: xExtent(options.x), y: finiteExtent(options.y) }),
    render(g, scales) {
      const y = scales.y as d3.ScaleLinear<number, number>;
      const index = d3.range(options.y.length);
      const path = d3
        .line<number>()
        .defined((i) => Number.isFinite(options.y[i]))
        .x((i) => scales.xAt(options.x, i))
        .y((i) => y(options.y[i]));
      const line = g.append('path')
        .attr('class', options.highlight ? 'line highlightable' : 'line')
        .attr('fill', 'none')
        .attr('stroke', stroke)
        .attr('stroke-width', options.strokeWidth ?? 1.5)
        .attr('stroke-dasharray', options.dash ?? null)
        .attr('d', path(index));
      if (options.highlight && options.label) line.append('title').text(options.label);
    },
  };
}
