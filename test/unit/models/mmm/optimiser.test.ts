/**
 * Budget optimiser and scenario forecast (pure float64): the optimiser against the closed-form
 * optimum of Michaelis-Menten channels (with and without an active bound, averaged over draws),
 * the carry-over accounting of a plan, and scenario forecasts; the comparison plan when the
 * historical mix breaks the bounds; the CVaR objective against its closed form where the draws'
 * order is fixed, and against a fine search where it is not.
 */
import { describe, expect, it } from 'vitest';
import { optimiseBudget, planResponse, projectBudget } from '../../../../src/models/mmm/optimiser';
import { channelContribution, evenSpendProfile, type ResponseModel } from '../../../../src/models/mmm/response';
import { scenarioForecast } from '../../../../src/models/mmm/scenario';
import { lowerQuantile, lowerTailMean, smoothTailMean, tailCount } from '../../../../src/models/mmm/risk';

const ALPHA = [1, 2, 1.5];
const LAM = [1, 4, 0.5];

/**
 * No carry-over (lMax 1), unit scales: response sum_c alpha_c b_c / (lam_c + b_c). Two draws whose
 * alphas average to ALPHA, so the posterior-mean objective is the one with ALPHA.
 */
function mmModel(): ResponseModel {
  const draw = (k: number) => LAM.map((lam, c) => ({ alpha: ALPHA[c] * k, lam }));
  return {
    adstock: 'geometric',
    saturation: 'michaelis_menten',
    lMax: 1,
    channels: ['a', 'b', 'c'],
    xMax: [1, 1, 1],
    yMax: 1,
    adstockParams: [0, 1].map(() => LAM.map(() => ({ alpha: 0.5 }))),
    saturationParams: [draw(0.5), draw(1.5)],
    meanSpend: [1, 1, 1],
    periodDays: 7,
  };
}

/** KKT: alpha_c lam_c / (lam_c + b_c)^2 = nu, so b_c = k sqrt(alpha_c lam_c) - lam_c with k from the budget. */
function closedForm(budget: number, channels: number[]): number[] {
  const k = (budget + channels.reduce((s, c) => s + LAM[c], 0)) / channels.reduce((s, c) => s + Math.sqrt(ALPHA[c] * LAM[c]), 0);
  return channels.map((c) => k * Math.sqrt(ALPHA[c] * LAM[c]) - LAM[c]);
}

describe('budget optimiser', () => {
  it('finds the closed-form optimum of concave channels (mean over draws)', () => {
    const res = optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 10, 10] });
    const want = closedForm(10, [0, 1, 2]); // [2.302, 5.340, 2.360]
    // SPG to a projected step of 1e-9 x budget; the objective is flat at the optimum, so the
    // allocation is good to ~1e-6 of the budget.
    res.allocation.forEach((b, c) => expect(Math.abs(b - want[c]), `channel ${c}: ${b} vs ${want[c]}`).toBeLessThan(1e-5));
    expect(res.allocation.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 10);
    expect(res.converged).toBe(true);
    // Current plan: the historical mix (equal) scaled to the budget.
    res.currentAllocation.forEach((b) => expect(b).toBeCloseTo(10 / 3, 12));
    const f = (b: number[], k: number) => b.reduce((s, v, c) => s + (k * ALPHA[c] * v) / (LAM[c] + v), 0);
    expect(res.optimised[0]).toBeCloseTo(f(want, 0.5), 8);
    expect(res.current[1]).toBeCloseTo(f(res.currentAllocation, 1.5), 12);
    expect(res.lift.mean).toBeCloseTo(f(want, 1) - f(res.currentAllocation, 1), 8);
    expect(res.lift.hdiLow).toBeGreaterThan(0);
  });

  it('maximises the value of the response: each channel weighted by its mean value per unit', () => {
    // Value draws per channel (means 2, 0.5, 1): the optimum is the closed form with alpha_c x value_c.
    const value = [[1, 3], [0.5], [0.5, 1.5]];
    const res = optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 10, 10], value });
    const weighted = ALPHA.map((a, c) => a * [2, 0.5, 1][c]);
    const k = (10 + LAM.reduce((s, l) => s + l, 0)) / weighted.reduce((s, a, c) => s + Math.sqrt(a * LAM[c]), 0);
    const want = weighted.map((a, c) => k * Math.sqrt(a * LAM[c]) - LAM[c]);
    res.allocation.forEach((b, c) => expect(Math.abs(b - want[c]), `channel ${c}: ${b} vs ${want[c]}`).toBeLessThan(1e-5));
    // Per draw: response draw d times value draw d mod length (draw 1 has alphas x 1.5).
    const f = (b: number[], k: number, v: number[]) => b.reduce((s, x, c) => s + (v[c] * k * ALPHA[c] * x) / (LAM[c] + x), 0);
    expect(res.optimised[1]).toBeCloseTo(f(res.allocation, 1.5, [3, 0.5, 1.5]), 10);
    // The channel response itself stays unweighted.
    expect(res.channelResponse[1]).toBeCloseTo((ALPHA[1] * res.allocation[1]) / (LAM[1] + res.allocation[1]), 10);
    expect(() => optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 10, 10], value: [[1], [NaN], [1]] })).toThrow(/Channel "b"/);
  });

  it('respects an active maximum and re-optimises the rest in closed form', () => {
    const res = optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 4, 10] });
    const rest = closedForm(6, [0, 2]); // [3.019, 2.981]
    expect(res.allocation[1]).toBeCloseTo(4, 8);
    expect(Math.abs(res.allocation[0] - rest[0])).toBeLessThan(1e-5);
    expect(Math.abs(res.allocation[2] - rest[1])).toBeLessThan(1e-5);
  });

  it('rejects infeasible bounds with a specific message', () => {
    expect(() => optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [4, 4, 4], max: [10, 10, 10] })).toThrow(/minimums add up to 12, more than the budget 10/);
    expect(() => optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [1, 1, 1] })).toThrow(/maximums add up to 3, less than the budget 10/);
    expect(() => optimiseBudget(mmModel(), { total: 10, horizon: 0, min: [0, 0, 0], max: [10, 10, 10] })).toThrow(/horizon/);
  });

  it('projects onto the budget simplex with bounds', () => {
    const x = projectBudget([5, -1, 2], 4, [0, 0, 0], [3, 3, 3]);
    // Shift s with clip(5 - s) + clip(-1 - s) + clip(2 - s) = 4: 3 (capped) + 0 + (2 - s) = 4 -> s = 1.
    expect(x[0]).toBe(3);
    expect(x[1]).toBe(0);
    expect(x[2]).toBeCloseTo(1, 12);
  });
});

describe('carry-over and scenarios', () => {
  const model: ResponseModel = {
    adstock: 'geometric',
    saturation: 'logistic',
    lMax: 4,
    channels: ['tv', 'search'],
    xMax: [100, 50],
    yMax: 1000,
    adstockParams: [[{ alpha: 0.5 }, { alpha: 0.2 }]],
    saturationParams: [[{ lam: 2, beta: 0.3 }, { lam: 3, beta: 0.2 }]],
    meanSpend: [40, 20],
    periodDays: 7,
  };

  it('a plan’s response counts the carry-over after the horizon', () => {
    // Spending 120 on tv over 3 periods = 40 per period, then zeros for the lMax - 1 carry-over periods.
    const series = [40, 40, 40, 0, 0, 0];
    const direct = channelContribution(model, 0, 0, series).reduce((a, b) => a + b, 0);
    expect(planResponse(model, [120, 0], 3)[0]).toBeCloseTo(direct, 10);
    // Weight profile: w = [8, 4, 2, 1] / 15 over horizon 3 -> [8, 12, 14, 7, 3, 1] / 15.
    const prof = evenSpendProfile([8 / 15, 4 / 15, 2 / 15, 1 / 15], 3);
    [8, 12, 14, 7, 3, 1].forEach((v, t) => expect(prof[t]).toBeCloseTo(v / 15, 14));
  });

  it('the scenario forecast of the historical spend is the current plan (vsCurrent = 0)', () => {
    const plan = [new Array<number>(6).fill(40), new Array<number>(6).fill(20)];
    const s = scenarioForecast(model, plan);
    expect(s.periods).toBe(6 + 3);
    expect(s.vsCurrent.mean).toBe(0);
    expect([s.vsCurrent.hdiLow, s.vsCurrent.hdiHigh]).toEqual([0, 0]);
    const tv = channelContribution(model, 0, 0, [...plan[0], 0, 0, 0]).reduce((a, b) => a + b, 0);
    expect(s.channels[0].mean).toBeCloseTo(tv, 10);
    expect(s.total.mean).toBeCloseTo(s.mean.reduce((a, b) => a + b, 0), 10);
    expect(() => scenarioForecast(model, [[1, -2], [0, 0]])).toThrow(/Channel "tv": the spend in period 2/);
  });
});

describe('bounds the historical mix breaks', () => {
  it('compares against the historical mix brought within the bounds, never against an infeasible plan', () => {
    // Historical mix equal: 10 / 3 each; channel b may take at most 2, so the comparison plan is
    // the projection: b clipped to 2, the 4/3 moved out of it shared by a and c (2/3 each).
    const res = optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 2, 10] });
    expect(res.outOfBounds).toEqual([1]);
    res.historicalAllocation.forEach((b) => expect(b).toBeCloseTo(10 / 3, 12));
    [4, 2, 4].forEach((b, c) => expect(res.currentAllocation[c]).toBeCloseTo(b, 10));
    // The optimum over the bounds beats every plan within them, the comparison plan included.
    expect(res.objectiveValue.optimised).toBeGreaterThanOrEqual(res.objectiveValue.current);
    expect(res.lift.mean).toBeGreaterThanOrEqual(0);
    const inBounds = optimiseBudget(mmModel(), { total: 10, horizon: 1, min: [0, 0, 0], max: [10, 10, 10] });
    expect(inBounds.outOfBounds).toEqual([]);
    expect(inBounds.currentAllocation).toEqual(inBounds.historicalAllocation);
  });
});

describe('risk measures over draws', () => {
  it('CVaR is the mean of the draws at or below the lower quantile', () => {
    const v = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1); // 1..200, shuffled
    // 200 draws, tail 5%: the quantile sits between the 10th and 11th lowest, so the 10 lowest.
    expect(tailCount(200, 0.05)).toBe(10);
    expect(lowerTailMean(v, 0.05)).toBe(5.5);
    expect(lowerQuantile(v, 0.05)).toBeCloseTo(10.95, 12);
    expect(tailCount(10, 0.05)).toBe(1);
    expect(lowerTailMean([3, 1, 2], 0.05)).toBe(1);
  });

  it('the smoothed tail mean is within mu (D / k) log 2 below the exact one, its weights summing to 1', () => {
    const z = Array.from({ length: 40 }, (_, i) => Math.sin(i) * 10 + i / 7);
    const k = tailCount(40, 0.05);
    const exact = lowerTailMean(z, 0.05);
    for (const mu of [1, 1e-2, 1e-4]) {
      const s = smoothTailMean(z, k, mu);
      expect(s.value).toBeLessThanOrEqual(exact + 1e-12);
      expect(s.value).toBeGreaterThanOrEqual(exact - mu * (40 / k) * Math.LN2 - 1e-12);
      expect(s.weights.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 9);
    }
  });
});

describe('risk-aware (CVaR) objective', () => {
  // Channel a: alpha with mean 3 but spread evenly over [0.5, 5.5] across 40 draws; channel b:
  // alpha 2 in every draw; lam 1 both, no carry-over. For b_a > 0 the draws are ordered by alpha_a
  // whatever the plan, so CVaR_5% (the 2 lowest of 40 draws) is alpha_low g(b_a) + 2 g(b_b),
  // g(b) = b / (1 + b), alpha_low the mean of the 2 lowest alpha_a: a closed form, as for the mean.
  const D = 40;
  const alphaA = Array.from({ length: D }, (_, d) => 0.5 + (5 * ((d * 17) % D)) / (D - 1));
  const riskModel: ResponseModel = {
    adstock: 'geometric',
    saturation: 'michaelis_menten',
    lMax: 1,
    channels: ['a', 'b'],
    xMax: [1, 1],
    yMax: 1,
    adstockParams: alphaA.map(() => [{ alpha: 0.5 }, { alpha: 0.5 }]),
    saturationParams: alphaA.map((a) => [
      { alpha: a, lam: 1 },
      { alpha: 2, lam: 1 },
    ]),
    meanSpend: [1, 1],
    periodDays: 7,
  };
  /** KKT for sum_c w_c g(b_c), lam 1: b_c = k sqrt(w_c) - 1. */
  const kkt = (w: number[], total: number) => {
    const k = (total + w.length) / w.reduce((s, v) => s + Math.sqrt(v), 0);
    return w.map((v) => k * Math.sqrt(v) - 1);
  };
  const g = (b: number) => b / (1 + b);

  it('moves budget from the uncertain channel to the sure one, to the closed-form CVaR optimum', () => {
    const sorted = [...alphaA].sort((x, y) => x - y);
    const alphaLow = (sorted[0] + sorted[1]) / 2; // 0.5 + 5 / 78
    const opts = { total: 6, horizon: 1, min: [0, 0], max: [6, 6] };
    const mean = optimiseBudget(riskModel, opts);
    const risk = optimiseBudget(riskModel, { ...opts, objective: 'cvar' });
    const wantMean = kkt([3, 2], 6);
    const wantRisk = kkt([alphaLow, 2], 6);
    mean.allocation.forEach((b, c) => expect(Math.abs(b - wantMean[c])).toBeLessThan(1e-5));
    risk.allocation.forEach((b, c) => expect(Math.abs(b - wantRisk[c]), `channel ${c}: ${b} vs ${wantRisk[c]}`).toBeLessThan(1e-4));
    expect(risk.allocation[0]).toBeLessThan(mean.allocation[0]);
    // The value claimed is the exact CVaR of the plan's per-draw responses, and the closed form's.
    expect(risk.objective).toBe('cvar');
    expect(risk.objectiveValue.optimised).toBe(lowerTailMean(planResponse(riskModel, risk.allocation, 1), 0.05));
    expect(risk.objectiveValue.optimised).toBeCloseTo(alphaLow * g(wantRisk[0]) + 2 * g(wantRisk[1]), 8);
    // Each plan is best at its own objective.
    expect(risk.cvar.optimised).toBeGreaterThan(mean.cvar.optimised);
    expect(mean.optimisedEstimate.mean).toBeGreaterThan(risk.optimisedEstimate.mean);
    expect(mean.objectiveValue.optimised).toBeCloseTo(mean.optimisedEstimate.mean, 12);
  });

  it('reaches the best CVaR of a fine search when the draws’ order changes with the plan', () => {
    // Both channels uncertain, their draws crossing: no closed form; the CVaR is concave in the
    // plan, so a grid over the one-dimensional set {b_a + b_b = 4} brackets its maximum.
    const m: ResponseModel = {
      ...riskModel,
      saturationParams: alphaA.map((a, d) => [
        { alpha: a, lam: 1 },
        { alpha: 1.5 + Math.cos(d) * 1.2, lam: 2 },
      ]),
    };
    const total = 4;
    const res = optimiseBudget(m, { total, horizon: 1, min: [0, 0], max: [total, total], objective: 'cvar' });
    const cvarAt = (ba: number) => lowerTailMean(planResponse(m, [ba, total - ba], 1), 0.05);
    let best = -Infinity;
    for (let i = 0; i <= 4000; i++) best = Math.max(best, cvarAt((total * i) / 4000));
    // Smoothing bound of the last stage: mu (D / k) log 2 with mu = 1e-6 x the mean |response| (< 3).
    expect(res.objectiveValue.optimised).toBeGreaterThanOrEqual(best - 1e-6 * 3 * (D / 2) * Math.LN2);
    expect(res.objectiveValue.optimised).toBe(cvarAt(res.allocation[0]));
  });

  it('rejects an unknown objective or tail', () => {
    const opts = { total: 6, horizon: 1, min: [0, 0], max: [6, 6] };
    expect(() => optimiseBudget(riskModel, { ...opts, objective: 'median' as never })).toThrow(/objective must be 'mean' or 'cvar'/);
    expect(() => optimiseBudget(riskModel, { ...opts, objective: 'cvar', tail: 0 })).toThrow(/tail must be a fraction/);
  });
});
