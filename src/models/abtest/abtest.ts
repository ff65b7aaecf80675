/**
 * Customer-level A/B test of an incentive (a discount, a campaign sent to some customers and not to
 * others): one row per customer, a treatment and a control group. It reads
 * - conversion per group, Beta-Binomial in closed form (Beta(1, 1) prior; conversion.ts);
 * - purchases per customer, by the Bayesian bootstrap of each group's mean (conversion.ts);
 * - revenue per customer, as a hurdle model (P(buy) × Gamma or log-normal spend of a buyer) fitted
 *   with the engine, adjusted for standardised pre-period covariates, with a partially pooled
 *   uplift per segment (hurdle.ts);
 * and turns the revenue uplift into incremental revenue, profit after the incentive's cost, ROI,
 * the probability that ROI is positive and the expected loss of rolling out or not.
 */
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec } from '../../api/types';
import type { Table } from '../../data/table';
import { estimate } from '../../engine/diagnostics';
import { mergePriors } from '../../engine/priors';
import { createRng } from '../../engine/rng';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import { readOptions } from '../options';
import type { ModelDefinition } from '../types';
import { bayesianBootstrapMean, betaDraws, betaPosterior, type BetaShape } from './conversion';
import { ABTEST_PRIORS, hurdleDraws, hurdleModel, type SpendKind } from './hurdle';
import { readAbTest, type AbTestData } from './input';
import { ABTEST_OPTIONS } from './options';
import { abtestSummary } from './summary';

/** One group's customers and what was observed of them. */
export interface AbTestGroup {
  label: string;
  customers: number;
  conversions: number;
  /** Observed share converted. */
  conversionRate: number;
  /** Observed mean revenue per customer (with revenue). */
  revenuePerCustomer?: number;
  /** Observed mean purchases per customer (with purchases). */
  purchasesPerCustomer?: number;
}

/** What the incentive earns after its cost, for a set of treated customers. */
export interface AbTestProfit {
  /** Revenue uplift per customer × treated customers. */
  incrementalRevenue: Estimate;
  /** The incentive's cost over the treated customers (uncertain when paid per redemption). */
  cost: Estimate;
  /** margin × incremental revenue − cost. */
  incrementalProfit: Estimate;
  /** incremental profit / cost; absent when the cost is 0. */
  roi?: Estimate;
  /** P(incremental profit > 0), the same as P(ROI > 0). */
  probRoiPositive: number;
  /**
   * Expected loss per customer of each decision: rolling out, E[max(0, −profit per customer)];
   * holding back, E[max(0, profit per customer)] (the profit forgone).
   */
  expectedLoss: { rollOut: number; hold: number };
}

/** One segment's uplifts (partially pooled across segments) and its profit. */
export interface AbTestSegment extends Partial<AbTestProfit> {
  segment: string;
  customers: { treatment: number; control: number };
  /** Model-based P(buy) with minus without the incentive, averaged over the segment's customers. */
  conversionUplift: Estimate;
  revenueUplift?: Estimate;
}

/** The A/B test's outputs (README, "Customer A/B test"). */
export interface AbTestOutputs extends Partial<AbTestProfit> {
  method: 'abtest';
  groups: { treatment: AbTestGroup; control: AbTestGroup };
  /** Where a conversion was read from: the converted column, or revenue > 0, or purchases > 0. */
  conversionSource: 'converted' | 'purchases' | 'revenue';
  /** Each group's exact Beta posterior of its conversion rate. */
  conversionPosterior: { treatment: BetaShape; control: BetaShape };
  conversionRate: { treatment: Estimate; control: Estimate };
  /** Treatment − control conversion rate (absolute, a share: 0.02 is 2 points). */
  conversionUplift: Estimate;
  /** Treatment / control conversion rate − 1. */
  conversionUpliftRelative: Estimate;
  probConversionUplift: number;
  /** The same uplift from the hurdle model, adjusted for the covariates (equal in expectation without them). */
  conversionUpliftAdjusted: Estimate;
  /** Treatment − control mean purchases per customer (Bayesian bootstrap). */
  purchasesUplift?: Estimate;
  /** Expected revenue per customer with and without the incentive, over all customers of the test (hurdle model). */
  revenuePerCustomer?: { treatment: Estimate; control: Estimate };
  revenueUplift?: Estimate;
  revenueUpliftRelative?: Estimate;
  probRevenueUplift?: number;
  /** Posterior of the profit per treated customer, as a histogram (the decision chart). */
  profitPerCustomer?: { estimate: Estimate; edges: number[]; counts: number[] };
  /** Per segment (absent without a segment column). */
  bySegment?: AbTestSegment[];
  /** The incentive's cost and the margin the profit was computed with. */
  economics: { costPerTreated?: number; costPerRedemption?: number; margin: number };
  spend: SpendKind;
  covariates: string[];
  summary: string;
  warnings: string[];
}

const probPositive = (x: Float64Array) => x.reduce((s, v) => s + (v > 0 ? 1 : 0), 0) / x.length;
const diff = (a: Float64Array, b: Float64Array) => a.map((v, i) => v - b[i]);

/** A histogram of draws in `bins` equal bins between their 0.5% and 99.5% points. */
function histogram(x: Float64Array, bins = 30): { edges: number[]; counts: number[] } {
  const s = Float64Array.from(x).sort();
  const lo = s[Math.floor(0.005 * (s.length - 1))];
  const hi = s[Math.ceil(0.995 * (s.length - 1))];
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of x) {
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

/** Profit of the incentive over `treated` customers from per-draw revenue uplift and P(buy | treated). */
function profitOf(
  revenueUplift: Float64Array,
  buyTreated: Float64Array,
  treated: number,
  economics: AbTestOutputs['economics'],
): { profit: AbTestProfit; perCustomer: Float64Array } {
  const costPer = economics.costPerTreated !== undefined ? buyTreated.map(() => economics.costPerTreated!) : buyTreated.map((p) => economics.costPerRedemption! * p);
  const perCustomer = revenueUplift.map((u, d) => economics.margin * u - costPer[d]);
  const free = costPer.every((c) => c === 0);
  let rollOut = 0;
  let hold = 0;
  for (const v of perCustomer) {
    rollOut += Math.max(0, -v);
    hold += Math.max(0, v);
  }
  return {
    perCustomer,
    profit: {
      incrementalRevenue: estimate(revenueUplift.map((u) => u * treated)),
      cost: estimate(costPer.map((c) => c * treated)),
      incrementalProfit: estimate(perCustomer.map((v) => v * treated)),
      ...(free ? {} : { roi: estimate(perCustomer.map((v, d) => v / costPer[d])) }),
      probRoiPositive: probPositive(perCustomer),
      expectedLoss: { rollOut: rollOut / perCustomer.length, hold: hold / perCustomer.length },
    },
  };
}

const WORD: Record<AbTestData['conversionSource'], string> = {
  converted: 'conversion',
  revenue: 'the share of customers who bought (revenue above 0)',
  purchases: 'the share of customers who purchased',
};

/** The 'abtest' model: roles customer, group, converted, purchases, revenue, covariates, segment. */
export const abtestModel: ModelDefinition<'abtest', AbTestOutputs> = defineModel({
  name: 'abtest',
  label: 'customer A/B test',
  roles: ['customer', 'group', 'converted', 'purchases', 'revenue', 'covariates', 'segment'],
  options: ABTEST_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(ABTEST_OPTIONS, spec.config);
    if ((config.costPerTreated === undefined) === (config.costPerRedemption === undefined)) {
      throw new InputError('Set exactly one of config.costPerTreated (the incentive’s cost per treated customer) and config.costPerRedemption (its cost per redemption).');
    }
    if ((config.testStart === undefined) !== (config.testEnd === undefined)) {
      throw new InputError('Give both config.testStart and config.testEnd (the test’s first and last day), or neither.');
    }
    if (config.testStart !== undefined && config.testEnd !== undefined && config.testEnd < config.testStart) {
      throw new InputError('config.testEnd is before config.testStart: the test’s last day must be on or after its first.');
    }
    const data = readAbTest(table, spec, config.treatment);
    const warnings: string[] = [];
    if (data.revenue) {
      for (const t of [1, 0]) {
        let buyers = 0;
        for (let i = 0; i < data.n; i++) if (data.treated[i] === t && data.revenue[i] > 0) buyers++;
        if (buyers === 0) throw new InputError(`No customer of the group "${t ? data.treatment : data.control}" has revenue above 0: the spend of buyers cannot be compared.`);
      }
    }
    const segmentSizes = data.segments.map(() => ({ treatment: 0, control: 0 }));
    if (data.segments.length) {
      for (let i = 0; i < data.n; i++) segmentSizes[data.segment[i]][data.treated[i] ? 'treatment' : 'control']++;
      data.segments.forEach((s, k) => {
        const z = segmentSizes[k];
        if (z.treatment === 0 || z.control === 0) warnings.push(`Segment "${s}" has no ${z.treatment === 0 ? 'treated' : 'control'} customer: its uplift is the pooled one, not measured.`);
      });
    }
    const priors = mergePriors({ ...ABTEST_PRIORS }, config.priors);
    const hurdle = hurdleModel(data, priors, config.spend);
    const economics: AbTestOutputs['economics'] = {
      margin: config.margin,
      ...(config.costPerTreated !== undefined ? { costPerTreated: config.costPerTreated } : { costPerRedemption: config.costPerRedemption }),
    };
    const seed = typeof spec.inference?.seed === 'number' ? spec.inference.seed : 1;
    return {
      model: hurdle.model,
      outputs(posterior: Posterior): AbTestOutputs {
        const count = posterior.chains * posterior.draws;
        // The closed-form parts draw from their own stream, seeded from the fit's seed (same seed, same draws).
        const rng = createRng(seed + 7919);
        const groups = groupStats(data);
        const post = {
          treatment: betaPosterior(groups.treatment.conversions, groups.treatment.customers),
          control: betaPosterior(groups.control.conversions, groups.control.customers),
        };
        const pT = betaDraws(post.treatment, count, rng);
        const pC = betaDraws(post.control, count, rng);
        const h = hurdleDraws(data, hurdle, posterior);
        const nTreated = groups.treatment.customers;
        const out: AbTestOutputs = {
          method: 'abtest',
          groups,
          conversionSource: data.conversionSource,
          conversionPosterior: post,
          conversionRate: { treatment: estimate(pT), control: estimate(pC) },
          conversionUplift: estimate(diff(pT, pC)),
          conversionUpliftRelative: estimate(pT.map((v, d) => v / pC[d] - 1)),
          probConversionUplift: probPositive(diff(pT, pC)),
          conversionUpliftAdjusted: estimate(diff(h.buy[1], h.buy[0])),
          economics,
          spend: config.spend,
          covariates: data.covariateNames,
          summary: '',
          warnings,
        };
        if (data.purchases) {
          const bT = bayesianBootstrapMean(data.purchases, data.treated, 1, count, rng);
          const bC = bayesianBootstrapMean(data.purchases, data.treated, 0, count, rng);
          out.purchasesUplift = estimate(diff(bT, bC));
        }
        if (h.revenue) {
          const uplift = diff(h.revenue[1], h.revenue[0]);
          out.revenuePerCustomer = { treatment: estimate(h.revenue[1]), control: estimate(h.revenue[0]) };
          out.revenueUplift = estimate(uplift);
          out.revenueUpliftRelative = estimate(uplift.map((u, d) => u / h.revenue![0][d]));
          out.probRevenueUplift = probPositive(uplift);
          const { profit, perCustomer } = profitOf(uplift, h.buy[1], nTreated, economics);
          Object.assign(out, profit);
          out.profitPerCustomer = { estimate: estimate(perCustomer), ...histogram(perCustomer) };
        }
        if (data.segments.length) {
          out.bySegment = data.segments.map((segment, k) => {
            const seg = h.bySegment[k];
            const row: AbTestSegment = { segment, customers: segmentSizes[k], conversionUplift: estimate(diff(seg.buy[1], seg.buy[0])) };
            if (seg.revenue) {
              const uplift = diff(seg.revenue[1], seg.revenue[0]);
              row.revenueUplift = estimate(uplift);
              Object.assign(row, profitOf(uplift, seg.buy[1], segmentSizes[k].treatment, economics).profit);
            }
            return row;
          });
        }
        out.summary = abtestSummary({
          ...out,
          treatment: groups.treatment,
          control: groups.control,
          conversionWord: WORD[data.conversionSource],
        });
        return out;
      },
    };
  },
});

function groupStats(data: AbTestData): AbTestOutputs['groups'] {
  const make = (t: number, label: string): AbTestGroup => {
    let customers = 0;
    let conversions = 0;
    let revenue = 0;
    let purchases = 0;
    for (let i = 0; i < data.n; i++) {
      if (data.treated[i] !== t) continue;
      customers++;
      conversions += data.converted[i];
      if (data.revenue) revenue += data.revenue[i];
      if (data.purchases) purchases += data.purchases[i];
    }
    return {
      label,
      customers,
      conversions,
      conversionRate: conversions / customers,
      ...(data.revenue ? { revenuePerCustomer: revenue / customers } : {}),
      ...(data.purchases ? { purchasesPerCustomer: purchases / customers } : {}),
    };
  };
  return { treatment: make(1, data.treatment), control: make(0, data.control) };
}
