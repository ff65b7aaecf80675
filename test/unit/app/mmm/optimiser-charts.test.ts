/**
 * The budget optimiser's and the scenario's sentences and charts (src/app/mmm/optimiser-charts.ts):
 * a difference always reads with its sign against what it is a difference to, the bounds the
 * historical mix breaks are named with what was compared instead, and the charts draw the plan.
 */
import { describe, expect, it } from 'vitest';
import { allocationChart, boundsNote, breakevenText, objectiveText, perChannel, planSummary, scenarioSummary } from '../../../../src/app/mmm/optimiser-charts';
import { budgetPlanOf, optimiseBudget } from '../../../../src/models/mmm/optimiser';
import type { ResponseModel } from '../../../../src/models/mmm/response';
import { scenarioForecast } from '../../../../src/models/mmm/scenario';
import { fmtDifference } from '../../../../src/ui/format';

const model: ResponseModel = {
  adstock: 'geometric',
  saturation: 'logistic',
  lMax: 4,
  channels: ['tv', 'search'],
  xMax: [100, 50],
  yMax: 1000,
  adstockParams: [[{ alpha: 0.5 }, { alpha: 0.2 }], [{ alpha: 0.4 }, { alpha: 0.3 }]],
  saturationParams: [
    [{ lam: 2, beta: 0.3 }, { lam: 3, beta: 0.2 }],
    [{ lam: 2.5, beta: 0.25 }, { lam: 2, beta: 0.3 }],
  ],
  meanSpend: [40, 20],
  periodDays: 7,
};

describe('optimiser sentences and charts', () => {
  it('a difference carries its sign; zero reads +0 [0, 0]', () => {
    expect(fmtDifference({ mean: 0, hdiLow: -0, hdiHigh: 0 })).toBe('+0 [0, 0]');
    expect(fmtDifference({ mean: -0, hdiLow: 0, hdiHigh: 0 })).toBe('+0 [0, 0]');
    expect(fmtDifference({ mean: -2.5, hdiLow: -3, hdiHigh: -2 })).toBe('-2.5 [-3, -2]');
    expect(fmtDifference({ mean: 1.5, hdiLow: -1, hdiHigh: 4 })).toBe('+1.5 [-1, 4]');
  });

  it('the untouched scenario reads "+0 [0, 0] vs holding the historical mean spend"', () => {
    const f = scenarioForecast(model, [new Array<number>(13).fill(40), new Array<number>(13).fill(20)]);
    expect(scenarioSummary(f)).toMatch(/^\+0 \[0, 0\] vs holding the historical mean spend \(94% HDI\); the plan's media contribution \d/);
  });

  it('names the bounds the historical mix breaks and what the plan is compared with instead', () => {
    // Historical mix 2:1 of 780: tv 520, above its maximum 300.
    const options = { total: 780, horizon: 13, min: [0, 0], max: [300, 780] };
    const plan = budgetPlanOf(model, options, optimiseBudget(model, options), '2026-01-01T00:00:00Z');
    expect(plan.outOfBounds).toEqual(['tv']);
    expect(boundsNote(plan)).toMatch(/^The historical mix scaled to this budget breaks your bounds: tv 520 \(bounds 0 to 300\)\. It is compared with the historical mix brought within the bounds/);
    expect(planSummary(plan)).toContain('vs the current plan within the bounds (94% HDI)');
    expect(planSummary(plan)).toMatch(/; \+\d/); // the optimum within the bounds is no worse than a plan within them
    expect(allocationChart(plan).title).toBe('Current plan brought within the bounds vs optimised allocation');
    expect(allocationChart(plan).marks).toHaveLength(2);
    const inside = budgetPlanOf(model, { ...options, max: [780, 780] }, optimiseBudget(model, { ...options, max: [780, 780] }), '2026-01-01T00:00:00Z');
    expect(boundsNote(inside)).toBeNull();
    expect(objectiveText({ objective: 'cvar', tail: 0.05, byValue: false })).toBe('the mean response over the worst 5% of posterior draws (CVaR 5%)');
  });
});

describe('a plan over channel x geo cells', () => {
  it('charts the allocation summed per channel', () => {
    const geoModel: ResponseModel = {
      ...model,
      geo: {
        geos: ['n', 's'],
        xMax: [
          [50, 25],
          [50, 25],
        ],
        yMax: [500, 500],
        multiplier: [0, 1].map(() => [
          [1, 1],
          [1, 1],
        ]),
        meanSpend: [
          [10, 5],
          [30, 15],
        ],
      },
    };
    const options = { total: 780, horizon: 13, min: [0, 0, 0, 0], max: [780, 780, 780, 780], cells: 'geo' as const };
    const result = optimiseBudget(geoModel, options);
    const plan = budgetPlanOf(geoModel, options, result, '2026-01-01T00:00:00Z');
    expect(plan.channels).toEqual(['tv · n', 'tv · s', 'search · n', 'search · s']);
    expect(plan.cellGeo).toEqual(['n', 's', 'n', 's']);
    const chart = allocationChart(plan);
    expect(chart.title).toContain('summed over the geos');
    // Two bars a series: tv = cells 0 + 1, search = cells 2 + 3.
    expect(chart.marks[1].extent?.().x).toEqual(['tv (optimised)', 'search (optimised)']);
    const { names, sums } = perChannel(plan, plan.allocation);
    expect(names).toEqual(['tv', 'search']);
    expect(sums[0]).toBe(result.allocation[0] + result.allocation[1]);
    expect(sums[1]).toBe(result.allocation[2] + result.allocation[3]);
    expect(sums[0] + sums[1]).toBeCloseTo(780, 9);
  });
});

describe('breakeven sentences', () => {
  it('says when no spend reaches the target, and how many draws sit at the ends of the search', () => {
    const base = { channel: 'tv', target: 1, spend: { mean: 2, sd: 1, hdiLow: 0, hdiHigh: 4 }, meanSpend: 3 };
    expect(breakevenText({ ...base, draws: [0, 0], never: 2, beyond: 0 })).toBe('none: even the first unit returns less than 1');
    expect(breakevenText({ ...base, draws: [0, 4], never: 1, beyond: 0 })).toBe('2 [0, 4] (0 in 1 of 2 draws, where even the first unit returns less)');
    expect(breakevenText({ ...base, draws: [1, 4], never: 0, beyond: 1 })).toBe("2 [0, 4] (1 of 2 draws still above 1 at 4, the search's end)");
    expect(breakevenText({ ...base, draws: [1, 3], never: 0, beyond: 0 })).toBe('2 [0, 4]');
  });
});

describe('a risk-aware plan that gives up expected response', () => {
  it('says what it trades, so a negative expected difference is explained', () => {
    // Channel a: alpha spread over [0.5, 5.5] across 40 draws (mean 3); channel b: alpha 2 in every
    // draw. The CVaR plan moves budget to b, losing expected response against the historical mix.
    const D = 40;
    const alphaA = Array.from({ length: D }, (_, d) => 0.5 + (5 * ((d * 17) % D)) / (D - 1));
    const m: ResponseModel = {
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
      meanSpend: [3, 1],
      periodDays: 7,
    };
    const options = { total: 6, horizon: 1, min: [0, 0], max: [6, 6], objective: 'cvar' as const };
    const plan = budgetPlanOf(m, options, optimiseBudget(m, options), '2026-01-01T00:00:00Z');
    expect(plan.lift.mean).toBeLessThan(0);
    expect(plan.cvar.optimised).toBeGreaterThan(plan.cvar.current);
    expect(planSummary(plan)).toMatch(/; -[\d.]+ \[.*\] vs the current plan \(94% HDI\)\..* The risk-aware plan gives up [\d.]+ of the expected response for [\d.]+ more in the worst 5% of draws\./);
  });
});
