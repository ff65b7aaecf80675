// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { CohortTable } from '../../../../src/data/cohorts';
import { cohortHeatmap, cohortKeyCandidates, retentionCsv, retentionCurves } from '../../../../src/app/cohorts/cohort-table-charts';
import { renderPlot } from '../../../../src/ui/charts/plot';

const table: CohortTable = {
  period: 'month',
  cohorts: ['2024-01', '2024-02'],
  sizes: [10, 20],
  periods: 3,
  active: [[10, 3, 2], [20, 4, NaN]],
  retention: [[1, 0.3, 0.2], [1, 0.2, NaN]],
  revenue: [[100, 50, 130], [200, 40, NaN]],
  revenueRetention: [[1, 0.5, 1.3], [1, 0.2, NaN]],
};

/** The colour bar's two ends, as the heat map writes them. */
function colourBar(metric: 'retention' | 'revenueRetention'): string[] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  renderPlot(el, cohortHeatmap(table, metric, 'month'));
  return [...el.querySelectorAll('.colour-bar text')].map((t) => t.textContent ?? '');
}

describe('cohort table views', () => {
  it('the heat map\'s colour scale spans every value shown: period 0\'s 100% and revenue above it', () => {
    expect(colourBar('retention')).toEqual(['0.0%', '100.0%']);
    expect(colourBar('revenueRetention')).toEqual(['0.0%', '130.0%']);
    expect(cohortHeatmap(table, 'retention', 'month').y?.label).toBe('cohort (customers)');
  });

  it('an id column is not offered as a cohort key', () => {
    expect(cohortKeyCandidates(['customer_id', 'channel', 'id', 'userId', 'order_uuid', 'country', 'paid', 'valid'], 'customer_id')).toEqual(['channel', 'country', 'paid', 'valid']);
    expect(cohortKeyCandidates(['email', 'region'], 'email')).toEqual(['region']);
  });

  it('Export CSV exports the view shown: customer or revenue retention', () => {
    const customers = retentionCsv(table, 'retention');
    expect(customers.header).toEqual(['cohort', 'customers', 'retention_period_0', 'retention_period_1', 'retention_period_2']);
    expect(customers.rows[0]).toEqual(['2024-01', 10, 1, 0.3, 0.2]);
    const revenue = retentionCsv(table, 'revenueRetention');
    expect(revenue.rows[0]).toEqual(['2024-01', 10, 1, 0.5, 1.3]);
    expect(revenue.file).toBe('cohort-revenue-retention.csv');
  });

  it('many cohorts: every one in the legend, and the line under the pointer stands out with its name', () => {
    const n = 14;
    const many: CohortTable = {
      ...table,
      cohorts: Array.from({ length: n }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`),
      sizes: Array(n).fill(10),
      active: Array.from({ length: n }, () => [10, 3, 2]),
      retention: Array.from({ length: n }, (_, i) => [1, 0.3 - i / 100, 0.2 - i / 100]),
    };
    const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(el);
    renderPlot(el, retentionCurves(many, 'month'));
    expect(el.querySelectorAll('g.legend > g')).toHaveLength(n);
    const lines = [...el.querySelectorAll('path.highlightable')];
    expect(lines.map((l) => l.querySelector('title')?.textContent)).toEqual(many.cohorts);
    expect(el.querySelector('style')?.textContent).toMatch(/\.highlightable:hover/);
  });
});
