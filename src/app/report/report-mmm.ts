/** A media mix model run's part of a report: fit, contributions, ROAS and marginal ROAS, response curves. */
import type { RunResult } from '../../api/types';
import { channelBarsChart, fitChart, responseCurvesChart, stackedContributionsChart } from '../mmm/mmm-charts';
import { figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';
import type { FamilyReport } from './report-family';
import { mmmPeriodSection } from './report-mmm-periods';
import { cpaChart, marginalCell, marginalLabel, returnCell, returnLabel } from '../mmm/return-metric';
import { isCount } from '../mmm/period-charts';

export function mmmReport(run: RunResult<'mmm'>): FamilyReport {
  const out = run.outputs;
  const names = Object.keys(out.channels);
  const m = out.metrics;
  const headline: Headline[] = [
    ...(isCount(out)
      ? names.flatMap((n) => (out.channels[n].cpa ? [{ label: `Cost per ${out.target} of ${n} (spend per unit)`, estimate: out.channels[n].cpa }] : []))
      : names.map((n) => ({ label: `ROAS of ${n} (${out.target} per unit spend)`, estimate: out.channels[n].roas }))),
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
          `${isCount(out) ? `${out.target} counts acquisitions, so each channel reads as its cost per ${out.target}: its spend over the fitted period per unit of its contribution, computed draw by draw ("unbounded" where the contribution's interval reaches 0); the marginal cost is what one more unit of ${out.target} costs at the current spend. ` : `ROAS: the channel's contribution to ${out.target} per unit spent over the fitted period. `}Marginal ROAS: what one more unit of spend would return at the current level; below the ROAS, the channel is saturating.`,
        ) +
        table(
          ['Channel', 'Spend', 'Contribution [94% HDI]', 'Share of media', `${returnLabel(out)} [94% HDI]`, `${marginalLabel(out)} [94% HDI]`],
          names.map((n) => {
            const c = out.channels[n];
            return [n, fmt(c.spend), fmtInterval(c.contribution), fmtInterval(c.share), returnCell(out, c), marginalCell(out, c)];
          }),
          [1],
        ) +
        figure(isCount(out) ? cpaChart(out) : channelBarsChart(out, 'roas', 'ROAS (contribution per unit spend)')) +
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
  ];
  const periods = mmmPeriodSection(run);
  if (periods) sections.push(periods);
  return {
    question: `How much of ${out.target} did each channel bring, and at what return on its spend?`,
    headline,
    sections,
    period: out.dates.length ? `${out.dates[0]} to ${out.dates[out.dates.length - 1]} (${out.dates.length} periods${out.train < out.dates.length ? `, the last ${out.dates.length - out.train} held out` : ''})` : undefined,
  };
}
