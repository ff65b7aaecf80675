/**
 * The retention models' results as charts and a CSV: sBG survival and period-to-period retention
 * per cohort (observed and fitted, 94% HDI), and BG/BB's per-pattern predictions. What
 * RetentionResults.svelte draws.
 */
import type { OutputsOf } from '../../api/types';
import { bandMark } from '../../ui/charts/band';
import { lineMark } from '../../ui/charts/line';
import type { PlotOptions } from '../../ui/charts/plot';
import { seriesColor } from '../../ui/theme';

/** Survival per cohort: observed (thick), the sBG fit projected ahead (dashed) with its 94% HDI. */
export function survivalChart(sbg: OutputsOf<'sbg'>): PlotOptions {
  return {
    x: { kind: 'linear', label: 'period' },
    y: { label: 'share of the cohort still active', zero: true },
    title: 'Survival: observed (dots on the line) and sBG fit projected ahead, 94% HDI',
    marks: sbg.cohorts.flatMap((c, k) => [
      bandMark({ x: c.periods, y1: c.survival.hdiLow, y2: c.survival.hdiHigh, fill: seriesColor(k) }),
      lineMark({ x: c.periods, y: c.survival.mean, stroke: seriesColor(k), dash: '4 3', label: `${c.name} model` }),
      lineMark({ x: c.observed.map((_, t) => t), y: c.observed, stroke: seriesColor(k), strokeWidth: 3, label: `${c.name} observed` }),
    ]),
  };
}

/** Period-to-period retention per cohort (94% HDI), from period 1. */
export function retentionRateChart(sbg: OutputsOf<'sbg'>): PlotOptions {
  return {
    x: { kind: 'linear', label: 'period' },
    y: { label: 'retention rate' },
    title: 'Period-to-period retention rate (rises as churn-prone customers leave)',
    marks: sbg.cohorts.flatMap((c, k) => [
      bandMark({ x: c.periods.slice(1), y1: c.retention.hdiLow.slice(1), y2: c.retention.hdiHigh.slice(1), fill: seriesColor(k) }),
      lineMark({ x: c.periods.slice(1), y: c.retention.mean.slice(1), stroke: seriesColor(k), label: c.name }),
    ]),
  };
}

/** BG/BB per (frequency, recency, opportunities) pattern: customers, P(alive) and expected transactions with 94% HDIs. */
export function patternsCsv(bgbb: OutputsOf<'bgbb'>): { header: string[]; rows: unknown[][] } {
  const p = bgbb.patterns;
  return {
    header: ['frequency', 'recency', 'periods', 'customers', 'p_alive', 'p_alive_low', 'p_alive_high', 'expected', 'expected_low', 'expected_high'],
    rows: p.frequency.map((_, i) => [p.frequency[i], p.recency[i], p.periods[i], p.customers[i], p.pAlive.mean[i], p.pAlive.hdiLow[i], p.pAlive.hdiHigh[i], p.expected.mean[i], p.expected.hdiLow[i], p.expected.hdiHigh[i]]),
  };
}
