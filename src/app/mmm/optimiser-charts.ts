/**
 * The budget optimiser's and the scenario forecast's charts and sentences, from a stored plan
 * (`BudgetPlan`) and a forecast: the plot options BudgetOptimizer.svelte draws and the run report
 * prints, so the page and the report read the same.
 */
import type { BudgetPlan } from '../../api/types';
import type { MarginalBreakeven } from '../../models/mmm/breakeven';
import type { ScenarioForecast } from '../../models/mmm/scenario';
import { bandMark } from '../../ui/charts/band';
import { barYMark } from '../../ui/charts/bar';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import { lineMark } from '../../ui/charts/line';
import type { PlotOptions } from '../../ui/charts/plot';
import { fmt, fmtDifference, fmtInterval } from '../../ui/format';
import { NEUTRAL, PALETTE } from '../../ui/theme';

/** The plural name of a period of `periodDays` days. */
export function periodUnit(periodDays: number): string {
  return periodDays === 1 ? 'days' : periodDays === 7 ? 'weeks' : 'periods';
}

/** What the plan maximised, in words. */
export function objectiveText(plan: Pick<BudgetPlan, 'objective' | 'tail' | 'byValue'>): string {
  const what = plan.byValue ? 'lifetime value of the customers acquired' : 'response';
  return plan.objective === 'cvar'
    ? `the mean ${what} over the worst ${fmt(plan.tail * 100)}% of posterior draws (CVaR ${fmt(plan.tail * 100)}%)`
    : `the expected ${what} (mean over posterior draws)`;
}

/** Per channel: the sums of `values` over a plan's cells (its cells are the channels unless split by geo). */
export function perChannel(plan: BudgetPlan, values: readonly number[]): { names: string[]; sums: number[] } {
  if (plan.by !== 'geo' || !plan.cellChannel) return { names: plan.channels, sums: values.slice() };
  const names = [...new Set(plan.cellChannel)];
  const sums = names.map((n) => values.reduce((s, v, i) => (plan.cellChannel?.[i] === n ? s + v : s), 0));
  return { names, sums };
}

/** Current (comparison) plan against the optimised allocation, per channel (a geo plan's cells summed per channel). */
export function allocationChart(plan: BudgetPlan): PlotOptions {
  const current = plan.outOfBounds.length ? 'current, within bounds' : 'current';
  const cur = perChannel(plan, plan.currentAllocation);
  const opt = perChannel(plan, plan.allocation);
  const geo = plan.by === 'geo' ? ', summed over the geos' : '';
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: `budget over ${plan.horizon} ${periodUnit(plan.periodDays)}`, zero: true },
    title: (plan.outOfBounds.length ? 'Current plan brought within the bounds vs optimised allocation' : 'Current plan (historical mix) vs optimised allocation') + geo,
    marks: [
      // Short bar names (the legend and the title say which plan is which).
      barYMark({ x: cur.names.map((c) => `${c} (current)`), y: cur.sums, fill: NEUTRAL, label: current }),
      barYMark({ x: opt.names.map((c) => `${c} (optimised)`), y: opt.sums, fill: PALETTE[2], label: 'optimised' }),
    ],
  };
}

/** The plan's result in one sentence: both plans' totals, the difference, and the objective's values. */
export function planSummary(plan: BudgetPlan): string {
  const what = plan.byValue ? 'lifetime value of the customers acquired' : 'response';
  const against = plan.outOfBounds.length ? 'the current plan within the bounds' : 'the current plan';
  const risk = `${fmt(plan.tail * 100)}% CVaR (mean of the worst ${fmt(plan.tail * 100)}% of draws): optimised ${fmt(plan.cvar.optimised)}, current ${fmt(plan.cvar.current)}.`;
  // A risk-aware plan may give up some of the expected response for a better worst case: say so.
  const tradeOff =
    plan.objective === 'cvar' && plan.lift.mean < 0
      ? ` The risk-aware plan gives up ${fmt(-plan.lift.mean)} of the expected ${what} for ${fmt(plan.cvar.optimised - plan.cvar.current)} more in the worst ${fmt(plan.tail * 100)}% of draws.`
      : '';
  return (
    `Expected ${what} over ${plan.horizon} ${periodUnit(plan.periodDays)}, carry-over included: optimised ${fmtInterval(plan.optimised)}, ${against} ${fmtInterval(plan.current)}; ` +
    `${fmtDifference(plan.lift)} vs ${against} (94% HDI). ${risk}${tradeOff}` +
    (plan.converged ? '' : ' The optimiser stopped at its iteration limit.')
  );
}

/**
 * Why the comparison plan is not the historical mix, when the historical mix breaks the bounds:
 * which channels, and what was done instead (null when it keeps them).
 */
export function boundsNote(plan: BudgetPlan): string | null {
  if (!plan.outOfBounds.length) return null;
  const list = plan.outOfBounds
    .map((ch) => {
      const c = plan.channels.indexOf(ch);
      const h = plan.historicalAllocation[c];
      return `${ch} ${fmt(h)} (bounds ${fmt(plan.min[c])} to ${fmt(plan.max[c])})`;
    })
    .join(', ');
  const cell = plan.by === 'geo' ? 'channel in each geo' : 'channel';
  return (
    `The historical mix scaled to this budget breaks your bounds: ${list}. It is compared with the historical mix brought within the bounds instead ` +
    `(each ${cell} clipped to its bounds, the same amount moved to or from every ${cell} inside its bounds to keep the total), so the difference is that of a plan you allow.`
  );
}

/** The scenario's media contribution per period with its 94% HDI. */
export function scenarioChart(f: ScenarioForecast, periodDays: number): PlotOptions {
  const xs = f.mean.map((_, t) => t + 1);
  return {
    x: { kind: 'linear', label: `${periodUnit(periodDays)} from the start of the plan` },
    y: { label: 'media contribution', zero: true },
    title: 'Scenario: media contribution per period of the plan, carry-over included (94% HDI)',
    marks: [bandMark({ x: xs, y1: f.hdiLow, y2: f.hdiHigh, fill: PALETTE[3] }), lineMark({ x: xs, y: f.mean, stroke: PALETTE[3], label: 'expected' })],
  };
}

/** The scenario in one sentence, as a difference first: "+0 [0, 0] vs holding the historical mean spend". */
export function scenarioSummary(f: ScenarioForecast): string {
  return `${fmtDifference(f.vsCurrent)} vs holding the historical mean spend (94% HDI); the plan's media contribution ${fmtInterval(f.total)}.`;
}

/**
 * A breakeven spend with its interval, saying how many draws sit at an end of the search: those in
 * which even the first unit returns less than the target (spend 0), and those still above it at
 * the search's upper end.
 */
export function breakevenText(b: MarginalBreakeven): string {
  const D = b.draws.length;
  if (b.never === D) return `none: even the first unit returns less than ${fmt(b.target)}`;
  const notes = [
    b.never ? `0 in ${b.never} of ${D} draws, where even the first unit returns less` : '',
    b.beyond ? `${b.beyond} of ${D} draws still above ${fmt(b.target)} at ${fmt(Math.max(...b.draws))}, the search's end` : '',
  ].filter(Boolean);
  return fmtInterval(b.spend) + (notes.length ? ` (${notes.join('; ')})` : '');
}

/** Per channel: the sustained spend per period at which marginal ROAS falls to the target, against the historical mean. */
export function breakevenChart(rows: readonly MarginalBreakeven[], unit: string): PlotOptions {
  const at = rows.map((r) => `${r.channel} (at ${fmt(r.target)})`);
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: `spend per ${unit.replace(/s$/, '')}`, zero: true },
    title: `Spend per ${unit.replace(/s$/, '')} at which marginal ROAS falls to ${fmt(rows[0]?.target ?? 1)} (94% HDI) vs the historical mean spend`,
    marks: [
      barYMark({ x: rows.map((r) => `${r.channel} (now)`), y: rows.map((r) => r.meanSpend), fill: NEUTRAL, label: 'historical mean spend (now)' }),
      intervalBarsMark({ labels: at, mean: rows.map((r) => r.spend.mean), low: rows.map((r) => r.spend.hdiLow), high: rows.map((r) => r.spend.hdiHigh), fill: PALETTE[1] }),
    ],
  };
}
