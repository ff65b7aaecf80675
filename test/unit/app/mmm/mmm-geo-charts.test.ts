// @vitest-environment happy-dom
/** A geo-level MMM run's views: the geo filter on the national charts, small multiples, the sortable geo x channel table, heat map, CSVs. */
import { describe, expect, it } from 'vitest';
import { channelBarsChart, channelsCsv, fitChart, GEO_BASELINE, priorPosteriorCharts, responseCurvesChart, stackedContributionsChart } from '../../../../src/app/mmm/mmm-charts';
import {
  geoChannelsCsv,
  geoContributionsCsv,
  geoFitCharts,
  geoHeatmapChart,
  geosBySize,
  geoTableRows,
  nextGeoTableSort,
} from '../../../../src/app/mmm/mmm-geo-charts';
import { renderPlot, type Mark, type PlotOptions } from '../../../../src/ui/charts/plot';
import { geoRunOutputs as out } from './geo-outputs-fixture';

/** The y range the chart's marks span (what it shows). */
function yRange(options: PlotOptions): [number, number] {
  const ys = options.marks.flatMap((m: Mark) => {
    const y = m.extent?.().y;
    return y && typeof y[0] === 'number' ? (y as number[]) : [];
  });
  return [Math.min(...ys), Math.max(...ys)];
}

function draw(options: PlotOptions): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  renderPlot(el, options);
  return el;
}

describe('MMM geo views', () => {
  it('the geo filter draws the chosen geo’s fit, contributions, channels and response curves; no geo draws the national sum', () => {
    expect(yRange(fitChart(out))).toEqual([409, 413]);
    expect(yRange(fitChart(out, 'Geo1'))).toEqual([9, 13]);
    expect(fitChart(out, 'Geo1').title).toMatch(/Geo1.*R² 0\.7/);
    expect(fitChart(out).title).toMatch(/national: all geos/);
    // Geo10: fitted 300..302 = baseline + tv 30 + radio 15.
    const stacked = stackedContributionsChart(out, 'Geo10');
    expect(stacked.marks.flatMap((m) => (m.legend ? [m.legend.label] : []))).toEqual([GEO_BASELINE, 'tv', 'radio']);
    expect(yRange(stacked)).toEqual([0, 302]);
    const svg = draw(channelBarsChart(out, 'roas', 'ROAS', 'Geo10'));
    expect([...svg.querySelectorAll('g.interval')].map((g) => g.getAttribute('data-label'))).toEqual(['tv', 'radio']);
    // Geo10's ROAS: tv 1, radio 4 (with their HDIs 0.8..4.2); the national ROAS is 2 for both.
    expect(yRange(channelBarsChart(out, 'roas', 'ROAS', 'Geo10'))[1]).toBeCloseTo(4.2);
    expect(yRange(channelBarsChart(out, 'roas', 'ROAS'))[1]).toBeCloseTo(2.2);
    expect(yRange(responseCurvesChart(out, 'Geo1'))[1]).toBeCloseTo(10 / 7 + 1);
    expect(channelsCsv(out, 'Geo1').rows.map((r) => r.slice(0, 2))).toEqual([['tv', 30], ['radio', 30]]);
    expect(() => fitChart(out, 'Atlantis')).toThrow(/no geo "Atlantis"/);
  });

  it('small multiples show the geos largest first, each its own fit', () => {
    expect(geosBySize(out)).toEqual(['Geo10', 'Geo2', 'Geo1']);
    const charts = geoFitCharts(out, ['Geo1', 'Geo10']);
    expect(charts.map((c) => c.geo)).toEqual(['Geo1', 'Geo10']);
    expect(yRange(charts[1].options)).toEqual([299, 303]);
    expect(draw(charts[0].options).querySelectorAll('path.line')).toHaveLength(2);
  });

  it('sort the geo x channel table by any column, names in numeric order, and filter it by channel', () => {
    const byRoas = geoTableRows(out, { key: 'roas', descending: true });
    expect(byRoas.map((r) => `${r.geo}/${r.channel}:${r.roas.mean}`)).toEqual([
      'Geo10/radio:4',
      'Geo2/tv:3',
      'Geo1/tv:2',
      'Geo1/radio:1.5',
      'Geo10/tv:1',
      'Geo2/radio:0.5',
    ]);
    // Geo1 < Geo2 < Geo10; ties (two channels per geo) keep the table's order.
    expect(geoTableRows(out, { key: 'geo', descending: false }).map((r) => `${r.geo}/${r.channel}`)).toEqual([
      'Geo1/tv',
      'Geo1/radio',
      'Geo2/tv',
      'Geo2/radio',
      'Geo10/tv',
      'Geo10/radio',
    ]);
    expect(geoTableRows(out, { key: 'mroas', descending: false }, 'tv').map((r) => r.geo)).toEqual(['Geo10', 'Geo1', 'Geo2']);
    expect(nextGeoTableSort({ key: 'roas', descending: true }, 'roas')).toEqual({ key: 'roas', descending: false });
    expect(nextGeoTableSort({ key: 'roas', descending: true }, 'geo')).toEqual({ key: 'geo', descending: false });
    expect(nextGeoTableSort({ key: 'geo', descending: false }, 'spend')).toEqual({ key: 'spend', descending: true });
  });

  it('colour one heat-map cell per geo and channel by the chosen quantity', () => {
    const svg = draw(geoHeatmapChart(out, 'roas'));
    const cells = [...svg.querySelectorAll('rect.cell title')].map((t) => t.textContent);
    expect(cells).toHaveLength(6);
    expect(cells).toContain('Geo10 · radio: 4');
    expect(cells).toContain('Geo2 · tv: 3');
  });

  it('export the geo x channel table and the per-geo fit in long format', () => {
    const channels = geoChannelsCsv(out);
    expect(channels.header.slice(0, 4)).toEqual(['geo', 'channel', 'spend', 'contribution']);
    expect(channels.rows).toHaveLength(6);
    expect(channels.rows[3].slice(0, 3)).toEqual(['Geo10', 'radio', 20]);
    const fit = geoContributionsCsv(out);
    expect(fit.header).toEqual(['geo', 'date', 'actual', 'fitted', 'fitted_hdi_low', 'fitted_hdi_high', 'tv', 'tv_hdi_low', 'tv_hdi_high', 'radio', 'radio_hdi_low', 'radio_hdi_high']);
    expect(fit.rows).toHaveLength(12);
    expect(fit.rows[4]).toEqual(['Geo10', '2024-01-01', 300, 300, 299, 301, 30, 29, 31, 15, 14, 16]);
  });
});

describe('MMM geo prior vs posterior', () => {
  it('shows the shared parameters, and one geo’s own only when it is chosen', () => {
    const d = { x: [0, 1], posterior: [1, 1], prior: [1, 1] };
    // The run's geos are Geo2, Geo10 and Geo1 (a parameter indexed by another name, G1, is no geo's).
    const run = { ...out, priorPosterior: { 'adstock_alpha[tv]': d, 'x[G1]': d, 'tau_geo[Geo1]': d, 'z[Geo10, tv]': d, 'z[Geo1, tv]': d } };
    expect(priorPosteriorCharts(run).map((c) => c.name)).toEqual(['adstock_alpha[tv]', 'x[G1]']);
    expect(priorPosteriorCharts(run, 'Geo1').map((c) => c.name)).toEqual(['adstock_alpha[tv]', 'x[G1]', 'tau_geo[Geo1]', 'z[Geo1, tv]']);
    expect(priorPosteriorCharts(run, 'Geo10').map((c) => c.name)).toEqual(['adstock_alpha[tv]', 'x[G1]', 'z[Geo10, tv]']);
    const { geo: _geo, ...national } = run;
    expect(priorPosteriorCharts(national as typeof out)).toHaveLength(5);
  });
});
