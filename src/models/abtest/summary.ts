/**
 * The A/B test's written summary, in the order a reader decides in: did the incentive change
 * conversion, did it change revenue per customer, does it pay for itself after its cost (ROI, its
 * probability, the expected loss of each decision), and where it pays (segments). A run that has
 * not converged says so first (`summaryWithVerdict`).
 */
import type { Estimate, RunVerdict } from '../../api/types';
import { formatAmount } from '../causal/summary';

const interval = (e: Estimate, f: (v: number) => string = formatAmount) => `94% interval ${f(e.hdiLow)} to ${f(e.hdiHigh)}`;
const pct = (v: number) => `${formatAmount(100 * v)}%`;
const points = (v: number) => `${formatAmount(100 * v)} points`;
const signed = (v: number, f: (v: number) => string) => (v >= 0 ? `+${f(v)}` : `−${f(-v)}`);

/** What the summary is written from (a subset of the outputs). */
export interface SummaryInput {
  treatment: { label: string; customers: number };
  control: { label: string; customers: number };
  conversionRate: { treatment: Estimate; control: Estimate };
  conversionUplift: Estimate;
  conversionUpliftRelative: Estimate;
  probConversionUplift: number;
  /** What "converted" means here. */
  conversionWord: string;
  revenueUplift?: Estimate;
  probRevenueUplift?: number;
  covariates: string[];
  incrementalRevenue?: Estimate;
  incrementalProfit?: Estimate;
  roi?: Estimate;
  probRoiPositive?: number;
  expectedLoss?: { rollOut: number; hold: number };
  bySegment?: { segment: string; roi?: Estimate; probRoiPositive?: number; revenueUplift?: Estimate; conversionUplift: Estimate }[];
}

/** The plain-language summary of an A/B test's outputs. */
export function abtestSummary(s: SummaryInput): string {
  const c = s.conversionRate;
  const up = s.conversionUplift;
  const out: string[] = [
    `The incentive was sent to ${s.treatment.customers.toLocaleString('en-US')} customers ("${s.treatment.label}") and held back from ${s.control.customers.toLocaleString('en-US')} ("${s.control.label}"). ` +
      `${capital(s.conversionWord)} went from ${pct(c.control.mean)} without it to ${pct(c.treatment.mean)} with it: ${signed(up.mean, points)} (${interval(up, (v) => formatAmount(100 * v))} points), ` +
      `${signed(s.conversionUpliftRelative.mean, pct)} relative; the probability that it raised ${s.conversionWord} is ${pct(s.probConversionUplift)}.`,
  ];
  if (s.revenueUplift && s.probRevenueUplift !== undefined) {
    const adj = s.covariates.length ? `, adjusted for ${s.covariates.map((n) => `"${n}"`).join(', ')},` : '';
    const total = s.incrementalRevenue ? ` Over the treated customers that is ${formatAmount(s.incrementalRevenue.mean)} of incremental revenue (${interval(s.incrementalRevenue)}).` : '';
    out.push(
      `Revenue per customer${adj} changed by ${signed(s.revenueUplift.mean, formatAmount)} (${interval(s.revenueUplift)}); the probability that it rose is ${pct(s.probRevenueUplift)}.${total}`,
    );
  }
  if (s.incrementalProfit && s.probRoiPositive !== undefined) {
    const roi = s.roi ? `, an ROI of ${signed(s.roi.mean, pct)} (${interval(s.roi, (v) => pct(v))})` : '';
    out.push(
      `After the incentive's cost, incremental profit is ${formatAmount(s.incrementalProfit.mean)} (${interval(s.incrementalProfit)})${roi}; the probability that the incentive pays for itself is ${pct(s.probRoiPositive)}.`,
    );
    if (s.expectedLoss) {
      const better = s.expectedLoss.rollOut <= s.expectedLoss.hold ? 'rolling it out' : 'not rolling it out';
      out.push(
        `Rolling it out risks an expected loss of ${formatAmount(s.expectedLoss.rollOut)} per customer, not rolling it out ${formatAmount(s.expectedLoss.hold)} per customer (forgone profit): on this evidence, ${better} is the smaller risk.`,
      );
    }
  }
  const segs = s.bySegment?.filter((g) => g.probRoiPositive !== undefined) ?? [];
  if (segs.length > 1) {
    const sorted = [...segs].sort((a, b) => b.probRoiPositive! - a.probRoiPositive!);
    const best = sorted[0];
    const worst = sorted[sorted.length - 1];
    out.push(
      `By segment (partially pooled), it is most likely to pay in "${best.segment}" (probability ${pct(best.probRoiPositive!)}) and least in "${worst.segment}" (${pct(worst.probRoiPositive!)}).`,
    );
  } else if (!segs.length && (s.bySegment?.length ?? 0) > 1) {
    const sorted = [...s.bySegment!].sort((a, b) => b.conversionUplift.mean - a.conversionUplift.mean);
    out.push(`By segment (partially pooled), the conversion uplift is largest in "${sorted[0].segment}" and smallest in "${sorted[sorted.length - 1].segment}".`);
  }
  return out.join(' ');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The summary as shown: a run that has not converged says first that its numbers are not yet an answer. */
export function summaryWithVerdict(summary: string, verdict: RunVerdict): string {
  return verdict === 'unconverged' ? `Not converged, so not an answer yet: ${summary}` : summary;
}
