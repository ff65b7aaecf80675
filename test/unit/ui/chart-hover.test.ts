// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { renderPlot, type PlotOptions } from '../../../src/ui/charts/plot';
import { lineMark } from '../../../src/ui/charts/line';
import { bandMark } from '../../../src/ui/charts/band';
import { barYMark } from '../../../src/ui/charts/bar';
import { stackedAreaMark } from '../../../src/ui/charts/stacked-area';
import { attachHover, formatTime, hoverAt, hoverText, MAX_ROWS, nearestX, type HoverSeries } from '../../../src/ui/charts/hover';
import { serializeSvg } from '../../../src/ui/charts/export';
import { fmt } from '../../../src/ui/format';
import { plotSvg } from '../../../src/app/report/report-svg';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const x = Float64Array.from({ length: 5 }, (_, i) => t0 + 7 * i * DAY);

function svg(): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  return el;
}

describe('hover lookup', () => {
  it('the nearest x with a value: ties go to the first, a NaN point is skipped, series may have their own x', () => {
    const line: HoverSeries = { color: 'a', x, y: [1, 2, NaN, 4, 5] };
    expect(nearestX([line], x[1] + 2 * DAY)).toBe(x[1]);
    // x[2] has no value: 5 days after x[1] is 2 days before x[2], yet x[1] (5 days) beats x[3] (9 days).
    expect(nearestX([line], x[1] + 5 * DAY)).toBe(x[1]);
    expect(nearestX([line], x[2])).toBe(x[1]); // equidistant from x[1] and x[3]: the first found
    // A second series with a point at x[2] makes x[2] the nearest.
    const other: HoverSeries = { color: 'b', x: [x[2]], y: [7] };
    expect(nearestX([line, other], x[1] + 5 * DAY)).toBe(x[2]);
    // Before and after the data: the ends.
    expect(nearestX([line], t0 - 100 * DAY)).toBe(x[0]);
    expect(nearestX([line], x[4] + 100 * DAY)).toBe(x[4]);
    expect(nearestX([{ color: 'a', x, y: [NaN, NaN, NaN, NaN, NaN] }], t0)).toBeUndefined();
    expect(hoverAt([], t0)).toBeUndefined();
  });

  it('rows: each series at the nearest x; an unlabelled band joins the line of its colour, a labelled one has its own row', () => {
    const series: HoverSeries[] = [
      { label: 'predictive 94% HDI', color: 'blue', x, low: [0, 1, 2, 3, 4], high: [10, 11, 12, 13, 14] },
      { color: 'red', x, low: [5, 5, 5, 5, 5], high: [1, 2, 3, 4, 5] }, // y1 above y2: still [low, high]
      { label: 'tv', color: 'red', x, y: [3, 3.5, 4, 4.5, 5] },
      { label: 'actual', color: 'black', x: x.slice(0, 3), y: [9, 8, 7] },
    ];
    const at = hoverAt(series, x[3] - DAY)!;
    expect(at.x).toBe(x[3]);
    expect(at.rows).toEqual([
      { label: 'predictive 94% HDI', color: 'blue', low: 3, high: 13 },
      { label: 'tv', color: 'red', value: 4.5, low: 4, high: 5 },
    ]); // 'actual' has no point at x[3]
    expect(hoverText(at)).toEqual(['2024-01-22', 'predictive 94% HDI: [3, 13]', `tv: ${fmt(4.5)} [4, 5]`]);
  });

  it('text: numbers by fmt (grouped, never NaN), dates as UTC days or minutes, at most MAX_ROWS rows', () => {
    expect(formatTime(t0)).toBe('2024-01-01');
    expect(formatTime(t0 + 90 * 60_000)).toBe('2024-01-01 01:30 UTC');
    const at = hoverAt([{ label: 'revenue', color: 'a', x: [t0], y: [1234567.89] }], t0)!;
    expect(hoverText(at)).toEqual(['2024-01-01', `revenue: ${fmt(1234567.89)}`]);
    const many: HoverSeries[] = Array.from({ length: MAX_ROWS + 3 }, (_, k) => ({ label: `c${k}`, color: `k${k}`, x: [t0], y: [k] }));
    const lines = hoverText(hoverAt(many, t0)!);
    expect(lines).toHaveLength(1 + MAX_ROWS + 1);
    expect(lines[MAX_ROWS]).toBe(`c${MAX_ROWS - 1}: ${fmt(MAX_ROWS - 1)}`);
    expect(lines[MAX_ROWS + 1]).toBe('… 3 more');
  });
});

describe('hover on a plot', () => {
  it('marks give their series: lines and bands with numeric x, stacked layers; category bars none', () => {
    expect(lineMark({ x, y: [1, 2, 3, 4, 5], label: 'fit', stroke: '#111' }).hover).toEqual([{ label: 'fit', color: '#111', x, y: [1, 2, 3, 4, 5] }]);
    expect(bandMark({ x, y1: [0, 0, 0, 0, 0], y2: [1, 1, 1, 1, 1] }).hover).toHaveLength(1);
    expect(lineMark({ x: ['a', 'b'], y: [1, 2] }).hover).toBeUndefined();
    expect(barYMark({ x: ['a', 'b'], y: [1, 2] }).hover).toBeUndefined();
    const layers = stackedAreaMark({ x, series: [{ label: 'tv', values: [1, 2, 3, 4, 5] }] });
    expect(layers[0].hover![0]).toMatchObject({ label: 'tv', x, y: [1, 2, 3, 4, 5] });
  });

  it('a time chart gets a hidden overlay sized to the plotting frame; other charts none; exports leave it out', () => {
    const options: PlotOptions = { width: 500, x: { kind: 'time' }, marks: [lineMark({ x, y: [1, 2, 3, 4, 5], label: 'fit' })] };
    const el = svg();
    const scales = renderPlot(el, options);
    expect(scales.frame.width).toBeCloseTo(500 - scales.frame.left - 16, 6);
    expect(scales.frame.height).toBeCloseTo(320 - scales.frame.top - 40, 6);
    attachHover(el, options, scales);
    const layer = el.querySelector('g.hover')!;
    expect(layer.getAttribute('display')).toBe('none');
    expect(layer.querySelector('line')!.getAttribute('y2')).toBe(String(scales.frame.height));
    expect(serializeSvg(el)).not.toContain('class="hover"');
    // The same svg redrawn as a linear chart: no overlay.
    const linear: PlotOptions = { x: { kind: 'linear' }, marks: [lineMark({ x: [1, 2, 3], y: [1, 2, 3] })] };
    attachHover(el, linear, renderPlot(el, linear));
    expect(el.querySelector('g.hover')).toBeNull();
  });

  it('the width option sets the viewBox (Chart.svelte passes its container width); the default stays 720', () => {
    const el = svg();
    renderPlot(el, { width: 1000, x: { kind: 'time' }, marks: [lineMark({ x, y: [1, 2, 3, 4, 5] })] });
    expect(el.getAttribute('viewBox')).toBe('0 0 1000 320');
    renderPlot(el, { x: { kind: 'time' }, marks: [lineMark({ x, y: [1, 2, 3, 4, 5] })] });
    expect(el.getAttribute('viewBox')).toBe('0 0 720 320');
  });

  it("the report's static SVG of a time chart has no hover overlay and keeps the 720 width", () => {
    const markup = plotSvg({ x: { kind: 'time' }, marks: [lineMark({ x, y: [1, 2, 3, 4, 5], label: 'fit' })] });
    expect(markup).toContain('viewBox="0 0 720 320"');
    expect(markup).not.toContain('hover');
  });
});
