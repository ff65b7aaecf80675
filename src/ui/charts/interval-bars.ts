/** Bars (or dots) for the posterior mean of each category, with a whisker over its interval. */
import type * as d3 from 'd3';
import { INK } from '../theme';
import { finiteExtent, type Mark } from './plot';
import { fmt } from '../format';

export interface IntervalBarsOptions {
  labels: readonly string[];
  mean: ArrayLike<number>;
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  fill?: string;
  /** Draw a dot instead of a bar (for quantities where zero is not a natural baseline). */
  dot?: boolean;
  /** Legend label (shown when the plot has more than one legend entry). */
  label?: string;
}

export function intervalBarsMark(options: IntervalBarsOptions): Mark {
  const fill = options.fill ?? '#4e79a7';
  return {
    legend: options.label ? { label: options.label, color: fill } : undefined,
    extent: () => ({ x: options.labels, y: finiteExtent(options.mean, options.low, options.high, options.dot ? [] : [0]) }),
    render(g, scales) {
      const x = scales.x as d3.ScaleBand<string>;
      const y = scales.y as d3.ScaleLinear<number, number>;
      const w = x.bandwidth();
      options.labels.forEach((label, i) => {
        const left = x(label) ?? 0;
        const item = g.append('g').attr('class', 'interval').attr('data-label', label);
        if (options.dot) {
          item.append('circle').attr('cx', left + w / 2).attr('cy', y(options.mean[i])).attr('r', 4).attr('fill', fill);
        } else {
          const top = Math.min(y(options.mean[i]), y(0));
          item.append('rect').attr('x', left).attr('width', w).attr('y', top)
            .attr('height', Math.abs(y(options.mean[i]) - y(0))).attr('fill', fill);
        }
        item.append('line').attr('x1', left + w / 2).attr('x2', left + w / 2)
          .attr('y1', y(options.low[i])).attr('y2', y(options.high[i])).attr('stroke', INK).attr('stroke-width', 1.5);
        item.append('title').text(`${label}: ${fmt(options.mean[i])} [${fmt(options.low[i])}, ${fmt(options.high[i])}]`);
      });
    },
  };
}
