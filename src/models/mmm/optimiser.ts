/**
 * The budget optimiser, on the response model of a fitted MMM (response.ts; float64, no tfjs, so
 * the UI runs it on the main thread from the thinned draws a run stores in `outputs.optimizerDraws`).
 *
 * The optimiser maximises the expected (posterior-mean) media response of a budget spent evenly
 * over a horizon, the carry-over after the horizon included, subject to the total and per-channel
 * bounds; or, given a value per unit of response for each channel (e.g. the lifetime value of a
 * customer it acquires, from an independent posterior), the expected value of that response:
 * sum_c E[value_c] E[response_c], the expectation of the product as the two are independent. The objective is separable and, for the concave saturation curves, concave; it is
 * solved by spectral projected gradient (Birgin, Martinez & Raydan 2000: Barzilai-Borwein steps,
 * Armijo backtracking, Euclidean projection onto {sum = total, min <= b <= max}) in float64.
 */
import { InputError } from '../../api/errors';
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { channelWeights, drawCount, evenSpendProfile, type ResponseModel } from './response';
import { SATURATIONS } from './saturation';

/** Per draw and channel: the total response (target units) to a channel total `b` spent evenly over the horizon. */
interface ResponseTable {
  response(d: number, c: number, b: number): number;
}

function responseTable(m: ResponseModel, horizon: number): ResponseTable {
  const profiles = m.adstockParams.map((_, d) => m.channels.map((_, c) => evenSpendProfile(channelWeights(m, d, c), horizon)));
  const f = SATURATIONS[m.saturation].f64;
  return {
    response(d, c, b) {
      const x = b / horizon / m.xMax[c];
      const a = profiles[d][c];
      const p = m.saturationParams[d][c];
      let s = 0;
      for (let t = 0; t < a.length; t++) s += f(x * a[t], p);
      return m.yMax * s;
    },
  };
}

/**
 * Value of one unit of response per channel, `[channel][draw]` (draw d of the response model is
 * paired with value draw d mod length; one entry = a constant).
 */
export type ChannelValueDraws = readonly (readonly number[])[];

/**
 * Total media response (target units) per draw to channel totals `budget[c]` spent evenly over
 * `horizon` periods, carry-over after the horizon included; with `value`, each channel's response
 * times its value in the paired draw.
 */
export function planResponse(m: ResponseModel, budget: readonly number[], horizon: number, value?: ChannelValueDraws): number[] {
  const table = responseTable(m, horizon);
  const weight = (c: number, d: number) => (value ? value[c][d % value[c].length] : 1);
  return Array.from({ length: drawCount(m) }, (_, d) => budget.reduce((s, b, c) => s + weight(c, d) * table.response(d, c, b), 0));
}

/** Euclidean projection of `a` onto { sum = total, lo <= x <= hi } (bisection on the common shift, float64). */
export function projectBudget(a: readonly number[], total: number, lo: readonly number[], hi: readonly number[]): number[] {
  const clip = (shift: number) => a.map((v, i) => Math.min(hi[i], Math.max(lo[i], v - shift)));
  const sum = (x: number[]) => x.reduce((s, v) => s + v, 0);
  let left = Math.min(...a.map((v, i) => v - hi[i]));
  let right = Math.max(...a.map((v, i) => v - lo[i]));
  for (let it = 0; it < 200 && right - left > 0; it++) {
    const mid = 0.5 * (left + right);
    if (mid === left || mid === right) break;
    if (sum(clip(mid)) > total) left = mid;
    else right = mid;
  }
  const x = clip(0.5 * (left + right));
  // Put the bisection's last rounding on a coordinate strictly inside its bounds.
  const gap = total - sum(x);
  const free = x.findIndex((v, i) => v > lo[i] && v < hi[i] && v + gap >= lo[i] && v + gap <= hi[i]);
  if (free >= 0) x[free] += gap;
  return x;
}

/** Budget optimiser inputs, in spend units. */
export interface OptimiseOptions {
  /** Total budget over the horizon. */
  total: number;
  /** Periods the budget is spent over (evenly). */
  horizon: number;
  /** Per-channel minimum and maximum of the channel's total over the horizon. */
  min: readonly number[];
  max: readonly number[];
  /** Iteration limit (default 500). */
  maxIterations?: number;
  /** Maximise the value of the response instead of the response (see ChannelValueDraws). */
  value?: ChannelValueDraws;
}

/** Budget optimiser result (spend and target units). */
export interface OptimiseResult {
  /** Optimised channel totals over the horizon. */
  allocation: number[];
  /** The current plan: the historical channel mix scaled to the same total. */
  currentAllocation: number[];
  /** Response per draw of the optimised and of the current plan (its value, with `value`). */
  optimised: number[];
  current: number[];
  optimisedEstimate: Estimate;
  currentEstimate: Estimate;
  /** Optimised minus current, per draw summarised (94% HDI). */
  lift: Estimate;
  /** Per channel: expected response of the optimised allocation (never weighted by value). */
  channelResponse: number[];
  iterations: number;
  converged: boolean;
}

function checkOptions(m: ResponseModel, o: OptimiseOptions): void {
  const M = m.channels.length;
  if (!(o.total > 0) || !Number.isFinite(o.total)) throw new InputError(`The total budget must be a positive number, got ${o.total}.`);
  if (!Number.isInteger(o.horizon) || o.horizon < 1) throw new InputError(`The horizon must be a whole number of periods >= 1, got ${o.horizon}.`);
  if (o.min.length !== M || o.max.length !== M) throw new InputError(`Give a minimum and a maximum for each of the ${M} channels.`);
  o.min.forEach((lo, i) => {
    const hi = o.max[i];
    if (!(lo >= 0) || !Number.isFinite(lo) || !(hi >= 0) || Number.isNaN(hi)) throw new InputError(`Channel "${m.channels[i]}": the bounds must be numbers >= 0.`);
    if (lo > hi) throw new InputError(`Channel "${m.channels[i]}": minimum ${lo} is above its maximum ${hi}.`);
  });
  const sumMin = o.min.reduce((a, b) => a + b, 0);
  const sumMax = o.max.reduce((a, b) => a + b, 0);
  if (sumMin > o.total * (1 + 1e-12)) throw new InputError(`The channel minimums add up to ${sumMin}, more than the budget ${o.total}.`);
  if (sumMax < o.total * (1 - 1e-12)) throw new InputError(`The channel maximums add up to ${sumMax}, less than the budget ${o.total}.`);
  if (o.value) {
    if (o.value.length !== M) throw new InputError(`Give a value per unit of response for each of the ${M} channels.`);
    o.value.forEach((v, i) => {
      if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new InputError(`Channel "${m.channels[i]}": its value per unit of response must be finite numbers.`);
    });
  }
}

/**
 * Maximises the posterior-mean media response (or its value, with `o.value`) over the horizon (carry-over included) by spectral
 * projected gradient in float64. Gradients are central differences of the separable objective
 * (one-sided at a zero budget). Throws InputError on infeasible bounds.
 */
export function optimiseBudget(m: ResponseModel, o: OptimiseOptions): OptimiseResult {
  checkOptions(m, o);
  const M = m.channels.length;
  const D = drawCount(m);
  const table = responseTable(m, o.horizon);
  const channelMean = (c: number, b: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += table.response(d, c, b);
    return s / D;
  };
  const valueMean = m.channels.map((_, c) => (o.value ? o.value[c].reduce((a, v) => a + v, 0) / o.value[c].length : 1));
  const channelObjective = (c: number, b: number) => valueMean[c] * channelMean(c, b);
  const objective = (x: readonly number[]) => x.reduce((s, b, c) => s + channelObjective(c, b), 0);
  const h = 1e-6 * o.total;
  const gradient = (x: readonly number[]) =>
    x.map((b, c) => {
      const lo = Math.max(0, b - h);
      return (channelObjective(c, b + h) - channelObjective(c, lo)) / (b + h - lo);
    });
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

  const mixTotal = m.meanSpend.reduce((a, b) => a + b, 0);
  const currentAllocation = m.meanSpend.map((v) => (mixTotal > 0 ? (v / mixTotal) * o.total : o.total / M));
  let x = projectBudget(currentAllocation, o.total, o.min, o.max);
  let f = objective(x);
  let g = gradient(x);
  const gNorm = Math.sqrt(dot(g, g)) || 1;
  let step = (0.1 * o.total) / gNorm;
  const tol = 1e-9 * o.total;
  const maxIterations = o.maxIterations ?? 500;
  let it = 0;
  let converged = false;
  for (; it < maxIterations; it++) {
    const target = projectBudget(x.map((v, c) => v + step * g[c]), o.total, o.min, o.max);
    const dir = target.map((v, c) => v - x[c]);
    if (Math.max(...dir.map(Math.abs)) <= tol) {
      converged = true;
      break;
    }
    const slope = dot(g, dir);
    let lambda = 1;
    let next = target;
    let fNext = objective(next);
    while (fNext < f + 1e-4 * lambda * slope && lambda > 1e-10) {
      lambda *= 0.5;
      next = x.map((v, c) => v + lambda * dir[c]);
      fNext = objective(next);
    }
    if (fNext < f) {
      converged = true; // no ascent direction left at float64 resolution
      break;
    }
    const gNext = gradient(next);
    const s = next.map((v, c) => v - x[c]);
    const yv = gNext.map((v, c) => v - g[c]);
    const sy = dot(s, yv);
    step = sy < 0 ? Math.min(1e12 * o.total, Math.max(1e-12 * o.total, dot(s, s) / -sy)) : (0.1 * o.total) / (Math.sqrt(dot(gNext, gNext)) || 1);
    x = next;
    f = fNext;
    g = gNext;
  }
  const optimised = planResponse(m, x, o.horizon, o.value);
  const current = planResponse(m, currentAllocation, o.horizon, o.value);
  return {
    allocation: x,
    currentAllocation,
    optimised,
    current,
    optimisedEstimate: estimate(optimised),
    currentEstimate: estimate(current),
    lift: estimate(optimised.map((v, d) => v - current[d])),
    channelResponse: x.map((b, c) => channelMean(c, b)),
    iterations: it,
    converged,
  };
}
