/**
 * Rules across the plot: a vertical one at an x value (an intervention date, a threshold) and a
 * horizontal one at a y value (zero, break-even), as Observable Plot's ruleX and ruleY.
 */
import type * as d3 from 'd3';
import { DANGER, NEUTRAL } from '../theme';
import { textWidth, type Mark } from './plot';

export interface RuleOptions {
  x: number;
  label?: string;
  stroke?: string;
}

/** A dashed vertical rule at `x` over the plot's height, with an optional label at its top. */
export function ruleXMark(options: RuleOptions): Mark {
  return {
    extent: () => ({ x: [options.x, options.x] }),
    render(g, scales) {
      const px = scales.xAt([options.x], 0);
      const [y0, y1] = (scales.y as d3.ScaleLinear<number, number>).range();
      g.append('line').attr('class', 'rule').attr('x1', px).attr('x2', px).attr('y1', y0).attr('y2', y1)
        .attr('stroke', options.stroke ?? DANGER).attr('stroke-dasharray', '4 3');
      if (options.label) {
        // Near the right edge the label goes to the rule's left, so it is never cut off.
        const right = (scales.x.range() as number[])[1];
        const before = px + 4 + textWidth(options.label) > right;
        g.append('text').attr('x', before ? px - 4 : px + 4).attr('text-anchor', before ? 'end' : 'start')
          .attr('y', y1 + 12).attr('fill', DANGER).text(options.label);
      }
    },
  };
}

export interface RuleYOptions {
  y: number;
  stroke?: string;
  strokeWidth?: number;
  /** An SVG dash array ('4 3'); solid without. */
  dash?: string;
}

/** A horizontal rule at `y` over the plot's width. */
export function ruleYMark(options: RuleYOptions): Mark {
  return {
    extent: () => ({ y: [options.y, options.y] }),
    render(g, scales) {
      const py = (scales.y as d3.ScaleLinear<number, number>)(options.y);
      const [x0, x1] = scales.x.range();
      g.append('line').attr('class', 'rule-y').attr('x1', x0).attr('x2', x1).attr('y1', py).attr('y2', py)
        .attr('stroke', options.stroke ?? NEUTRAL).attr('stroke-width', options.strokeWidth ?? 1)
        .attr('stroke-dasharray', options.dash ?? null);
    },
  };
}
