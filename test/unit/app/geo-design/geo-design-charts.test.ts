// @vitest-environment happy-dom
/** The geo design's charts and CSV: what each draws from a design. */
import { describe, expect, it } from 'vitest';
import { candidateLabel, designCsv, falsePositiveChart, mdeChart } from '../../../../src/app/geo-design/geo-design-charts';
import type { GeoCandidate, GeoDesign, LengthScore } from '../../../../src/models/causal/geo-design';
import { renderPlot, type PlotOptions } from '../../../../src/ui/charts/plot';

const score = (weeks: number, mde: number, windows: number): LengthScore => ({
  weeks,
  periods: 7 * weeks,
  mde,
  selectionMde: 0.9 * mde,
  mdeEffect: 1000 * mde,
  falsePositiveRate: 0.1,
  windows,
  ...(windows ? { backtestFalsePositive: 0.2, backtestPower: 0.7 } : {}),
});
const candidate = (treatment: string[], mde: number): GeoCandidate => ({
  treatment,
  share: 0.2,
  baseline: 100,
  correlation: 0.99,
  noiseLag1: 0.3,
  scores: [score(2, mde, 10), score(4, mde / 2, 0)],
});
const design: GeoDesign = {
  method: 'stratified',
  geos: 20,
  periods: 42,
  perWeek: 7,
  weeks: [2, 4],
  candidates: [candidate(['a', 'b', 'c', 'd', 'e'], 0.03), candidate(['f', 'g'], 0.05)],
  recommended: { candidate: 0, weeks: 2, score: score(2, 0.03, 10), reason: 'the planned length' },
  summary: '',
  warnings: [],
};

function draw(options: PlotOptions): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  renderPlot(el, options);
  return el;
}

describe('geo design charts', () => {
  it('draws each candidate MDE line in percent, the recommended one first and bold, and the expected lift', () => {
    const options = mdeChart(design, 0.04);
    const svg = draw(options);
    const lines = svg.querySelectorAll('path.line');
    expect(lines).toHaveLength(2);
    expect(lines[0].getAttribute('stroke-width')).toBe('3');
    expect(svg.querySelectorAll('line.rule-y')).toHaveLength(1);
    expect(options.marks[0].legend?.label).toBe('recommended: a, b, c, d, … (5)');
    expect(options.marks[0].extent()).toMatchObject({ x: [2, 4], y: [1.5, 3] });
    expect(mdeChart(design).marks).toHaveLength(2);
  });

  it('draws the false-positive rate by length, dots only where the backtest ran', () => {
    const svg = draw(falsePositiveChart(design));
    expect(svg.querySelectorAll('path.line')).toHaveLength(1);
    expect(svg.querySelectorAll('circle')).toHaveLength(1);
  });

  it('lists every candidate at every length, marking the recommendation', () => {
    const { header, rows } = designCsv(design);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual([1, 'yes', 'a b c d e', 0.2, 2, 0.03, 0.9 * 0.03, 30, 0.1, 10, 0.2, 0.7, '']);
    expect(rows[1].slice(0, 2)).toEqual([1, '']);
    expect(rows[1][header.indexOf('backtest_power')]).toBe('');
    expect(candidateLabel(design.candidates[1])).toBe('f, g');
  });
});
