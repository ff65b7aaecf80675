/** A vertical rule at an x value (an intervention date, a threshold), with an optional label. */
import type * as d3 from 'd3';
import type { Mark } from './plot';

export interface RuleOptions {
  x: number;
  label?: string;
  stroke?: string;
}

export function ruleXMark(options: RuleOptions): Mark {
  return {
    extent: () => ({ x: [options.x, options.x] }),
    render(g, scales) {
      const px = scales.xAt([options.x], 0);
      const [y0, y1] = (scales.y as d3.ScaleLinear<number, number>).range();
      g.append('line').attr('class', 'rule').attr('x1', px).attr('x2', px).attr('y1', y0).attr('y2', y1)
        .attr('stroke', options.stroke ?? '#b42318').attr('stroke-dasharray', '4 3');
      if (options.label) g.append('text').attr('x', px + 4).attr('y', y1 + 12).attr('fill', '#b42318').text(options.label);
    },
  };
}
