/**
 * Customer-base runs' part of a report: count models (BG/NBD and kin: tracking, P(alive) and
 * expected purchases, value by segment and channel), Gamma-Gamma spend, and sBG/BG-BB retention.
 */
import type { RunResult } from '../../api/types';
import type { ModelsOf } from '../../models/families';
import { channelValueCharts, customerHistogramChart, heatmapChart, trackingCharts, type ClvOutputs } from '../clv/clv-charts';
import { retentionRateChart, survivalChart } from '../clv/retention-charts';
import { facts, figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';
import type { FamilyReport } from './report-family';

/** Customers listed in a report's table (the most valuable first): a summary, not the whole base. */
const TOP_CUSTOMERS = 10;

const meanOf = (values: readonly (number | null)[]): number => {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
};
const sumOf = (values: readonly (number | null)[]): number => values.reduce<number>((a, v) => a + (v !== null && Number.isFinite(v) ? v : 0), 0);

export function countReport(run: RunResult<ModelsOf<'count'>>): FamilyReport {
  const out: ClvOutputs = run.outputs;
  const unit = out.timeUnit ?? 'periods';
  const horizon = out.predictionPeriods !== undefined ? `${fmt(out.predictionPeriods, 3)} ${unit}` : 'the horizon';
  const c = out.customers;
  const sections: Section[] = [];
  const headline: Headline[] = [];

  if (out.tracking) {
    sections.push({
      id: 'clv-tracking',
      title: 'Does the model track the purchases?',
      newPage: true,
      html: para('Repeat purchases of the whole customer base, period by period: what happened against what the model expects (94% interval).') + trackingCharts(out.tracking, unit, run.spec.config?.calibrationEnd).map((t) => figure(t)).join(''),
    });
  }

  if (c?.pAlive && c.expectedPurchases && c.id.length) {
    const pAlive = c.pAlive.mean;
    const likelyGone = pAlive.filter((p) => p !== null && p < 0.5).length;
    const rows: [string, string][] = [
      ['Customers', c.id.length.toLocaleString()],
      ['Average P(alive)', pct(meanOf(pAlive))],
      ['Customers with P(alive) below 50%', `${likelyGone.toLocaleString()} (${pct(likelyGone / c.id.length)})`],
      [`Expected purchases in the next ${horizon}, all customers (sum of posterior means)`, fmt(sumOf(c.expectedPurchases.mean))],
      [`Expected purchases in the next ${horizon}, per customer`, fmt(meanOf(c.expectedPurchases.mean))],
    ];
    if (c.clv) rows.push([`Predicted ${out.clv?.months ?? ''}-month CLV, all customers (sum of posterior means)`, fmt(sumOf(c.clv.mean))]);
    const heat = out.heatmaps
      ? figure(heatmapChart(out.heatmaps, out.heatmaps.pAlive, `P(alive) by frequency and recency (T = ${fmt(out.heatmaps.T, 3)})`, (v) => `${(v * 100).toFixed(1)}%`, unit)) +
        figure(heatmapChart(out.heatmaps, out.heatmaps.expectedPurchases, `Expected purchases in the next ${horizon}`, (v) => fmt(v, 3), unit))
      : '';
    const value = c.clv ?? c.expectedPurchases;
    const order = c.id.map((_, i) => i).sort((a, b) => (value.mean[b] ?? -Infinity) - (value.mean[a] ?? -Infinity)).slice(0, TOP_CUSTOMERS);
    const cell = (col: { mean: (number | null)[]; hdiLow: (number | null)[]; hdiHigh: (number | null)[] }, i: number) =>
      col.mean[i] === null ? '—' : `${fmt(col.mean[i])} [${fmt(col.hdiLow[i])}, ${fmt(col.hdiHigh[i])}]`;
    sections.push({
      id: 'clv-customers',
      title: 'Who is still a customer, and what will they buy',
      newPage: true,
      html:
        facts(rows) +
        heat +
        `<h3>The ${order.length} most valuable customers (by ${c.clv ? 'predicted CLV' : 'expected purchases'})</h3>` +
        table(
          ['Customer', 'Repeat purchases', 'P(alive) [94% HDI]', `Purchases next ${horizon} [94% HDI]`, ...(c.clv ? ['CLV [94% HDI]'] : [])],
          order.map((i) => [c.id[i], fmt(c.frequency?.[i]), cell(c.pAlive!, i), cell(c.expectedPurchases!, i), ...(c.clv ? [cell(c.clv, i)] : [])]),
        ),
    });
  }

  if (out.segments?.length) {
    sections.push({
      id: 'clv-segments',
      title: `Value by segment`,
      html:
        para(`Customers grouped by predicted ${c?.clv ? 'CLV' : 'purchases'}: how many there are and how much of the value each group holds.`) +
        table(
          ['Segment', 'Customers', 'Mean value', 'Share of value'],
          out.segments.map((s) => [s.name, s.customers.toLocaleString(), fmt(s.meanValue), `${(s.shareOfValue * 100).toFixed(1)}%`]),
          [1, 2, 3],
        ) +
        (out.clvHistogram ? figure(customerHistogramChart(out.clvHistogram, 'predicted CLV (posterior mean)', `Distribution of predicted ${out.clv?.months ?? ''}-month CLV`)) : ''),
    });
  }

  if (out.byChannel && out.clv) {
    const names = Object.keys(out.byChannel);
    for (const n of names) headline.push({ label: `${out.clv.months}-month value per customer acquired through ${n}`, estimate: out.byChannel[n].ltv });
    const [valueChart] = channelValueCharts(out.byChannel, out.clv.months);
    sections.push({
      id: 'clv-channels',
      title: 'Value per acquired customer by channel',
      newPage: true,
      html:
        para(
          `Margin (${out.clv.margin}) of the first ${out.clv.months} months after each customer’s first purchase, first purchase included, discounted ${out.clv.monthlyDiscountRate} a month: what the customers bought up to the end of the data, plus the model’s prediction for the months the younger ones have not reached.`,
        ) +
        table(
          ['Channel', 'Customers', 'Value per customer [94% HDI]', 'Observed share of the value'],
          names.map((n) => [n, out.byChannel![n].customers.toLocaleString(), fmtInterval(out.byChannel![n].ltv), `${fmt(out.byChannel![n].observedShare * 100, 3)}%`]),
          [1],
        ) +
        figure(valueChart),
    });
  }
  return {
    question: 'Which customers are still active, how much will they buy, and what are they worth?',
    headline,
    sections,
    period: out.tracking?.date.length ? `${out.tracking.date[0]} to ${out.tracking.date[out.tracking.date.length - 1]}` : undefined,
    notes: out.notes,
  };
}

export function spendReport(run: RunResult<'gammagamma'>): FamilyReport {
  const out = run.outputs;
  return {
    question: 'How much does a customer spend per purchase?',
    headline: [{ label: 'Mean spend per transaction of a new customer', estimate: out.populationMeanSpend }],
    sections: [
      {
        id: 'spend-distribution',
        title: 'Expected spend per transaction',
        newPage: true,
        html:
          para(`Mean spend per transaction of a new customer: ${fmtInterval(out.populationMeanSpend)} (94% HDI), over ${out.customers.id.length.toLocaleString()} customers with repeat purchases.`) +
          figure(customerHistogramChart(out.spendHistogram, 'expected spend per transaction (posterior mean)', 'Distribution of expected spend per transaction')),
      },
    ],
    notes: out.notes,
  };
}

export function retentionReport(run: RunResult<ModelsOf<'retention'>>): FamilyReport {
  const sections: Section[] = [];
  if (run.model === 'sbg') {
    sections.push({ id: 'retention-survival', title: 'Survival and retention', newPage: true, html: figure(survivalChart(run.outputs)) + figure(retentionRateChart(run.outputs)) });
  } else {
    const b = run.outputs;
    const p = b.patterns;
    const order = p.customers.map((_, i) => i).sort((a, z) => p.customers[z] - p.customers[a]).slice(0, 15);
    sections.push({
      id: 'retention-patterns',
      title: 'P(alive) and expected transactions by purchase pattern',
      newPage: true,
      html:
        para(`The ${order.length} most common patterns of ${p.customers.length} (frequency, recency, opportunities).`) +
        table(
          ['Frequency', 'Recency', 'Opportunities', 'Customers', 'P(alive) [94% HDI]', `Transactions in the next ${b.futurePeriods} [94% HDI]`],
          order.map((i) => [p.frequency[i], p.recency[i], p.periods[i], p.customers[i], `${fmt(p.pAlive.mean[i])} [${fmt(p.pAlive.hdiLow[i])}, ${fmt(p.pAlive.hdiHigh[i])}]`, `${fmt(p.expected.mean[i])} [${fmt(p.expected.hdiLow[i])}, ${fmt(p.expected.hdiHigh[i])}]`]),
          [0, 1, 2, 3],
        ),
    });
  }
  return { question: 'How long do customers stay, and how many are still active?', headline: [], sections };
}
