/**
 * Posterior summaries of a causal effect from counterfactual draws, as CausalImpact reports them
 * (Brodersen et al. 2015): pointwise effect = observed - counterfactual, its running sum from the
 * start of the post period, the average and cumulative effect over the post period, the relative
 * effect (cumulative effect / cumulative counterfactual) and the posterior probability that the
 * effect is positive. Counterfactual draws are posterior *predictive* (observation noise
 * included), so the intervals are for the realised effect, as CausalImpact's are.
 * Pure float64 code on plain arrays.
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import type { Rng } from '../../engine/rng';
import type { TimeKind } from './time-axis';

/** Effect over a window of time points, in the outcome's units. */
export interface EffectSummary {
  /**
   * Sum over the window of observed - counterfactual (outcome units x periods): the effect of a
   * flow (an amount per period); for a stock (a level) it counts level-periods and means nothing
   * (outcome.ts), and the summary does not use it.
   */
  cumulativeEffect: Estimate;
  /** Mean per period over the window of observed - counterfactual (outcome units). */
  averageEffect: Estimate;
  /**
   * Cumulative effect / cumulative counterfactual (a fraction: 0.05 = 5% above what was expected);
   * absent when the counterfactual sum is not of one sign across draws (a ratio would be meaningless).
   */
  relativeEffect?: Estimate;
  /** Posterior probability that the cumulative effect is > 0. */
  probPositive: number;
  /** Number of time points in the window. */
  periods: number;
}

/** Per-time-point series for the charts (all arrays one entry per time point, in time order). */
export interface CausalSeries {
  /** Time values: epoch ms at UTC midnight when `timeKind` is 'date', else the column's numbers. */
  time: number[];
  timeKind: TimeKind;
  /** Observed outcome (outcome units). */
  observed: number[];
  /** Counterfactual (posterior predictive: what the outcome would have been without the intervention). */
  counterfactual: Estimate[];
  /** Pointwise effect observed - counterfactual. */
  effect: Estimate[];
  /** Index of the first post-period point. */
  postStart: number;
  /** Index one past the last post-period point (TBR: the test end; rows after it are the cool-down). */
  postEnd: number;
  /** Running sum of the effect from `postStart`, for points postStart .. postEnd-1 (length postEnd - postStart). */
  cumulative: Estimate[];
}

/** Counterfactual draws and the observed series they are compared with. */
export interface EffectInput {
  /** Observed outcome, all rows (outcome units). */
  observed: ArrayLike<number>;
  /** Counterfactual draws, one array per posterior draw, all rows (outcome units). */
  counterfactual: readonly Float64Array[];
  /** The window the effect is summed over: rows [start, end). */
  start: number;
  end: number;
}

/** Counterfactual draws in outcome units: offset_i + scale * (mean_i + sigma * z), z ~ N(0, 1) from `rng`. */
export function predictiveDraws(
  mean: readonly Float64Array[],
  sigma: ArrayLike<number>,
  offset: ArrayLike<number> | number,
  scale: number,
  rng: Rng,
): Float64Array[] {
  return mean.map((m, d) => {
    const out = new Float64Array(m.length);
    const s = sigma[d];
    for (let i = 0; i < m.length; i++) {
      const o = typeof offset === 'number' ? offset : offset[i];
      out[i] = o + scale * (m[i] + s * rng.normal());
    }
    return out;
  });
}

/** Summary of the effect over rows [start, end). */
export function effectSummary({ observed, counterfactual, start, end }: EffectInput): EffectSummary {
  const D = counterfactual.length;
  const cum = new Float64Array(D);
  const cfSum = new Float64Array(D);
  let obsSum = 0;
  for (let i = start; i < end; i++) obsSum += observed[i];
  for (let d = 0; d < D; d++) {
    let s = 0;
    for (let i = start; i < end; i++) s += counterfactual[d][i];
    cfSum[d] = s;
    cum[d] = obsSum - s;
  }
  const periods = end - start;
  const average = cum.map((v) => v / periods);
  let positive = 0;
  for (const v of cum) if (v > 0) positive++;
  const allPositive = cfSum.every((v) => v > 0);
  const allNegative = cfSum.every((v) => v < 0);
  const summary: EffectSummary = {
    cumulativeEffect: estimate(cum),
    averageEffect: estimate(average),
    probPositive: positive / D,
    periods,
  };
  if (allPositive || allNegative) summary.relativeEffect = estimate(cum.map((v, d) => v / Math.abs(cfSum[d])));
  return summary;
}

/** Per-point Estimates of the counterfactual, the effect and the cumulative effect. */
export function effectSeries(input: EffectInput, time: ArrayLike<number>, timeKind: TimeKind): CausalSeries {
  const { observed, counterfactual, start, end } = input;
  const n = observed.length;
  const D = counterfactual.length;
  const column = new Float64Array(D);
  const cf: Estimate[] = [];
  const effect: Estimate[] = [];
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) column[d] = counterfactual[d][i];
    cf.push(estimate(column));
    for (let d = 0; d < D; d++) column[d] = observed[i] - counterfactual[d][i];
    effect.push(estimate(column));
  }
  const running = new Float64Array(D);
  const cumulative: Estimate[] = [];
  for (let i = start; i < end; i++) {
    for (let d = 0; d < D; d++) running[d] += observed[i] - counterfactual[d][i];
    cumulative.push(estimate(running));
  }
  return {
    time: Array.from(time),
    timeKind,
    observed: Array.from(observed),
    counterfactual: cf,
    effect,
    postStart: start,
    postEnd: end,
    cumulative,
  };
}
