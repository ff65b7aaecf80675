/**
 * The acquisition cohort forecast as a chart and a CSV: each cohort's observed retention, its sBG
 * fit and its forecast past today (94% HDI), and a new cohort's. What CohortForecastResults.svelte
 * draws.
 */
import type { OutputsOf } from '../../api/types';
import { bandMark } from '../../ui/charts/band';
import { lineMark } from '../../ui/charts/line';
import type { Mark, PlotOptions } from '../../ui/charts/plot';
import { MUTED, seriesColor } from '../../ui/theme';

type CohortForecastOutputs = OutputsOf<'cohorts'>;

/** A cohort's survival series (mean and 94% HDI per period). */
export type SurvivalSeries = CohortForecastOutputs['newCohort']['survival'];

/** The last period's value of a series, as an estimate. */
export function lastOf(e: SurvivalSeries): { mean: number; hdiLow: number; hdiHigh: number } {
  return { mean: e.mean.at(-1)!, hdiLow: e.hdiLow.at(-1)!, hdiHigh: e.hdiHigh.at(-1)! };
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/**
 * Every cohort (or the one at index `shown`) observed (solid), fitted (dotted) and forecast
 * (dashed, 94% HDI band), with a new cohort's forecast in the muted colour; cohorts are named in
 * the legend when there are at most ten drawn.
 */
export function forecastChart(out: CohortForecastOutputs, shown: 'all' | number): PlotOptions {
  const labelled = out.cohorts.length <= 10 || shown !== 'all';
  const marks: Mark[] = [];
  out.cohorts.forEach((c, k) => {
    if (shown !== 'all' && shown !== k) return;
    const color = seriesColor(k);
    const future = range(c.observedPeriods, c.forecast.mean.length);
    marks.push(
      bandMark({ x: future, y1: c.forecast.hdiLow, y2: c.forecast.hdiHigh, fill: color }),
      lineMark({ x: range(0, c.fitted.mean.length), y: c.fitted.mean, stroke: color, strokeWidth: 1, dash: '2 2' }),
      lineMark({ x: range(0, c.observed.length), y: c.observed, stroke: color, strokeWidth: 2.5, label: labelled ? c.name : undefined }),
      lineMark({ x: future, y: c.forecast.mean, stroke: color, dash: '6 3' }),
    );
  });
  const n = out.newCohort;
  marks.push(
    bandMark({ x: n.periods, y1: n.survival.hdiLow, y2: n.survival.hdiHigh, fill: MUTED, opacity: 0.1 }),
    lineMark({ x: n.periods, y: n.survival.mean, stroke: MUTED, dash: '1 3', label: 'new cohort' }),
  );
  return {
    height: 380,
    x: { kind: 'linear', label: `${out.period}s since first purchase` },
    y: { label: 'share still buying (in this period or later)', zero: true },
    title: `Retention forecast: observed (solid), sBG fit (dotted) and ${out.horizon} ${out.period}s past today (dashed, 94% HDI band)`,
    marks,
  };
}

/** Per cohort and period: the observed share alive, or the forecast with its 94% HDI. */
export function forecastCsv(out: CohortForecastOutputs): { header: string[]; rows: (string | number | null)[][] } {
  const rows: (string | number | null)[][] = [];
  for (const c of out.cohorts) {
    c.observed.forEach((v, t) => rows.push([c.name, t, 'observed', v, null, null]));
    c.forecast.mean.forEach((v, h) => rows.push([c.name, c.observedPeriods + h, 'forecast', v, c.forecast.hdiLow[h], c.forecast.hdiHigh[h]]));
  }
  out.newCohort.periods.forEach((t, i) => rows.push(['new cohort', t, 'forecast', out.newCohort.survival.mean[i], out.newCohort.survival.hdiLow[i], out.newCohort.survival.hdiHigh[i]]));
  return { header: ['cohort', 'period', 'kind', 'share_alive', 'hdi_low', 'hdi_high'], rows };
}
