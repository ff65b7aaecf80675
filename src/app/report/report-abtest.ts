/**
 * A customer A/B test's part of a report: the written summary (saying first when the run has not
 * converged), the uplifts and the economics of the incentive, the charts by group, the profit's
 * posterior against break-even, and the segments.
 */
import type { RunResult } from '../../api/types';
import { summaryWithVerdict } from '../../models/abtest/summary';
import { verdictOf } from '../../models/verdict';
import { conversionChart, estimatesRows, profitChart, revenueChart, segmentChart } from '../abtest/abtest-charts';
import type { FamilyReport } from './report-family';
import { figure, fmt, fmtInterval, para, pct, table, type Headline, type Section } from './report-html';

export function abtestReport(run: RunResult<'abtest'>): FamilyReport {
  const out = run.outputs;
  const points = (v: number) => `${fmt(100 * v, 3)} points`;
  const headline: Headline[] = [
    { label: 'Conversion uplift (absolute)', estimate: out.conversionUplift, format: points },
    { label: 'Conversion uplift (relative)', estimate: out.conversionUpliftRelative, format: pct },
  ];
  if (out.revenueUplift) headline.push({ label: 'Revenue uplift per customer', estimate: out.revenueUplift });
  if (out.incrementalRevenue) headline.push({ label: `Incremental revenue (${out.groups.treatment.customers.toLocaleString('en-US')} treated customers)`, estimate: out.incrementalRevenue });
  if (out.incrementalProfit) headline.push({ label: 'Incremental profit after the incentive’s cost', estimate: out.incrementalProfit });
  if (out.roi) headline.push({ label: 'ROI of the incentive', estimate: out.roi, format: pct });

  const decision: [string, string][] = [['Probability conversion rose', pct(out.probConversionUplift)]];
  if (out.probRevenueUplift !== undefined) decision.push(['Probability revenue per customer rose', pct(out.probRevenueUplift)]);
  if (out.probRoiPositive !== undefined) decision.push(['Probability the incentive pays (ROI > 0)', pct(out.probRoiPositive)]);
  if (out.expectedLoss) {
    decision.push(['Expected loss per customer of rolling out', fmt(out.expectedLoss.rollOut)], ['Expected loss per customer of not rolling out', fmt(out.expectedLoss.hold)]);
  }
  const economics = out.economics.costPerTreated !== undefined ? `${fmt(out.economics.costPerTreated)} per treated customer` : `${fmt(out.economics.costPerRedemption)} per redemption`;
  const revenue = revenueChart(out);
  const profit = profitChart(out);
  const sections: Section[] = [
    {
      id: 'abtest-effect',
      title: 'The effect of the incentive',
      newPage: true,
      html:
        para(summaryWithVerdict(out.summary, verdictOf(run))) +
        table(['Quantity', 'Mean [94% HDI]'], estimatesRows(out).map(([name, e]) => [name, fmtInterval(e)])) +
        table(['Decision', 'Value'], decision) +
        para(`Incentive cost ${economics}; margin ${pct(out.economics.margin)}.`, 'note') +
        figure(conversionChart(out)) +
        (revenue ? figure(revenue) : ''),
    },
  ];
  if (profit) sections.push({ id: 'abtest-profit', title: 'Does it pay?', html: figure(profit, 'the posterior of the profit per treated customer; right of break-even the incentive pays') });
  const segs = out.bySegment;
  if (segs?.length) {
    const chart = segmentChart(out);
    sections.push({
      id: 'abtest-segments',
      title: 'By segment',
      newPage: true,
      html:
        para('Each segment’s uplift is partially pooled toward the overall one, so a small segment borrows strength from the others.') +
        (chart ? figure(chart) : '') +
        table(
          ['Segment', 'Treated / control', 'Conversion uplift (points)', 'Revenue uplift per customer', 'ROI', 'P(ROI > 0)'],
          segs.map((s) => [
            s.segment,
            `${s.customers.treatment} / ${s.customers.control}`,
            fmtInterval({ mean: 100 * s.conversionUplift.mean, hdiLow: 100 * s.conversionUplift.hdiLow, hdiHigh: 100 * s.conversionUplift.hdiHigh }),
            s.revenueUplift ? fmtInterval(s.revenueUplift) : '',
            s.roi ? fmtInterval(s.roi, 3, (v) => pct(v)) : '',
            s.probRoiPositive !== undefined ? pct(s.probRoiPositive) : '',
          ]),
        ),
    });
  }
  return {
    question: `Did the incentive sent to "${out.groups.treatment.label}" change conversion and revenue per customer against "${out.groups.control.label}", and does it pay for itself?`,
    headline,
    sections,
    notes: [
      `Conversion read from ${out.conversionSource === 'converted' ? 'the converted column' : out.conversionSource === 'revenue' ? 'revenue above 0' : 'purchases above 0'}; buyers' spend modelled as ${out.spend === 'gamma' ? 'Gamma' : 'log-normal'}${out.covariates.length ? `; adjusted for ${out.covariates.join(', ')}` : ''}.`,
    ],
  };
}
