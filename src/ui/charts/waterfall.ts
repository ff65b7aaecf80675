/**
 * A waterfall on a band x scale: totals as bars from zero, changes as bars floating from the
 * running total (up in one colour, down in another), each change with a whisker over its interval
 * placed at the running total, and thin connectors between consecutive bars.
 */
import type * as d3 from 'd3';
import { INK, NEUTRAL } from '../theme';
import { finiteExtent, type Mark } from './plot';

export interface WaterfallStepInput {
  label: string;
  /** A total starts from zero (and resets the running total); a change floats from the running total. */
  kind: 'total' | 'change';
  value: number;
  /** A change's interval (of the change itself). */
  low?: number;
  high?: number;
}

export interface WaterfallOptions {
  steps: readonly WaterfallStepInput[];
  /** Colour of totals, rises and falls. */
  total?: string;
  up?: string;
  down?: string;
  /** Formats values in the hover text. */
  format?: (v: number) => string;
  /**
   * Hold zero on the y axis (default false): a change of a few percent of a large total would be a
   * sliver beside bars from zero, so by default the axis spans the running totals and the totals'
   * bars rise from its bottom.
   */
  zero?: boolean;
}

/** Each step's bar from `from` to `to`, and its whisker (changes only) on the running total's scale. */
export function waterfallLayout(steps: readonly WaterfallStepInput[]): { from: number; to: number; low?: number; high?: number }[] {
  let running = 0;
  return steps.map((s) => {
    if (s.kind === 'total') {
      running = s.value;
      return { from: 0, to: s.value };
    }
    const from = running;
    running += s.value;
    return { from, to: running, ...(s.low !== undefined && s.high !== undefined ? { low: from + s.low, high: from + s.high } : {}) };
  });
}

/** A waterfall of `steps` (see the file's comment). */
export function waterfallMark(options: WaterfallOptions): Mark {
  const layout = waterfallLayout(options.steps);
  const labels = options.steps.map((s) => s.label);
  const fmt = options.format ?? ((v: number) => v.toPrecision(4));
  const colour = (i: number) =>
    options.steps[i].kind === 'total' ? (options.total ?? NEUTRAL) : options.steps[i].value >= 0 ? (options.up ?? '#59a14f') : (options.down ?? '#e15759');
  return {
    extent: () => ({
      x: labels,
      y: finiteExtent(
        layout.map((l, i) => (options.steps[i].kind === 'total' ? NaN : l.from)),
        layout.map((l) => l.to),
        layout.map((l) => l.low ?? NaN),
        layout.map((l) => l.high ?? NaN),
        options.zero ? [0] : [],
      ),
    }),
    render(g, scales) {
      const x = scales.x as d3.ScaleBand<string>;
      const y = scales.y as d3.ScaleLinear<number, number>;
      const w = x.bandwidth();
      // Totals rise from zero, or from the axis' end nearest zero when zero is off the axis.
      const [lo, hi] = y.domain();
      const floor = Math.max(Math.min(lo, hi), Math.min(Math.max(lo, hi), 0));
      layout.forEach((l0, i) => {
        const l = options.steps[i].kind === 'total' ? { ...l0, from: floor } : l0;
        const s = options.steps[i];
        const left = x(s.label) ?? 0;
        const item = g.append('g').attr('class', `waterfall ${s.kind}`).attr('data-label', s.label);
        item.append('rect').attr('x', left).attr('width', w).attr('y', Math.min(y(l.from), y(l.to)))
          .attr('height', Math.max(1, Math.abs(y(l.to) - y(l.from)))).attr('fill', colour(i));
        if (l.low !== undefined && l.high !== undefined) {
          item.append('line').attr('class', 'whisker').attr('x1', left + w / 2).attr('x2', left + w / 2)
            .attr('y1', y(l.low)).attr('y2', y(l.high)).attr('stroke', INK).attr('stroke-width', 1.5);
        }
        if (i + 1 < layout.length) {
          const next = x(options.steps[i + 1].label) ?? 0;
          g.append('line').attr('class', 'connector').attr('x1', left + w).attr('x2', next)
            .attr('y1', y(l.to)).attr('y2', y(l.to)).attr('stroke', NEUTRAL).attr('stroke-dasharray', '2 2');
        }
        const interval = s.low !== undefined && s.high !== undefined ? ` [${fmt(s.low)}, ${fmt(s.high)}]` : '';
        item.append('title').text(`${s.label}: ${s.kind === 'change' && s.value >= 0 ? '+' : ''}${fmt(s.value)}${interval}`);
      });
    },
  };
}
