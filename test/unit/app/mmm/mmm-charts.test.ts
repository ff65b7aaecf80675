// @vitest-environment happy-dom
/** The MMM's charts: what each draws from a run's outputs, and one colour per channel across them. */
import { describe, expect, it } from 'vitest';
import type { Estimate, OutputsOf } from '../../../../src/api/types';
import {
  adstockChart,
  channelBarsChart,
  channelsCsv,
  contributionsChart,
  fitChart,
  responseCurvesChart,
  stackedContributionsChart,
} from '../../../../src/app/mmm/mmm-charts';
import { renderPlot, type PlotOptions } from '../../../../src/ui/charts/plot';

const est = (mean: number): Estimate => ({ mean, sd: 0.1, hdiLow: mean - 0.2, hdiHigh: mean + 0.2 });
const band = (values: number[]) => ({ mean: values, hdiLow: values.map((v) => v - 1), hdiHigh: values.map((v) => v + 1) });
const channel = (spend: number) => ({ spend, contribution: est(10), contributionDraws: [10], share: est(0.5), roas: est(2), mroas: est(1) });

/** A four-period run with two channels, whose contributions list the baseline first. */
const out = {
  dates: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'],
  train: 3,
  periodDays: 7,
  target: 'sales',
  actual: [10, 12, 11, 13],
  fitted: band([10, 11, 11, 12]),
  predictive: band([10, 11, 11, 12]),
  metrics: { r2: est(0.9), r2Mean: 0.9, mape: est(0.05) },
  contributions: [
    { label: 'intercept', kind: 'intercept', ...band([5, 5, 5, 5]) },
    { label: 'seasonality', kind: 'seasonality', ...band([1, -1, 1, -1]) },
    { label: 'tv', kind: 'channel', ...band([2, 3, 2, 3]) },
    { label: 'radio', kind: 'channel', ...band([2, 2, 3, 3]) },
  ],
  channels: { tv: channel(100), radio: channel(50) },
  responseCurves: { tv: { spend: [0, 100, 200], ...band([0, 10, 15]) }, radio: { spend: [0, 50, 100], ...band([0, 10, 12]) } },
  adstockCurves: { tv: { lag: [0, 1, 2], ...band([0.6, 0.3, 0.1]) }, radio: { lag: [0, 1, 2], ...band([0.8, 0.15, 0.05]) } },
  priorPosterior: {},
} as unknown as OutputsOf<'mmm'>;

function draw(options: PlotOptions): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  renderPlot(el, options);
  return el;
}

/** Legend label -> colour of a chart. */
const legend = (options: PlotOptions) => Object.fromEntries(options.marks.flatMap((m) => (m.legend ? [[m.legend.label, m.legend.color]] : [])));

describe('MMM charts', () => {
  it('give each channel one colour in the stacked and separate contributions, response curves and adstock', () => {
    const charts = [stackedContributionsChart(out), contributionsChart(out), responseCurvesChart(out), adstockChart(out)].map(legend);
    for (const ch of ['tv', 'radio']) {
      const colours = new Set(charts.map((c) => c[ch]));
      expect(colours.size, ch).toBe(1);
    }
    expect(charts[0].tv).not.toBe(charts[0].radio);
    expect(charts[0].intercept).not.toBe(charts[0].tv);
  });

  it('draw the fit with a holdout rule, a bar per channel, and the stacked layers', () => {
    const fit = draw(fitChart(out));
    expect(fit.querySelectorAll('path.band')).toHaveLength(2);
    expect(fit.querySelectorAll('path.line')).toHaveLength(2);
    expect(fit.querySelectorAll('line.rule')).toHaveLength(1);
    const bars = draw(channelBarsChart(out, 'roas', 'ROAS'));
    expect([...bars.querySelectorAll('g.interval')].map((g) => g.getAttribute('data-label'))).toEqual(['tv', 'radio']);
    const stacked = draw(stackedContributionsChart(out));
    expect([...stacked.querySelectorAll('path.layer')].map((p) => p.getAttribute('data-label'))).toEqual(['intercept', 'seasonality', 'tv', 'radio']);
  });

  it('export the channel table with every quantity and its interval', () => {
    const { header, rows } = channelsCsv(out);
    expect(header.slice(0, 6)).toEqual(['channel', 'spend', 'contribution', 'contribution_sd', 'contribution_hdi_low', 'contribution_hdi_high']);
    expect(rows[0].slice(0, 3)).toEqual(['tv', 100, 10]);
    expect(rows).toHaveLength(2);
  });
});
