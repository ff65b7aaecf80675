/** A cohort forecast run's part of a report: a new cohort's churn, the retention forecast per cohort. */
import type { RunResult } from '../../api/types';
import { forecastChart, lastOf } from '../cohorts/cohort-forecast-charts';
import { figure, fmtInterval, para, table } from './report-html';
import type { FamilyReport } from './report-family';

export function cohortsReport(run: RunResult<'cohorts'>): FamilyReport {
  const out = run.outputs;
  return {
    question: `How many customers of each acquisition cohort will still be customers ${out.horizon} ${out.period}s from now?`,
    headline: [{ label: `Mean churn per ${out.period} of a new cohort`, estimate: out.newCohort.meanChurn }],
    sections: [
      {
        id: 'cohorts-forecast',
        title: 'Retention forecast by cohort',
        newPage: true,
        html:
          para(`Data up to ${out.lastPeriod}, the last complete ${out.period}. A new cohort's mean churn per ${out.period}: ${fmtInterval(out.newCohort.meanChurn)}.`) +
          figure(forecastChart(out, 'all')) +
          table(
            ['Cohort', 'Customers', `${out.period}s observed`, 'Alive today', 'Mean churn [94% HDI]', `Share alive in ${out.horizon} ${out.period}s [94% HDI]`],
            out.cohorts.map((c) => {
              const churn = out.derived[`churn[${c.name}]`];
              return [c.name, c.size.toLocaleString(), c.observedPeriods, c.aliveNow.toLocaleString(), churn ? fmtInterval(churn) : '—', fmtInterval(lastOf(c.forecast))];
            }),
            [1, 2, 3],
          ),
      },
    ],
    period: `up to ${out.lastPeriod}`,
    notes: out.notes,
  };
}
