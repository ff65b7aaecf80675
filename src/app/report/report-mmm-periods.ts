/**
 * The report's period comparison for an MMM run: the latest whole quarter (as the page defaults
 * to) against the previous quarter and the same quarter a year earlier, each as a table of
 * per-draw changes and a waterfall (app/mmm/period-charts.ts).
 */
import type { RunResult } from '../../api/types';
import { defaultPeriod, mmmPeriods, periodComparison } from '../../models/mmm/period-comparison';
import { AGAINST_LABEL, isCount, periodTable, periodWaterfallChart, type Against } from '../mmm/period-charts';
import { esc, figure, para, table, type Section } from './report-html';

/** The period comparison section, or none when the run has no period draws or no whole quarter. */
export function mmmPeriodSection(run: RunResult<'mmm'>): Section | undefined {
  const out = run.outputs;
  if (!out.periods) return undefined;
  const period = defaultPeriod(mmmPeriods(out.periods, 'quarter'), 'quarter');
  if (!period) return undefined;
  const c = periodComparison(out.periods, 'quarter', period.key, isCount(out));
  const parts = (['previous', 'yearAgo'] as const satisfies readonly Against[]).flatMap((against) => {
    const change = c[against];
    if (!change) return [para(`The data has no whole quarter to compare ${c.current.key} with (${AGAINST_LABEL[against]}).`)];
    const t = periodTable(c, change, out.target);
    return [`<h3>${esc(`${c.current.key} against ${change.base.key} (${AGAINST_LABEL[against]})`)}</h3>`, table(t.header, t.rows, [1, 2, 3]), figure(periodWaterfallChart(c, change, out))];
  });
  return {
    id: 'mmm-periods',
    title: `${c.current.key} against the previous quarter and a year earlier`,
    newPage: true,
    html:
      para(
        `The latest whole quarter in the data. Each change is the posterior of the difference, computed draw by draw, with its 94% interval; the model's parts (baseline, seasonality, controls and events, each channel) add up to its fit, and what the model does not explain closes the gap to the observed ${out.target}.`,
      ) + parts.join('\n'),
  };
}
