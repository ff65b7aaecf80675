// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as d3 from 'd3';

const d3ticks = (domain: number[], count: number) => d3.scaleLinear().domain(domain).ticks(count);
import { legendLayout, renderPlot, textWidth, tickFormatter } from '../../../src/ui/charts/plot';
import { lineMark } from '../../../src/ui/charts/line';
import { bandMark } from '../../../src/ui/charts/band';
import { intervalBarsMark } from '../../../src/ui/charts/interval-bars';
import { stackLayers, stackedAreaMark } from '../../../src/ui/charts/stacked-area';
import { heatmapMark } from '../../../src/ui/charts/heatmap';
import { ruleXMark, ruleYMark } from '../../../src/ui/charts/rule';
import { barYMark } from '../../../src/ui/charts/bar';
import { dotMark } from '../../../src/ui/charts/dot';
import { rowHistogramsMark } from '../../../src/ui/charts/row-histograms';
import { serializeSvg, toCsv } from '../../../src/ui/charts/export';

function svg(): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  return el;
}

const DAY = 86_400_000;
const x = Float64Array.from({ length: 5 }, (_, i) => Date.UTC(2024, 0, 1) + 7 * i * DAY);

describe('charts', () => {
  it('line + HDI band + rule: one path each, y domain covers the band, the rule sits at its date', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'time' },
      marks: [
        bandMark({ x, y1: [0, 1, 2, 3, 4], y2: [2, 3, 4, 5, 10] }),
        lineMark({ x, y: [1, 2, NaN, 4, 5], label: 'fit' }),
        ruleXMark({ x: x[2], label: 'start' }),
      ],
    });
    expect(el.querySelectorAll('path.band')).toHaveLength(1);
    const line = el.querySelector('path.line')!;
    // NaN breaks the line into two segments: two "M" commands.
    expect(line.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    const y = scales.y as unknown as { domain(): number[] };
    expect(y.domain()[0]).toBeLessThanOrEqual(0);
    expect(y.domain()[1]).toBeGreaterThanOrEqual(10);
    const rule = el.querySelector('line.rule')!;
    expect(Number(rule.getAttribute('x1'))).toBeCloseTo(scales.xAt(x, 2), 6);
  });

  it('interval bars: one bar and one whisker per label, whisker spans the interval', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'band' },
      y: { zero: true },
      marks: [intervalBarsMark({ labels: ['tv', 'radio'], mean: [3, 1], low: [2, 0.5], high: [4, 1.5] })],
    });
    expect(el.querySelectorAll('g.interval rect')).toHaveLength(2);
    const whisker = el.querySelector('g.interval[data-label="tv"] line')!;
    const y = scales.y as unknown as (v: number) => number;
    expect(Number(whisker.getAttribute('y1'))).toBeCloseTo(y(2), 6);
    expect(Number(whisker.getAttribute('y2'))).toBeCloseTo(y(4), 6);
  });

  it('bars: one rect per finite value, from zero to the value (below zero for a negative one), on a y domain holding zero', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'band' },
      marks: [barYMark({ x: ['tv', 'radio', 'search'], y: [3, -1, NaN], fill: '#123456' })],
    });
    const bars = el.querySelectorAll('rect.bar');
    expect(bars).toHaveLength(2);
    const y = scales.y as unknown as ((v: number) => number) & { domain(): number[] };
    expect(y.domain()[0]).toBeLessThanOrEqual(-1);
    expect(y.domain()[1]).toBeGreaterThanOrEqual(3);
    const tv = el.querySelector('rect.bar[data-label="tv"]')!;
    expect(Number(tv.getAttribute('y'))).toBeCloseTo(y(3), 6);
    expect(Number(tv.getAttribute('height'))).toBeCloseTo(y(0) - y(3), 6);
    expect(tv.getAttribute('fill')).toBe('#123456');
    const radio = el.querySelector('rect.bar[data-label="radio"]')!;
    expect(Number(radio.getAttribute('y'))).toBeCloseTo(y(0), 6);
    expect(Number(radio.getAttribute('height'))).toBeCloseTo(y(-1) - y(0), 6);
    const band = scales.x as unknown as ((v: string) => number) & { bandwidth(): number };
    expect(Number(tv.getAttribute('x'))).toBeCloseTo(band('tv'), 6);
    expect(Number(tv.getAttribute('width'))).toBeCloseTo(band.bandwidth(), 6);
    expect(tv.querySelector('title')!.textContent).toBe('tv: 3');
  });

  it('dots: a circle per finite point at its position, with one opacity or one per point', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'linear' },
      marks: [dotMark({ x: [0, 1, 2, 3], y: [5, NaN, 7, 9], opacity: [1, 1, 0.25, 0.85] })],
    });
    const dots = el.querySelectorAll('circle.dot');
    expect(dots).toHaveLength(3);
    const y = scales.y as unknown as (v: number) => number;
    expect(Number(dots[1].getAttribute('cx'))).toBeCloseTo(scales.xAt([0, 1, 2, 3], 2), 6);
    expect(Number(dots[1].getAttribute('cy'))).toBeCloseTo(y(7), 6);
    expect(dots[1].getAttribute('fill-opacity')).toBe('0.25');
    expect(dots[2].getAttribute('fill-opacity')).toBe('0.85');
    const one = svg();
    renderPlot(one, { x: { kind: 'linear' }, marks: [dotMark({ x: [0, 1], y: [1, 2], opacity: 0.5 })] });
    expect([...one.querySelectorAll('circle.dot')].map((d) => d.getAttribute('fill-opacity'))).toEqual(['0.5', '0.5']);
  });

  it('horizontal rule: across the whole plot at its y, which the y domain includes', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'band' },
      marks: [intervalBarsMark({ labels: ['a', 'b'], mean: [3, 4], low: [2.5, 3.5], high: [3.5, 4.5], dot: true }), ruleYMark({ y: 1, dash: '4 3' })],
    });
    const rule = el.querySelector('line.rule-y')!;
    const y = scales.y as unknown as ((v: number) => number) & { domain(): number[] };
    expect(y.domain()[0]).toBeLessThanOrEqual(1);
    expect(Number(rule.getAttribute('y1'))).toBeCloseTo(y(1), 6);
    expect(Number(rule.getAttribute('y2'))).toBeCloseTo(y(1), 6);
    expect([Number(rule.getAttribute('x1')), Number(rule.getAttribute('x2'))]).toEqual(scales.x.range());
    expect(rule.getAttribute('stroke-dasharray')).toBe('4 3');
  });

  it('stacked areas: layers add up, negatives stack below zero', () => {
    const layers = stackLayers(
      [
        { label: 'a', values: [1, 2] },
        { label: 'b', values: [3, -1] },
        { label: 'c', values: [1, -2] },
      ],
      2,
    );
    expect(Array.from(layers[2].y1)).toEqual([5, -3]);
    expect(Array.from(layers[1].y0)).toEqual([1, 0]);
    const el = svg();
    renderPlot(el, { x: { kind: 'time' }, marks: stackedAreaMark({ x: [x[0], x[1]], series: [{ label: 'a', values: [1, 2] }, { label: 'b', values: [3, 1] }] }) });
    expect(el.querySelectorAll('path.layer')).toHaveLength(2);
    expect(el.querySelectorAll('g.legend text')).toHaveLength(2);
  });

  it('heatmap: a cell per finite value with its value on hover', () => {
    const el = svg();
    renderPlot(el, {
      x: { kind: 'band' },
      y: { kind: 'band' },
      marks: [heatmapMark({ xLabels: ['0', '1'], yLabels: ['2024-01', '2024-02'], values: [1, 0.5, 1, NaN], format: (v) => `${v * 100}%` })],
    });
    const cells = el.querySelectorAll('rect.cell');
    expect(cells).toHaveLength(3);
    expect(cells[1].querySelector('title')!.textContent).toBe('2024-01 · 1: 50%');
    // The colour bar says what the lightest and darkest cells mean.
    expect([...el.querySelectorAll('.colour-bar text')].map((t) => t.textContent)).toEqual(['50%', '100%']);
  });

  it('many categories: band axes label every k-th one, from the origin, so labels do not overlap', () => {
    const el = svg();
    const xLabels = Array.from({ length: 30 }, (_, i) => String(i));
    const yLabels = Array.from({ length: 40 }, (_, i) => `x=${39 - i}`);
    renderPlot(el, {
      width: 720,
      height: 360,
      x: { kind: 'band' },
      y: { kind: 'band' },
      marks: [heatmapMark({ xLabels, yLabels, values: new Float64Array(30 * 40).fill(0.5) })],
    });
    const ticks = (axis: string) => [...el.querySelectorAll(`.axis.${axis} .tick text`)].map((t) => t.textContent);
    // 640 px for 30 labels at >= 44 px: every 3rd; 296 px for 40 rows at >= 14 px: every 2nd.
    expect(ticks('x')).toEqual(['0', '3', '6', '9', '12', '15', '18', '21', '24', '27']);
    expect(ticks('y')).toHaveLength(20);
    expect(ticks('y').at(-1)).toBe('x=0');
  });

  it('y ticks: plain numbers below 10,000 (a density of 0.1 is not "100m"), SI prefixes above', () => {
    const ticksFor = (ys: number[]) => {
      const el = svg();
      renderPlot(el, { x: { kind: 'time' }, marks: [lineMark({ x, y: ys })] });
      return [...el.querySelectorAll('.axis.y .tick text')].map((t) => t.textContent);
    };
    expect(ticksFor([0, 0.05, 0.1, 0.11, 0.12])).toContain('0.1');
    expect(ticksFor([0, 0.05, 0.1, 0.11, 0.12]).join(' ')).not.toMatch(/m/);
    expect(ticksFor([0, 1000, 2000, 4000, 5000])).toContain('5000');
    expect(ticksFor([0, 10_000, 20_000, 40_000, 50_000])).toContain('50k');
    // Zero reads 0, not "0k"; ticks of other magnitudes keep their own prefix; no label repeats.
    const big = ticksFor([0, 10_000, 20_000, 40_000, 80_000]);
    expect(big[0]).toBe('0');
    expect(big.join(' ')).not.toMatch(/\b0k\b/);
    const around = ticksFor([68_000, 68_500, 71_900]);
    expect(new Set(around).size).toBe(around.length);
    expect(around).toContain('68.5k');
    const fine = ticksFor([0.1, 0.1002, 0.1004, 0.1006, 0.101]);
    expect(new Set(fine).size).toBe(fine.length);
    expect(fine).toContain('0.1002');
  });

  it('long category labels on a band y axis widen the left margin instead of being cut off', () => {
    const el = svg();
    const yLabels = ['1997-01 (n=781)', '1997-02 (n=857)'];
    renderPlot(el, { x: { kind: 'band' }, y: { kind: 'band' }, marks: [heatmapMark({ xLabels: ['0', '1'], yLabels, values: [1, 0.5, 1, 0.4] })] });
    const left = Number(/translate\(([\d.]+),/.exec(el.querySelector('svg > g')!.getAttribute('transform')!)![1]);
    expect(left).toBeGreaterThan('1997-01 (n=781)'.length * 6.5);
  });

  it('a linear x axis of years reads 1970, not 1,970', () => {
    const el = svg();
    renderPlot(el, { x: { kind: 'linear' }, marks: [lineMark({ x: [1970, 1980, 1990, 2000], y: [1, 2, 3, 4] })] });
    const ticks = [...el.querySelectorAll('.axis.x .tick text')].map((t) => t.textContent);
    expect(ticks).toContain('1970');
    expect(ticks.join(' ')).not.toMatch(/,/);
  });

  it('a legend starts after the y-axis label instead of over it', () => {
    const el = svg();
    renderPlot(el, {
      x: { kind: 'time' },
      y: { label: 'repeat purchases per week' },
      marks: [lineMark({ x, y: [1, 2, 3, 4, 5], label: 'model' }), lineMark({ x, y: [2, 2, 3, 3, 4], label: 'actual' })],
    });
    const start = Number(/translate\(([\d.]+),/.exec(el.querySelector('g.legend > g')!.getAttribute('transform')!)![1]);
    expect(start).toBeGreaterThan(4 + 'repeat purchases per week'.length * 6);
  });

  it('row histograms: a bar per finite count in its row, heights on one shared scale, a reference per row', () => {
    const el = svg();
    const scales = renderPlot(el, {
      x: { kind: 'linear' },
      y: { kind: 'band' },
      marks: [rowHistogramsMark({ rows: ['chain 1', 'chain 2'], edges: [0, 10, 20, 30], counts: [[5, 10, 5], [20, NaN, 0]], max: 20, reference: 10 })],
    });
    const rows = el.querySelectorAll('g.row-histogram');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelectorAll('rect.bar')).toHaveLength(3);
    expect(rows[1].querySelectorAll('rect.bar')).toHaveLength(2);
    const band = (scales.y as unknown as { bandwidth(): number }).bandwidth();
    const height = (row: number, bar: number) => Number(rows[row].querySelectorAll('rect.bar')[bar].getAttribute('height'));
    expect(height(1, 0)).toBeCloseTo(band, 6);
    expect(height(0, 1)).toBeCloseTo(band / 2, 6);
    expect(height(1, 1)).toBe(0);
    // The reference sits at count 10: half the band above the row's baseline.
    const rowTop = (scales.y as unknown as (v: string) => number)('chain 1');
    expect(Number(rows[0].querySelector('line.reference')!.getAttribute('y1'))).toBeCloseTo(rowTop + band / 2, 6);
    const x = scales.x as unknown as (v: number) => number;
    expect(Number(rows[0].querySelectorAll('rect.bar')[2].getAttribute('x'))).toBeCloseTo(x(20) + 0.5, 6);
    expect(rows[0].querySelector('rect.bar title')!.textContent).toBe('chain 1, 0–10: 5');
  });

  it('CSV export quotes fields and blanks non-finite numbers', () => {
    expect(toCsv(['a', 'b'], [['x,y', NaN], ['q"', 2]])).toBe('a,b\n"x,y",\n"q""",2\n');
  });

  it('axis ticks never read "0k", "0.2M" or the same twice', () => {
    const ticks = (domain: number[], count = 6, spec?: string) => {
      const f = tickFormatter(domain, count, spec);
      return d3ticks(domain, count).map(f);
    };
    expect(ticks([0, 20_000])).toEqual(['0', '5k', '10k', '15k', '20k']);
    expect(ticks([0, 1.2e6])).toEqual(['0', '200k', '400k', '600k', '800k', '1M', '1.2M']);
    expect(ticks([-50_000, 3e6])[0]).toBe('0');
    for (const [domain, spec] of [[[0.1, 0.1000001], '~g'], [[12_000, 12_001], undefined], [[1e6, 1.00002e6], undefined], [[0.09, 0.11], '.1f']] as const) {
      const labels = ticks([...domain], 6, spec);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
    expect(ticks([1970, 2020])).toContain('1970');
    expect(ticks([0, 0.5])).toEqual(['0', '0.1', '0.2', '0.3', '0.4', '0.5']);
  });

  it('a legend of many long names wraps onto rows inside the chart instead of running off it', () => {
    const names = ['TV Spend', 'Search Spend', 'Social Spend', 'Display Spend', 'Affiliate Spend', 'Radio Spend', 'Print Spend'];
    const el = svg();
    renderPlot(el, { width: 420, x: { kind: 'linear' }, marks: names.map((n, k) => lineMark({ x: [0, 1], y: [k, k + 1], label: n })) });
    const items = [...el.querySelectorAll('g.legend > g')];
    expect(items).toHaveLength(names.length);
    const at = legendLayout(names, 64, 420);
    expect(at[at.length - 1].row).toBeGreaterThan(0);
    at.forEach((p, i) => expect(p.x + 14 + textWidth(names[i])).toBeLessThanOrEqual(420));
    // The plot moves down by the extra rows.
    const plot = el.querySelector('svg > g')!.getAttribute('transform')!;
    expect(Number(/,(\d+)/.exec(plot)![1])).toBeGreaterThan(24);
  });

  it('a rule label near the right edge is drawn to the rule\'s left, not cut off', () => {
    const el = svg();
    renderPlot(el, { x: { kind: 'linear', nice: false }, marks: [lineMark({ x: [0, 10], y: [0, 1] }), ruleXMark({ x: 9.9, label: 'holdout start' })] });
    expect(el.querySelector('.mark text')!.getAttribute('text-anchor')).toBe('end');
  });

});

describe('waterfall', () => {
  it('totals from zero, changes from the running total, whiskers around the running total, on a y domain holding all', async () => {
    const { waterfallLayout, waterfallMark } = await import('../../../src/ui/charts/waterfall');
    const steps = [
      { label: 'Q1', kind: 'total' as const, value: 100 },
      { label: 'tv', kind: 'change' as const, value: 30, low: 20, high: 40 },
      { label: 'season', kind: 'change' as const, value: -50, low: -60, high: -45 },
      { label: 'Q2', kind: 'total' as const, value: 80 },
    ];
    expect(waterfallLayout(steps)).toEqual([
      { from: 0, to: 100 },
      { from: 100, to: 130, low: 120, high: 140 },
      { from: 130, to: 80, low: 70, high: 85 },
      { from: 0, to: 80 },
    ]);
    const el = svg();
    const scales = renderPlot(el, { x: { kind: 'band' }, marks: [waterfallMark({ steps, zero: true })] });
    expect(el.querySelectorAll('g.waterfall rect')).toHaveLength(4);
    expect(el.querySelectorAll('line.whisker')).toHaveLength(2);
    expect(el.querySelectorAll('line.connector')).toHaveLength(3);
    const y = scales.y as unknown as { domain(): number[] };
    expect(y.domain()[0]).toBeLessThanOrEqual(0);
    expect(y.domain()[1]).toBeGreaterThanOrEqual(140);
    // The fall is drawn from the running total 130 down to 80.
    const fall = el.querySelector('g.waterfall[data-label="season"] rect')!;
    const yy = scales.y as unknown as (v: number) => number;
    expect(Number(fall.getAttribute('y'))).toBeCloseTo(yy(130), 6);
    expect(Number(fall.getAttribute('height'))).toBeCloseTo(yy(80) - yy(130), 6);
    // Without zero the axis spans the running totals and the intervals, and totals rise from its bottom.
    const el2 = svg();
    const s2 = renderPlot(el2, { x: { kind: 'band' }, marks: [waterfallMark({ steps: steps.map((s) => ({ ...s, value: s.kind === 'total' ? s.value + 1000 : s.value })) })] });
    const y2 = s2.y as unknown as { domain(): number[] } & ((v: number) => number);
    expect(y2.domain()[0]).toBeGreaterThan(0);
    expect(y2.domain()[0]).toBeLessThanOrEqual(1070);
    const total = el2.querySelector('g.waterfall[data-label="Q1"] rect')!;
    expect(Number(total.getAttribute('y')) + Number(total.getAttribute('height'))).toBeCloseTo(y2(y2.domain()[0]), 6);
  });
});

describe('export', () => {
  it('an exported chart carries its title as visible text above the plot, the canvas taller by its lines', async () => {
    const { exportedSvg } = await import('../../../src/ui/charts/export');
    const el = svg();
    const title = 'Response curves: historical spend pattern scaled 0-2x (94% HDI); rules mark current spend, for every channel of the run';
    renderPlot(el, { x: { kind: 'time' }, title, marks: [lineMark({ x, y: [1, 2, 3, 4, 5] })] });
    const out = exportedSvg(el);
    expect(out.width).toBe(720);
    const doc = new DOMParser().parseFromString(out.text, 'image/svg+xml');
    const caption = doc.querySelector('text.export-title')!;
    const lines = [...caption.querySelectorAll('tspan')].map((t) => t.textContent);
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe(title);
    expect(out.height).toBe(320 + 2 * 16 + 8);
    expect(doc.documentElement.getAttribute('viewBox')).toBe(`0 0 720 ${out.height}`);
    // The plot moved down below the title; the original is untouched.
    expect(doc.querySelector('svg > g[transform="translate(0,40)"] .axis.x')).not.toBeNull();
    expect(el.querySelector('text.export-title')).toBeNull();
  });
});
