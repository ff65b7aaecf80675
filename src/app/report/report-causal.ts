/**
 * A causal run's part of a report: the effect with its intervals, observed against the
 * counterfactual, the cumulative effect and the placebo test (time-series models), or the jump
 * at the threshold (regression discontinuity).
 */
import type { RunResult } from '../../api/types';
import type { ModelsOf } from '../../models/families';
import { counterfactualChart, cumulativeChart, effectChart, interventionRules, rdChart, timeLabel } from '../causal/causal-charts';
import { figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';
import type { FamilyReport } from './report-family';

export function causalReport(run: RunResult<ModelsOf<'causal'>>): FamilyReport {
  if (run.model === 'rd') {
    const rd = run.outputs;
    const unit = rd.unit ?? `in the units of ${rd.outcomeLabel ?? rd.outcome}`;
    return {
      question: `Does ${rd.outcomeLabel ?? rd.outcome} jump at the threshold ${fmt(rd.threshold)}, and by how much?`,
      headline: [{ label: `Jump at the threshold (${unit})`, estimate: rd.discontinuity }, ...(rd.relativeEffect ? [{ label: 'Relative to the level just below', estimate: rd.relativeEffect, format: pct }] : [])],
      sections: [
        {
          id: 'causal-effect',
          title: 'The effect at the threshold',
          newPage: true,
          html:
            para(rd.summary) +
            table(
              ['', 'Value'],
              [
                ['Probability the jump is positive', pct(rd.probPositive)],
                ['Points used (below / at or above)', `${rd.counts.below} / ${rd.counts.above}`],
                ['Bandwidth, polynomial order', `${rd.bandwidth === null ? 'all data' : fmt(rd.bandwidth)}, ${rd.order}`],
              ],
            ) +
            figure(rdChart(rd)),
        },
      ],
    };
  }
  const ts = run.outputs;
  const tbr = run.model === 'tbr' ? run.outputs : undefined;
  const did = run.model === 'did' ? run.outputs : undefined;
  const kind = ts.outcomeKind?.kind ?? 'unsure';
  const unit = ts.unit ? ` (${ts.unit})` : '';
  const rules = interventionRules(ts, tbr);
  const headline: Headline[] = [{ label: `Average effect per period${unit}`, estimate: ts.averageEffect }];
  // A stock's effect is its average level difference: its sum over the periods means nothing.
  if (kind !== 'stock') headline.unshift({ label: `Cumulative effect over the ${tbr ? 'test' : 'post'} period${unit}`, estimate: ts.cumulativeEffect });
  if (ts.relativeEffect) headline.push({ label: 'Relative effect', estimate: ts.relativeEffect, format: pct });
  if (did) headline.push({ label: 'DiD coefficient (per period)', estimate: did.delta });
  if (tbr?.iroas) headline.push({ label: 'iROAS (incremental return per unit of incremental cost)', estimate: tbr.iroas });

  const s = ts.series;
  const placebo = ts.placebo
    ? para(
        `Refitted on the data before ${timeLabel(ts.placebo.start, s.timeKind)} as if the intervention had happened then: over ${ts.placebo.periods} pre-period points up to ${timeLabel(ts.placebo.end, s.timeKind)} the “effect” is ${kind === 'flow' ? `${fmtInterval(ts.placebo.cumulativeEffect)} in total` : `${fmtInterval(ts.placebo.averageEffect)} on average`}: ${
          ts.placebo.coversZero
            ? 'no effect found (the 94% HDI covers 0), as it should be.'
            : 'an effect where there was none (the 94% HDI excludes 0): the model does not capture the pre-period well, so the effect above is not to be trusted.'
        }`,
      )
    : para('No placebo test was run for this model (see what to be careful about).');
  const control = did ? { values: did.control, name: did.controlName } : undefined;
  const sections: Section[] = [
    {
      id: 'causal-effect',
      title: 'Observed against the counterfactual',
      newPage: true,
      html:
        para(ts.summary) +
        para(`Probability the effect is positive: ${pct(ts.probPositive)}.`) +
        figure(counterfactualChart(ts, rules, control), 'the counterfactual is what the model expects had there been no intervention') +
        figure(effectChart(ts, rules)),
    },
  ];
  if (kind !== 'stock') sections.push({ id: 'causal-cumulative', title: 'Cumulative effect', newPage: true, html: figure(cumulativeChart(ts)) });
  sections.push({ id: 'causal-placebo', title: 'Placebo test', html: placebo });
  if (run.model === 'synthetic_control') {
    const w = run.outputs.weights;
    sections.push({
      id: 'causal-donors',
      title: 'Donor weights',
      html:
        para(`The synthetic control is a weighted mix of the donors; pre-period RMSE ${fmt(run.outputs.preRmse)}.`) +
        table(['Donor', 'Weight [94% HDI]'], Object.entries(w).sort((a, b) => b[1].mean - a[1].mean).map(([d, e]) => [d, fmtInterval(e, 3, (v, k) => v.toFixed(k))])),
    });
  }
  const first = s.time[0];
  const last = s.time[s.time.length - 1];
  return {
    question: `What did the intervention change in ${ts.outcomeLabel ?? ts.outcome}, against what would have happened without it?`,
    headline,
    sections,
    period: s.time.length ? `${timeLabel(first, s.timeKind)} to ${timeLabel(last, s.timeKind)}; intervention from ${timeLabel(ts.treatmentStart, s.timeKind)}` : undefined,
    cautions: ts.placebo && !ts.placebo.coversZero ? ['The placebo test found an effect where there was none.'] : [],
  };
}
