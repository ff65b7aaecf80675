/**
 * A media mix model run's part of a report: fit, contributions, ROAS and marginal ROAS, response
 * curves; for a geo-level run, the geos too (ROAS by geo and channel, the fit of the largest geos).
 */
import type { OutputsOf, RunResult } from '../../api/types';
import { channelBarsChart, fitChart, responseCurvesChart, roasUnit, stackedContributionsChart } from '../mmm/mmm-charts';
import { geoFitCharts, geoHeatmapChart, geosBySize } from '../mmm/mmm-geo-charts';
import { figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';

/** Geos whose fit the report draws (the largest by target). */
const REPORT_GEOS = 6;
import type { FamilyReport } from './report-family';

export function mmmReport(run: RunResult<'mmm'>): FamilyReport {
  const out = run.outputs;
  const names = Object.keys(out.channels);
  const m = out.metrics;
  const headline: Headline[] = [
    ...names.map((n) => ({ label: `ROAS of ${n} (${roasUnit(out)} per unit spend)`, estimate: out.channels[n].roas })),
    ...names.map((n) => ({ label: `Contribution of ${n} to ${out.target}`, estimate: out.channels[n].contribution })),
    { label: 'Bayesian R² of the fit', estimate: m.r2 },
    { label: 'Mean absolute percentage error (MAPE)', estimate: m.mape, format: pct },
  ];
  const holdout = m.holdout
    ? para(
        `On the ${m.holdout.rows} held-out periods: MAPE ${pct(m.holdout.mape.mean)}, RMSE ${fmtInterval(m.holdout.rmse)}, ${fmt(m.holdout.coverage * 100, 3)}% of actuals inside the 94% predictive interval.`,
      )
    : '';
  const sections: Section[] = [
    {
      id: 'mmm-fit',
      title: 'How well the model fits',
      newPage: true,
      html:
        para(`Bayesian R² ${fmtInterval(m.r2)} (posterior-mean fit R² ${fmt(m.r2Mean)}); MAPE ${pct(m.mape.mean)} [${pct(m.mape.hdiLow)}, ${pct(m.mape.hdiHigh)}].`) +
        holdout +
        figure(fitChart(out)),
    },
    {
      id: 'mmm-contributions',
      title: 'Contributions',
      newPage: true,
      html:
        para(`What each part of the model (baseline, seasonality, controls, events and each channel) adds to ${out.target}, period by period.`) +
        figure(stackedContributionsChart(out)) +
        figure(channelBarsChart(out, 'contribution', 'Contribution over the fitted period')),
    },
    {
      id: 'mmm-roas',
      title: 'Return on spend by channel',
      newPage: true,
      html:
        para(
          `ROAS: the channel's contribution to ${roasUnit(out)} per unit spent over the fitted period. Marginal ROAS: what one more unit of spend would return at the current level; below the ROAS, the channel is saturating.`,
        ) +
        table(
          ['Channel', 'Spend', 'Contribution [94% HDI]', 'Share of media', 'ROAS [94% HDI]', 'Marginal ROAS [94% HDI]'],
          names.map((n) => {
            const c = out.channels[n];
            return [n, fmt(c.spend), fmtInterval(c.contribution), fmtInterval(c.share), fmtInterval(c.roas), fmtInterval(c.mroas)];
          }),
          [1],
        ) +
        figure(channelBarsChart(out, 'roas', `ROAS (${roasUnit(out)} per unit spend)`)) +
        figure(channelBarsChart(out, 'mroas', 'Marginal ROAS at current spend')),
    },
    {
      id: 'mmm-response',
      title: 'Response curves',
      newPage: true,
      html:
        para('How each channel’s total contribution would change if its historical spend pattern were scaled down or up (0 to 2 times); the vertical rules mark the current spend.') +
        figure(responseCurvesChart(out)),
    },
    ...(out.geo ? [geoSection(out)] : []),
  ];
  return {
    question: `How much of ${out.target} did each channel bring, and at what return on its spend?`,
    headline,
    sections,
    period: out.dates.length ? `${out.dates[0]} to ${out.dates[out.dates.length - 1]} (${out.dates.length} periods${out.train < out.dates.length ? `, the last ${out.dates.length - out.train} held out` : ''})` : undefined,
  };
}

/** The geos of a geo-level run: ROAS per geo and channel (table and heat map), the fit of the largest geos. */
function geoSection(out: OutputsOf<'mmm'>): Section {
  const geo = out.geo;
  if (!geo) throw new Error('geoSection needs a geo-level run');
  const names = Object.keys(out.channels);
  const cell = new Map(geo.table.map((r) => [`${r.geo}\u0000${r.channel}`, r]));
  const largest = geosBySize(out).slice(0, REPORT_GEOS);
  return {
    id: 'mmm-geo',
    title: 'By geo',
    newPage: true,
    html:
      para(
        `The model was fitted on ${geo.geos.length} geos; the national results above are the sum over geos. Each channel's effect varies by geo around a shared national effect (partial pooling: a small geo borrows strength from the others). ROAS below: ${roasUnit(out)} per unit spent in the geo over the fitted period, posterior mean [94% HDI].`,
      ) +
      table(
        ['Geo', ...(geo.population ? ['Population'] : []), ...names.map((n) => `ROAS of ${n}`)],
        geo.geos.map((g, i) => [
          g,
          ...(geo.population ? [fmt(geo.population[i])] : []),
          ...names.map((n) => {
            const c = cell.get(`${g}\u0000${n}`);
            return c ? fmtInterval(c.roas) : '—';
          }),
        ]),
        [...(geo.population ? [1] : []), ...names.map((_, k) => k + 1 + (geo.population ? 1 : 0))],
      ) +
      figure(geoHeatmapChart(out, 'roas')) +
      para(`The fit of the ${largest.length} largest geos by ${out.target} (fitted mean with its 94% HDI, actual in black):`) +
      `<div class="multiples">${geoFitCharts(out, largest).map((c) => figure(c.options)).join('')}</div>`,
  };
}
