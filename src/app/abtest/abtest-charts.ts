/**
 * The A/B test's results as charts and tables: conversion rate and revenue per customer by group,
 * the posterior of the profit per treated customer against break-even, the uplift by segment, and
 * the CSV exports of the estimates and of the segments. Pure functions of the outputs; the plot
 * options AbTestResults.svelte and the report draw.
 */
import type { Estimate, OutputsOf } from '../../api/types';
import { bandMark } from '../../ui/charts/band';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import type { PlotOptions } from '../../ui/charts/plot';
import { ruleXMark, ruleYMark } from '../../ui/charts/rule';
import { PALETTE } from '../../ui/theme';

type AbTest = OutputsOf<'abtest'>;

/** The two groups' labels, control first. */
function groupLabels(out: AbTest): [string, string] {
  return [`${out.groups.control.label} (control)`, `${out.groups.treatment.label} (treated)`];
}

function bars(labels: readonly string[], e: readonly Estimate[], scale = 1, fill = PALETTE[0], dot = false) {
  return intervalBarsMark({
    labels,
    mean: e.map((v) => scale * v.mean),
    low: e.map((v) => scale * v.hdiLow),
    high: e.map((v) => scale * v.hdiHigh),
    fill,
    dot,
  });
}

/** Conversion rate per group (posterior mean, 94% HDI), in percent. */
export function conversionChart(out: AbTest): PlotOptions {
  return {
    x: { kind: 'band' },
    y: { label: 'conversion rate (%)', zero: true },
    title: 'Conversion rate by group (94% HDI)',
    marks: [bars(groupLabels(out), [out.conversionRate.control, out.conversionRate.treatment], 100)],
  };
}

/** Expected revenue per customer with and without the incentive (hurdle model, 94% HDI); undefined without revenue. */
export function revenueChart(out: AbTest): PlotOptions | undefined {
  const r = out.revenuePerCustomer;
  if (!r) return undefined;
  return {
    x: { kind: 'band' },
    y: { label: 'revenue per customer', zero: true },
    title: `Revenue per customer by group${out.covariates.length ? ', covariate-adjusted' : ''} (94% HDI)`,
    marks: [bars(groupLabels(out), [r.control, r.treatment], 1, PALETTE[1])],
  };
}

/** The posterior density of the profit per treated customer, with break-even at 0; undefined without revenue. */
export function profitChart(out: AbTest): PlotOptions | undefined {
  const p = out.profitPerCustomer;
  if (!p || p.counts.length === 0) return undefined;
  const width = p.edges[1] - p.edges[0];
  const total = p.counts.reduce((s, c) => s + c, 0) || 1;
  const centres = p.counts.map((_, i) => p.edges[i] + width / 2);
  const density = p.counts.map((c) => c / total / (width || 1));
  return {
    x: { kind: 'linear', label: 'incremental profit per treated customer' },
    y: { label: 'posterior density', zero: true },
    title: 'Profit per treated customer after the incentive’s cost (posterior)',
    marks: [
      bandMark({ x: centres, y1: centres.map(() => 0), y2: density, fill: PALETTE[2], opacity: 0.45, label: 'posterior' }),
      ruleXMark({ x: 0, label: 'break-even' }),
    ],
  };
}

/** The uplift per segment (revenue per customer with revenue, else conversion in points), 94% HDI; undefined without segments. */
export function segmentChart(out: AbTest): PlotOptions | undefined {
  const segs = out.bySegment;
  if (!segs?.length) return undefined;
  const revenue = segs.every((s) => s.revenueUplift);
  const e = segs.map((s) => (revenue ? s.revenueUplift! : s.conversionUplift));
  return {
    x: { kind: 'band' },
    y: { label: revenue ? 'revenue uplift per customer' : 'conversion uplift (points)' },
    title: `${revenue ? 'Revenue' : 'Conversion'} uplift by segment, partially pooled (94% HDI)`,
    marks: [bars(segs.map((s) => s.segment), e, revenue ? 1 : 100, PALETTE[3], true), ruleYMark({ y: 0 })],
  };
}

/** Every headline estimate as rows: quantity, mean, sd, 94% HDI. */
export function estimatesRows(out: AbTest): [string, Estimate][] {
  const rows: [string, Estimate | undefined][] = [
    ['conversion rate, treated', out.conversionRate.treatment],
    ['conversion rate, control', out.conversionRate.control],
    ['conversion uplift (absolute)', out.conversionUplift],
    ['conversion uplift (relative)', out.conversionUpliftRelative],
    ['conversion uplift, covariate-adjusted (model)', out.conversionUpliftAdjusted],
    ['purchases uplift per customer', out.purchasesUplift],
    ['revenue per customer, treated', out.revenuePerCustomer?.treatment],
    ['revenue per customer, control', out.revenuePerCustomer?.control],
    ['revenue uplift per customer', out.revenueUplift],
    ['revenue uplift (relative)', out.revenueUpliftRelative],
    ['incremental revenue (treated customers)', out.incrementalRevenue],
    ['incentive cost (treated customers)', out.cost],
    ['incremental profit (treated customers)', out.incrementalProfit],
    ['ROI', out.roi],
  ];
  return rows.filter((r): r is [string, Estimate] => r[1] !== undefined);
}

/** The estimates as a CSV (with the probabilities and expected losses as single values). */
export function estimatesCsv(out: AbTest): { header: string[]; rows: unknown[][] } {
  const rows: unknown[][] = estimatesRows(out).map(([name, e]) => [name, e.mean, e.sd, e.hdiLow, e.hdiHigh]);
  rows.push(['probability conversion rose', out.probConversionUplift, '', '', '']);
  if (out.probRevenueUplift !== undefined) rows.push(['probability revenue per customer rose', out.probRevenueUplift, '', '', '']);
  if (out.probRoiPositive !== undefined) rows.push(['probability ROI > 0', out.probRoiPositive, '', '', '']);
  if (out.expectedLoss) {
    rows.push(['expected loss per customer of rolling out', out.expectedLoss.rollOut, '', '', '']);
    rows.push(['expected loss per customer of not rolling out', out.expectedLoss.hold, '', '', '']);
  }
  return { header: ['quantity', 'mean', 'sd', 'hdi_low', 'hdi_high'], rows };
}

/** Per segment: customers, uplifts, profit, ROI and its probability. */
export function segmentsCsv(out: AbTest): { header: string[]; rows: unknown[][] } {
  const e = (v: Estimate | undefined) => (v ? [v.mean, v.hdiLow, v.hdiHigh] : ['', '', '']);
  return {
    header: [
      'segment', 'treated', 'control',
      'conversion_uplift', 'conversion_uplift_low', 'conversion_uplift_high',
      'revenue_uplift', 'revenue_uplift_low', 'revenue_uplift_high',
      'incremental_profit', 'incremental_profit_low', 'incremental_profit_high',
      'roi', 'roi_low', 'roi_high', 'prob_roi_positive',
    ],
    rows: (out.bySegment ?? []).map((s) => [
      s.segment, s.customers.treatment, s.customers.control,
      ...e(s.conversionUplift), ...e(s.revenueUplift), ...e(s.incrementalProfit), ...e(s.roi), s.probRoiPositive ?? '',
    ]),
  };
}
