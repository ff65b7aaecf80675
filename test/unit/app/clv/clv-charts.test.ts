// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { heatmapChart, holdoutChart, roundLabels, trackingCharts } from '../../../../src/app/clv/clv-charts';
import { renderPlot } from '../../../../src/ui/charts/plot';

function draw(options: Parameters<typeof renderPlot>[1]): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  renderPlot(el, options);
  return el;
}

const est = (v: number[]) => ({ mean: v, sd: v.map(() => 1), hdiLow: v.map((x) => x - 1), hdiHigh: v.map((x) => x + 1) });

describe('CLV charts read right', () => {
  it('the tracking plot marks the end of the calibration period', () => {
    const tracking = { date: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'], actual: [1, 2, 3, 4], expected: est([1, 2, 3, 4]), actualCumulative: [1, 3, 6, 10], expectedCumulative: est([1, 3, 6, 10]) };
    for (const chart of trackingCharts(tracking, 'weeks', '2024-01-10')) {
      const el = draw(chart);
      expect(el.querySelectorAll('line.rule')).toHaveLength(1);
      expect(el.textContent).toContain('calibration end');
    }
    expect(draw(trackingCharts(tracking, 'weeks')[0]).querySelectorAll('line.rule')).toHaveLength(0);
  });

  it('the calibration chart has a legend for the prediction and the actuals', () => {
    const el = draw(holdoutChart({ bin: ['0', '1', '2+'], customers: [5, 4, 3], actual: [0.1, 0.5, 1], predicted: est([0.2, 0.4, 1.1]), holdoutLength: 13 }, 'weeks'));
    expect([...el.querySelectorAll('g.legend text')].map((t) => t.textContent)).toEqual(['predicted (94% HDI)', 'actual']);
  });

  it('heat-map axes have titles and whole-number recency ticks where they stay distinct', () => {
    const h = { frequency: [0, 1], recency: [0, 12.35, 24.7], T: 30, pAlive: [[1, 0.5, 0.2], [1, 0.6, 0.3]], expectedPurchases: [[0, 1, 2], [0, 1, 2]] };
    const el = draw(heatmapChart(h, h.pAlive, 'P(alive)', String, 'weeks'));
    expect(el.textContent).toContain('recency: weeks from first to last purchase');
    expect(el.textContent).toContain('frequency: repeat purchases (x)');
    expect(roundLabels([0, 12.35, 24.7])).toEqual(['0', '12', '25']);
    expect(roundLabels([0, 0.4, 0.8])).toEqual(['0', '0.4', '0.8']);
  });
});

describe('the Gamma-Gamma customer table sorts', () => {
  it('by any column, either way; a missing observed mean sorts lowest', async () => {
    const { spendOrder } = await import('../../../../src/app/clv/clv-customers');
    const c = { id: ['b', 'a', 'c'], frequency: [2, 5, 1], observedMean: [10, null, 30], expectedSpend: { mean: [12, 20, 25] } };
    expect(spendOrder(c, 'expected', true)).toEqual([2, 1, 0]);
    expect(spendOrder(c, 'id', false)).toEqual([1, 0, 2]);
    expect(spendOrder(c, 'frequency', true)).toEqual([1, 0, 2]);
    expect(spendOrder(c, 'observed', false)).toEqual([1, 0, 2]);
  });
});
