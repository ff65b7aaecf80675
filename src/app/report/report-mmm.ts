/**
 * A media mix model run's part of a report: fit, contributions, ROAS and marginal ROAS, response
 * curves, the spend at which each channel's marginal ROAS falls to 1, and the budget optimiser's
 * plan if one was run and stored with the run; for a geo-level run, the geos too (ROAS by geo and
 * channel, the fit of the largest geos).
 */
import type { BudgetPlan, OutputsOf, RunResult } from '../../api/types';
import { marginalBreakevens } from '../../models/mmm/breakeven';
import { channelBarsChart, fitChart, responseCurvesChart, roasUnit, stackedContributionsChart } from '../mmm/mmm-charts';
import { geoFitCharts, geoHeatmapChart, geosBySize } from '../mmm/mmm-geo-charts';
import { allocationChart, boundsNote, breakevenChart, breakevenText, objectiveText, periodUnit, planSummary } from '../mmm/optimiser-charts';
import { isCount } from '../mmm/period-charts';
import { cpaChart, marginalCell, marginalLabel, returnCell, returnLabel } from '../mmm/return-metric';
import type { FamilyReport } from './report-family';
import { figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';
import { mmmPeriodSection } from './report-mmm-periods';

/** Geos whose fit the report draws (the largest by target). */
const REPORT_GEOS = 6;

export function mmmReport(run: RunResult<'mmm'>): FamilyReport {
  const out = run.outputs;
  const names = Object.keys(out.channels);
  const m = out.metrics;
  const headline: Headline[] = [
    ...(isCount(out)
      ? names.flatMap((n) => (out.channels[n].cpa ? [{ label: `Cost per ${out.target} of ${n} (spend per unit)`, estimate: out.channels[n].cpa }] : []))
      : names.map((n) => ({ label: `ROAS of ${n} (${roasUnit(out)} per unit spend)`, estimate: out.channels[n].roas }))),
    ...names.map((n) => ({ label: `Contribution of ${n} to ${out.target}`, estimate: out.channels[n].contribution })),
    { label: 'Bayesian R² of the fit', estimate: m.r2 },
    { label: 'Mean absolute percentage error (MAPE)', estimate: m.mape, format: pct },
  ];
  const holdout = m.holdout
    ? para(
        `On the ${m.holdout.rows} held-out periods: MAPE ${pct(m.holdout.mape.mean)}, RMSE ${fmtInterval(m.holdout.rmse)}, ${fmt(m.holdout.coverage * 100, 3)}% of actuals inside the 94% predictive interval.`,
      )
    : '';
  const periods = mmmPeriodSection(run);
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
          `${isCount(out) ? `${out.target} counts acquisitions, so each channel reads as its cost per ${out.target}: its spend over the fitted period per unit of its contribution, computed draw by draw ("unbounded" where the contribution's interval reaches 0); the marginal cost is what one more unit of ${out.target} costs at the current spend. ` : `ROAS: the channel's contribution to ${roasUnit(out)} per unit spent over the fitted period. `}Marginal ROAS: what one more unit of spend would return at the current level; below the ROAS, the channel is saturating.`,
        ) +
        table(
          ['Channel', 'Spend', 'Contribution [94% HDI]', 'Share of media', `${returnLabel(out)} [94% HDI]`, `${marginalLabel(out)} [94% HDI]`],
          names.map((n) => {
            const c = out.channels[n];
            return [n, fmt(c.spend), fmtInterval(c.contribution), fmtInterval(c.share), returnCell(out, c), marginalCell(out, c)];
          }),
          [1],
        ) +
        figure(isCount(out) ? cpaChart(out) : channelBarsChart(out, 'roas', `ROAS (${roasUnit(out)} per unit spend)`)) +
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
    ...(periods ? [periods] : []),
    ...(out.geo ? [geoSection(out)] : []),
    breakevenSection(run),
    ...(run.budgetPlan ? [planSection(run.budgetPlan, out.target)] : []),
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

/** Per channel, the sustained spend per period at which marginal ROAS falls to 1 (and to the plan's target). */
function breakevenSection(run: RunResult<'mmm'>): Section {
  const model = run.outputs.optimizerDraws;
  const unit = periodUnit(model.periodDays).replace(/s$/, '');
  const target = run.budgetPlan?.mroasTarget;
  const at1 = marginalBreakevens(model, 1);
  const atTarget = target !== undefined && target !== 1 ? marginalBreakevens(model, target) : undefined;
  return {
    id: 'mmm-breakeven',
    title: 'Where returns fall below a target',
    html:
      para(
        `Per channel, the spend per ${unit}, sustained, at which one more unit of spend returns 1 unit of ${run.outputs.target} (marginal ROAS 1)${atTarget ? ` and ${fmt(target)}` : ''}; above it, the last unit returns less. 94% HDI over the posterior draws.`,
      ) +
      table(
        ['Channel', `Historical mean spend per ${unit}`, 'Spend at marginal ROAS 1 [94% HDI]', ...(atTarget ? [`Spend at marginal ROAS ${fmt(target)} [94% HDI]`] : [])],
        at1.map((b, c) => [b.channel, fmt(b.meanSpend), breakevenText(b), ...(atTarget ? [breakevenText(atTarget[c])] : [])]),
        [1],
      ) +
      figure(breakevenChart(atTarget ?? at1, periodUnit(model.periodDays))),
  };
}

/** The budget optimiser's stored plan: its inputs, allocation against the current plan, and the expected result. */
function planSection(plan: BudgetPlan, target: string): Section {
  const note = boundsNote(plan);
  const within = plan.outOfBounds.length > 0;
  return {
    id: 'mmm-plan',
    title: 'Budget plan',
    newPage: true,
    html:
      para(
        `The budget optimiser's plan, made ${plan.createdAt.slice(0, 10)}: a total of ${fmt(plan.total)} spent evenly over ${plan.horizon} ${periodUnit(plan.periodDays)}, within each channel's bounds, maximising ${objectiveText(plan)} of ${target}.`,
      ) +
      (note ? para(note) : '') +
      table(
        ['Channel', 'Minimum', 'Maximum', 'Historical mix', ...(within ? ['Current plan within bounds'] : []), 'Optimised', 'Expected response of the optimised'],
        plan.channels.map((ch, c) => [
          ch,
          fmt(plan.min[c]),
          fmt(plan.max[c]),
          fmt(plan.historicalAllocation[c]),
          ...(within ? [fmt(plan.currentAllocation[c])] : []),
          fmt(plan.allocation[c]),
          fmt(plan.channelResponse[c]),
        ]),
        within ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
      ) +
      para(planSummary(plan)) +
      figure(allocationChart(plan)),
  };
}
