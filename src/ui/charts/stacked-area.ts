/** Series stacked on top of each other over x (contributions over time); negative parts stack below 0. */
import * as d3 from 'd3';
import { seriesColor } from '../theme';
import type { Mark } from './plot';
import { xExtent } from './line';

export interface StackedAreaOptions {
  x: ArrayLike<number>;
  /** Layers from the bottom up; `color` defaults to the palette's k-th colour. */
  series: readonly { label: string; values: ArrayLike<number>; color?: string }[];
}

/** Lower and upper bounds of each series' layer at each x (diverging stack). */
export function stackLayers(series: StackedAreaOptions['series'], n: number): { y0: Float64Array; y1: Float64Array }[] {
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  return series.map(({ values }) => {
    const y0 = new Float64Array(n);
    const y1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = Number.isFinite(values[i]) ? values[i] : 0;
      if (v >= 0) {
        y0[i] = pos[i];
        pos[i] += v;
        y1[i] = pos[i];
      } else {
        y0[i] = neg[i];
        neg[i] += v;
        y1[i] = neg[i];
      }
    }
    return { y0, y1 };
  });
}

export function stackedAreaMark(options: StackedAreaOptions): Mark[] {
  const n = options.x.length;
  const layers = stackLayers(options.series, n);
  return options.series.map((s, k) => {
    const color = s.color ?? seriesColor(k);
    return {
      legend: { label: s.label, color },
      hover: [{ label: s.label, color, x: options.x, y: s.values }],
      extent: () => ({ x: xExtent(options.x), y: d3.extent([...layers[k].y0, ...layers[k].y1]) as [number, number] }),
      render(g, scales) {
        const y = scales.y as d3.ScaleLinear<number, number>;
        const area = d3
          .area<number>()
          .x((i) => scales.xAt(options.x, i))
          .y0((i) => y(layers[k].y0[i]))
          .y1((i) => y(layers[k].y1[i]));
        g.append('path').attr('class', 'layer').attr('data-label', s.label).attr('fill', color).attr('fill-opacity', 0.85)
          .attr('d', area(d3.range(n)));
      },
    };
  });
}
