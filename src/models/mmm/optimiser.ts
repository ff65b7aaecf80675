/**
 * The budget optimiser, on the response model of a fitted MMM (response.ts; float64, no tfjs, so
 * the UI runs it on the main thread from the thinned draws a run stores in `outputs.optimizerDraws`).
 *
 * A budget is spent evenly over a horizon, the carry-over after the horizon included, subject to
 * the total and per-cell bounds: the cells are the channels, or, for a geo-level model and as an
 * option, each channel x geo (budget-cells.ts). Two objectives:
 * - `mean` maximises the expected (posterior-mean) media response; or, given a value per unit of
 *   response for each channel (e.g. the lifetime value of a customer it acquires, from an
 *   independent posterior), the expected value of that response: sum_c E[value_c] E[response_c],
 *   the expectation of the product as the two are independent. Separable and, for the concave
 *   saturation curves, concave.
 * - `cvar` maximises the response's conditional value at risk: the mean of the draws at or below
 *   its lower `tail` quantile (5% by default; PyMC-Marketing's `conditional_value_at_risk`), so a
 *   channel whose effect is uncertain gets less than its mean alone would give it. Concave for
 *   concave saturation curves but not smooth; it is maximised through its smooth approximation
 *   (risk.ts) with the smoothing shrunk in stages (the last stage stopping once it gains less than
 *   1e-7 of itself in 20 iterations), and the value reported is the exact one.
 * Both are solved by spectral projected gradient (Birgin, Martinez & Raydan 2000: Barzilai-Borwein
 * steps, Armijo backtracking, Euclidean projection onto {sum = total, min <= b <= max}) in float64.
 */
import { InputError } from '../../api/errors';
import type { BudgetPlan, Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { cellLayout, responseTable, type BudgetCells, type CellLayout } from './budget-cells';
import { drawCount, type ResponseModel } from './response';
import { lowerTailMean, smoothTailMean, tailCount } from './risk';

/**
 * Value of one unit of response per channel, `[channel][draw]` (draw d of the response model is
 * paired with value draw d mod length; one entry = a constant).
 */
export type ChannelValueDraws = readonly (readonly number[])[];

/**
 * Total media response (target units) per draw to cell totals `budget[i]` (the channels', or with
 * `by: 'geo'` each channel x geo's) spent evenly over `horizon` periods, carry-over after the
 * horizon included; with `value`, each cell's response times its channel's value in the paired draw.
 */
export function planResponse(m: ResponseModel, budget: readonly number[], horizon: number, value?: ChannelValueDraws, by: BudgetCells = 'channel'): number[] {
  const layout = cellLayout(m, by);
  const table = responseTable(m, layout, horizon);
  const weight = (i: number, d: number) => (value ? value[layout.channel[i]][d % value[layout.channel[i]].length] : 1);
  return Array.from({ length: drawCount(m) }, (_, d) => budget.reduce((s, b, i) => s + weight(i, d) * table.response(d, i, b), 0));
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

/** What the optimiser maximises over the posterior draws of a plan's response (see the module comment). */
export type BudgetObjective = 'mean' | 'cvar';

/** Lower tail of the `cvar` objective by default: the worst 5% of draws. */
export const DEFAULT_TAIL = 0.05;

/** Budget optimiser inputs, in spend units. */
export interface OptimiseOptions {
  /** Total budget over the horizon. */
  total: number;
  /** Periods the budget is spent over (evenly). */
  horizon: number;
  /** Per-cell minimum and maximum of the cell's total over the horizon (cells: see `cells`). */
  min: readonly number[];
  max: readonly number[];
  /** Split the budget over the channels (default) or, for a geo-level model, over channel x geo cells. */
  cells?: BudgetCells;
  /** Iteration limit (default 500; per smoothing stage for `cvar`). */
  maxIterations?: number;
  /** Maximise the value of the response instead of the response (see ChannelValueDraws). */
  value?: ChannelValueDraws;
  /** `mean` (default) or `cvar`. */
  objective?: BudgetObjective;
  /** The `cvar` objective's lower tail, a fraction in (0, 0.5] (default 0.05). */
  tail?: number;
}

/** Budget optimiser result (spend and target units). */
export interface OptimiseResult {
  /** The cells allocated (channels, or channel x geo). */
  layout: CellLayout;
  /** Optimised cell totals over the horizon. */
  allocation: number[];
  /** The historical mix over the cells scaled to the same total. */
  historicalAllocation: number[];
  /** Cells (indices) whose share of the historical mix breaks their bounds. */
  outOfBounds: number[];
  /**
   * The plan the optimised one is compared with: the historical mix scaled to the same total, or,
   * when that breaks the bounds, its Euclidean projection onto them (clipped to each channel's
   * bounds, the same amount moved to or from every channel inside its bounds to keep the total).
   */
  currentAllocation: number[];
  /** Response per draw of the optimised and of the current plan (its value, with `value`). */
  optimised: number[];
  current: number[];
  optimisedEstimate: Estimate;
  currentEstimate: Estimate;
  /** Optimised minus current, per draw summarised (94% HDI). */
  lift: Estimate;
  objective: BudgetObjective;
  /** The `cvar` objective's tail (also set for `mean`, for the CVaR shown beside it). */
  tail: number;
  /** The objective's value for each plan: the mean of the per-draw responses, or their CVaR. */
  objectiveValue: { optimised: number; current: number };
  /** The CVaR of each plan's per-draw responses at `tail`, whatever the objective. */
  cvar: { optimised: number; current: number };
  /** Per cell: expected response of the optimised allocation (never weighted by value). */
  channelResponse: number[];
  iterations: number;
  converged: boolean;
}

function checkOptions(m: ResponseModel, o: OptimiseOptions, layout: CellLayout): void {
  const M = layout.labels.length;
  const what = layout.by === 'geo' ? 'Cell' : 'Channel';
  if (!(o.total > 0) || !Number.isFinite(o.total)) throw new InputError(`The total budget must be a positive number, got ${o.total}.`);
  if (!Number.isInteger(o.horizon) || o.horizon < 1) throw new InputError(`The horizon must be a whole number of periods >= 1, got ${o.horizon}.`);
  if (o.min.length !== M || o.max.length !== M) throw new InputError(`Give a minimum and a maximum for each of the ${M} ${layout.by === 'geo' ? 'channel x geo cells' : 'channels'}.`);
  o.min.forEach((lo, i) => {
    const hi = o.max[i];
    if (!(lo >= 0) || !Number.isFinite(lo) || !(hi >= 0) || Number.isNaN(hi)) throw new InputError(`${what} "${layout.labels[i]}": the bounds must be numbers >= 0.`);
    if (lo > hi) throw new InputError(`${what} "${layout.labels[i]}": minimum ${lo} is above its maximum ${hi}.`);
  });
  const sumMin = o.min.reduce((a, b) => a + b, 0);
  const sumMax = o.max.reduce((a, b) => a + b, 0);
  if (sumMin > o.total * (1 + 1e-12)) throw new InputError(`The ${what.toLowerCase()} minimums add up to ${sumMin}, more than the budget ${o.total}.`);
  if (sumMax < o.total * (1 - 1e-12)) throw new InputError(`The ${what.toLowerCase()} maximums add up to ${sumMax}, less than the budget ${o.total}.`);
  if (o.value) {
    if (o.value.length !== m.channels.length) throw new InputError(`Give a value per unit of response for each of the ${m.channels.length} channels.`);
    o.value.forEach((v, i) => {
      if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new InputError(`Channel "${m.channels[i]}": its value per unit of response must be finite numbers.`);
    });
  }
  if (o.objective !== undefined && o.objective !== 'mean' && o.objective !== 'cvar') throw new InputError(`The objective must be 'mean' or 'cvar', got ${JSON.stringify(o.objective)}.`);
  if (o.tail !== undefined && !(o.tail > 0 && o.tail <= 0.5)) throw new InputError(`The CVaR tail must be a fraction in (0, 0.5], got ${o.tail}.`);
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

/**
 * Spectral projected gradient ascent of `f` over { sum = total, lo <= x <= hi } from `x0`, to a
 * projected step of 1e-9 x total or no Armijo ascent left at float64 resolution; with `flat`, also
 * when `f` gained less than `flat` x |f| over the last FLAT_WINDOW iterations (a nearly non-smooth
 * objective creeps towards its kink for hundreds of iterations).
 */
function spgMaximise(
  x0: readonly number[],
  f: (x: readonly number[]) => number,
  gradient: (x: readonly number[]) => number[],
  bounds: { total: number; lo: readonly number[]; hi: readonly number[] },
  maxIterations: number,
  flat = 0,
): { x: number[]; iterations: number; converged: boolean } {
  const { total, lo, hi } = bounds;
  const history: number[] = [];
  let x = projectBudget(x0, total, lo, hi);
  let fx = f(x);
  let g = gradient(x);
  let step = (0.1 * total) / (Math.sqrt(dot(g, g)) || 1);
  const tol = 1e-9 * total;
  let it = 0;
  for (; it < maxIterations; it++) {
    const target = projectBudget(
      x.map((v, c) => v + step * g[c]),
      total,
      lo,
      hi,
    );
    const dir = target.map((v, c) => v - x[c]);
    if (Math.max(...dir.map(Math.abs)) <= tol) return { x, iterations: it, converged: true };
    const slope = dot(g, dir);
    let lambda = 1;
    let next = target;
    let fNext = f(next);
    while (fNext < fx + 1e-4 * lambda * slope && lambda > 1e-10) {
      lambda *= 0.5;
      next = x.map((v, c) => v + lambda * dir[c]);
      fNext = f(next);
    }
    if (fNext < fx) return { x, iterations: it, converged: true }; // no ascent direction left at float64 resolution
    const gNext = gradient(next);
    const s = next.map((v, c) => v - x[c]);
    const yv = gNext.map((v, c) => v - g[c]);
    const sy = dot(s, yv);
    step = sy < 0 ? Math.min(1e12 * total, Math.max(1e-12 * total, dot(s, s) / -sy)) : (0.1 * total) / (Math.sqrt(dot(gNext, gNext)) || 1);
    x = next;
    fx = fNext;
    g = gNext;
    history.push(fx);
    if (flat > 0 && history.length > FLAT_WINDOW && fx - history[history.length - 1 - FLAT_WINDOW] <= flat * Math.abs(fx)) return { x, iterations: it + 1, converged: true };
  }
  return { x, iterations: it, converged: false };
}

/** Smoothing of the `cvar` objective, relative to the size of the response: shrunk stage by stage. */
const CVAR_SMOOTHING = [1e-3, 1e-6];
/** A `cvar` stage stops when its objective gained less than this, relative, over FLAT_WINDOW iterations. */
const CVAR_FLAT = 1e-7;
const FLAT_WINDOW = 20;

/**
 * Maximises the posterior-mean media response (or its value, with `o.value`), or its CVaR with
 * `o.objective: 'cvar'`, over the horizon (carry-over included) by spectral projected gradient in
 * float64. Gradients are central differences of each channel's response (one-sided at a zero
 * budget). Throws InputError on infeasible bounds.
 */
export function optimiseBudget(m: ResponseModel, o: OptimiseOptions): OptimiseResult {
  const layout = cellLayout(m, o.cells ?? 'channel');
  checkOptions(m, o, layout);
  const M = layout.labels.length;
  const D = drawCount(m);
  const objectiveKind = o.objective ?? 'mean';
  const tail = o.tail ?? DEFAULT_TAIL;
  const table = responseTable(m, layout, o.horizon);
  const channelOf = layout.channel;
  const maxIterations = o.maxIterations ?? 500;
  const bounds = { total: o.total, lo: o.min, hi: o.max };
  const h = 1e-6 * o.total;
  const below = (b: number) => Math.max(0, b - h);

  const mixTotal = layout.meanSpend.reduce((a, b) => a + b, 0);
  const historicalAllocation = layout.meanSpend.map((v) => (mixTotal > 0 ? (v / mixTotal) * o.total : o.total / M));
  const slack = 1e-9 * o.total;
  const outOfBounds = historicalAllocation.flatMap((b, c) => (b < o.min[c] - slack || b > o.max[c] + slack ? [c] : []));
  const currentAllocation = outOfBounds.length ? projectBudget(historicalAllocation, o.total, o.min, o.max) : historicalAllocation;

  const cellMean = (c: number, b: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += table.response(d, c, b);
    return s / D;
  };
  let solved: { x: number[]; iterations: number; converged: boolean };
  if (objectiveKind === 'mean') {
    const valueMean = channelOf.map((c) => (o.value ? o.value[c].reduce((a, v) => a + v, 0) / o.value[c].length : 1));
    const cellObjective = (c: number, b: number) => valueMean[c] * cellMean(c, b);
    solved = spgMaximise(
      currentAllocation,
      (x) => x.reduce((s, b, c) => s + cellObjective(c, b), 0),
      (x) => x.map((b, c) => (cellObjective(c, b + h) - cellObjective(c, below(b))) / (b + h - below(b))),
      bounds,
      maxIterations,
    );
  } else {
    const weight = (i: number, d: number) => (o.value ? o.value[channelOf[i]][d % o.value[channelOf[i]].length] : 1);
    const draws = (x: readonly number[]) => Array.from({ length: D }, (_, d) => x.reduce((s, b, c) => s + weight(c, d) * table.response(d, c, b), 0));
    const k = tailCount(D, tail);
    const z0 = draws(currentAllocation);
    const scale = Math.max(1e-300, z0.reduce((s, v) => s + Math.abs(v), 0) / D);
    solved = { x: currentAllocation.slice(), iterations: 0, converged: false };
    for (const relative of CVAR_SMOOTHING) {
      const mu = relative * scale;
      const stage = spgMaximise(
        solved.x,
        (x) => smoothTailMean(draws(x), k, mu).value,
        (x) => {
          const { weights } = smoothTailMean(draws(x), k, mu);
          // Draws far above the tail weigh nothing at float64 resolution: skip their differences.
          const top = Math.max(...weights);
          const used = weights.flatMap((w, d) => (w > 1e-12 * top ? [d] : []));
          return x.map((b, c) => {
            let g = 0;
            for (const d of used) g += weights[d] * weight(c, d) * (table.response(d, c, b + h) - table.response(d, c, below(b)));
            return g / (b + h - below(b));
          });
        },
        bounds,
        maxIterations,
        CVAR_FLAT,
      );
      solved = { x: stage.x, iterations: solved.iterations + stage.iterations, converged: stage.converged };
    }
  }
  const mean = (v: readonly number[]) => v.reduce((s, y) => s + y, 0) / v.length;
  const claimed = (v: readonly number[]) => (objectiveKind === 'mean' ? mean(v) : lowerTailMean(v, tail));
  const current = planResponse(m, currentAllocation, o.horizon, o.value, layout.by);
  let x = solved.x;
  let optimised = planResponse(m, x, o.horizon, o.value, layout.by);
  // The search starts from the current plan and only ascends, but what it ascends (the smoothed
  // CVaR; E[value] E[response]) and the rounding of the sums differ slightly from the objective
  // claimed: a plan that comes out below the current one by the claimed objective is not offered.
  if (claimed(optimised) < claimed(current)) {
    x = currentAllocation.slice();
    optimised = current.slice();
  }
  const cvar = { optimised: lowerTailMean(optimised, tail), current: lowerTailMean(current, tail) };
  return {
    layout,
    allocation: x,
    historicalAllocation,
    outOfBounds,
    currentAllocation,
    optimised,
    current,
    optimisedEstimate: estimate(optimised),
    currentEstimate: estimate(current),
    lift: estimate(optimised.map((v, d) => v - current[d])),
    objective: objectiveKind,
    tail,
    objectiveValue: objectiveKind === 'mean' ? { optimised: mean(optimised), current: mean(current) } : cvar,
    cvar,
    channelResponse: x.map((b, c) => cellMean(c, b)),
    iterations: solved.iterations,
    converged: solved.converged,
  };
}

/** The plan to store with a run (plain data, `RunBase.budgetPlan`) from an optimiser result and its inputs. */
export function budgetPlanOf(m: ResponseModel, o: OptimiseOptions, r: OptimiseResult, createdAt: string, valueObjective = false): BudgetPlan {
  return {
    createdAt,
    objective: r.objective,
    tail: r.tail,
    byValue: valueObjective,
    total: o.total,
    horizon: o.horizon,
    periodDays: m.periodDays,
    channels: r.layout.labels.slice(),
    ...(r.layout.by === 'geo' && m.geo
      ? { by: 'geo' as const, cellChannel: r.layout.channel.map((c) => m.channels[c]), cellGeo: r.layout.geo.map((g) => m.geo?.geos[g] ?? '') }
      : {}),
    min: o.min.slice(),
    max: o.max.slice(),
    allocation: r.allocation.slice(),
    historicalAllocation: r.historicalAllocation.slice(),
    outOfBounds: r.outOfBounds.map((i) => r.layout.labels[i]),
    currentAllocation: r.currentAllocation.slice(),
    channelResponse: r.channelResponse.slice(),
    optimised: r.optimisedEstimate,
    current: r.currentEstimate,
    lift: r.lift,
    objectiveValue: { ...r.objectiveValue },
    cvar: { ...r.cvar },
    converged: r.converged,
  };
}
