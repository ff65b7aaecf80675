/**
 * The acquisition cohort table (data/cohorts.ts) as charts and a CSV: a heatmap of retention or
 * revenue retention, retention curves and cumulative revenue per customer, one colour per cohort.
 * What the Cohorts page draws.
 */
import type { CohortPeriod, CohortTable } from '../../data/cohorts';
import { heatmapMark } from '../../ui/charts/heatmap';
import { lineMark } from '../../ui/charts/line';
import type { PlotOptions } from '../../ui/charts/plot';
import { seriesColor } from '../../ui/theme';

/** What the heatmap shows: the share of each cohort active, or revenue relative to the first period. */
export type CohortMetric = 'retention' | 'revenueRetention';

/** A cohort's legend label (the legend wraps onto as many rows as the cohorts need). */
function cohortLabel(table: CohortTable, c: number): string {
  return table.cohorts[c];
}

/** Cohorts by periods since first purchase, coloured by `metric` (retention falls back to it without revenue). */
export function cohortHeatmap(table: CohortTable, metric: CohortMetric, period: CohortPeriod): PlotOptions {
  const matrix = (metric === 'revenueRetention' ? table.revenueRetention : table.retention) ?? table.retention;
  return {
    height: Math.max(200, 60 + 18 * table.cohorts.length),
    x: { kind: 'band', label: `${period}s since first purchase` },
    y: { kind: 'band', label: 'cohort (customers)' },
    title: metric === 'retention' ? 'Share of each cohort active' : 'Revenue relative to the first period',
    marks: [
      heatmapMark({
        xLabels: Array.from({ length: table.periods }, (_, k) => String(k)),
        yLabels: table.cohorts.map((c, i) => `${c} (n=${table.sizes[i]})`),
        values: matrix.flat(),
        // The scale spans every value shown, period 0's 100% (and revenue above it) included, so no
        // cell is coloured beyond the legend's end.
        domain: [0, Math.max(1, ...matrix.flat().filter(Number.isFinite))],
        format: (v) => `${(v * 100).toFixed(1)}%`,
      }),
    ],
  };
}

/** Each cohort's share active by period (period 0, 100% by definition, left out). */
export function retentionCurves(table: CohortTable, period: CohortPeriod): PlotOptions {
  return {
    x: { kind: 'linear', label: `${period}s since first purchase` },
    y: { label: 'share active', zero: true },
    title: 'Retention curves (period 0 left out: it is 100% by definition)',
    marks: table.retention.map((r, c) =>
      lineMark({ x: r.slice(1).map((_, k) => k + 1), y: r.slice(1), stroke: seriesColor(c), label: cohortLabel(table, c), highlight: true }),
    ),
  };
}

/** Cumulative revenue per acquired customer by period (tables built with an amount column). */
export function revenueCurves(table: CohortTable, revenue: NonNullable<CohortTable['cumulativeRevenuePerCustomer']>, period: CohortPeriod): PlotOptions {
  return {
    x: { kind: 'linear', label: `${period}s since first purchase` },
    y: { label: 'cumulative revenue per customer', zero: true },
    title: 'Cumulative revenue per acquired customer',
    marks: revenue.map((r, c) => lineMark({ x: r.map((_, k) => k), y: r, stroke: seriesColor(c), label: cohortLabel(table, c), highlight: true })),
  };
}

/**
 * The table the heat map shows, as CSV: a row per cohort with its size and, per period, the share
 * active (`retention`) or the revenue relative to the first period (`revenueRetention`), as shown.
 */
export function retentionCsv(table: CohortTable, metric: CohortMetric = 'retention'): { header: string[]; rows: unknown[][]; file: string } {
  const revenue = metric === 'revenueRetention' && table.revenueRetention !== undefined;
  const matrix = revenue ? table.revenueRetention! : table.retention;
  return {
    header: ['cohort', 'customers', ...Array.from({ length: table.periods }, (_, k) => `${revenue ? 'revenue_retention' : 'retention'}_period_${k}`)],
    rows: table.cohorts.map((c, i) => [c, table.sizes[i], ...matrix[i]]),
    file: revenue ? 'cohort-revenue-retention.csv' : 'cohort-retention.csv',
  };
}

/**
 * Text columns a cohort can be keyed by: not the customer column and not an identifier (`id`,
 * `customer_id`, `userId`, `uuid`), which would make a cohort of every customer.
 */
export function cohortKeyCandidates(textColumns: readonly string[], customer: string): string[] {
  const identifier = (c: string) => /(^|[^a-z])id$|^id([^a-z]|$)|(^|_)(uuid|guid)$/i.test(c) || /[a-z]Id$/.test(c);
  return textColumns.filter((c) => c !== customer && !identifier(c));
}
