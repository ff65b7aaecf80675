/**
 * The budget optimiser, scenario forecast and marginal-ROAS breakevens on a geo-level response
 * model (ResponseModel.geo): over channel x geo cells each cell is a Michaelis-Menten curve in its
 * total, A b / (L + b) with A = yMax_g multiplier_gc alpha_c and L = lam_c xMax_gc, so the optimum
 * has the closed form b = k sqrt(A L) - L (with and without an active cell bound); the channel-level
 * plan of a geo model splits each channel over the geos by historical spend share.
 */
import { describe, expect, it } from 'vitest';
import { cellLayout } from '../../../../src/models/mmm/budget-cells';
import { marginalBreakevens } from '../../../../src/models/mmm/breakeven';
import { optimiseBudget, planResponse } from '../../../../src/models/mmm/optimiser';
import { geoChannelContribution, type ResponseModel } from '../../../../src/models/mmm/response';
import { scenarioForecast } from '../../../../src/models/mmm/scenario';

const ALPHA = [2, 1];
const LAM = [1, 3];
const GEO_Y = [10, 20, 5];
const GEO_X = [
  [1, 2],
  [3, 1],
  [0.5, 1.5],
];
const MULT = [
  [1, 0.5],
  [1.5, 1],
  [0.8, 2],
];

/** Two channels x three geos, no carry-over; two draws whose multipliers average to MULT. */
function geoModel(): ResponseModel {
  const draw = (k: number) => MULT.map((row) => row.map((v) => v * k));
  return {
    adstock: 'geometric',
    saturation: 'michaelis_menten',
    lMax: 1,
    channels: ['tv', 'search'],
    xMax: [4.5, 4.5],
    yMax: 35,
    adstockParams: [0, 1].map(() => [{ alpha: 0.5 }, { alpha: 0.5 }]),
    saturationParams: [0, 1].map(() => ALPHA.map((alpha, c) => ({ alpha, lam: LAM[c] }))),
    meanSpend: [6, 6],
    periodDays: 7,
    geo: {
      geos: ['north', 'south', 'west'],
      xMax: GEO_X,
      yMax: GEO_Y,
      multiplier: [draw(0.5), draw(1.5)],
      meanSpend: [
        [1, 2],
        [2, 3],
        [3, 1],
      ],
    },
  };
}

/** Cells channel-major: (tv, north), (tv, south), (tv, west), (search, north), ... */
const cells = [0, 1].flatMap((c) => [0, 1, 2].map((g) => ({ c, g, A: GEO_Y[g] * MULT[g][c] * ALPHA[c], L: LAM[c] * GEO_X[g][c] })));
const closedForm = (total: number, which: number[]) => {
  const k = (total + which.reduce((s, i) => s + cells[i].L, 0)) / which.reduce((s, i) => s + Math.sqrt(cells[i].A * cells[i].L), 0);
  return which.map((i) => k * Math.sqrt(cells[i].A * cells[i].L) - cells[i].L);
};

describe('budget over channel x geo cells', () => {
  it('lays the cells out channel-major with their historical spend', () => {
    const layout = cellLayout(geoModel(), 'geo');
    expect(layout.labels).toEqual(['tv · north', 'tv · south', 'tv · west', 'search · north', 'search · south', 'search · west']);
    expect(layout.meanSpend).toEqual([1, 2, 3, 2, 3, 1]);
    const { geo: _geo, ...national } = geoModel();
    expect(() => cellLayout(national, 'geo')).toThrow(/one geo: a budget per channel and geo needs a geo-level model/);
  });

  it('finds the closed-form optimum over the cells, and with a cell bound active', () => {
    const m = geoModel();
    const total = 30;
    const free = { total, horizon: 1, min: cells.map(() => 0), max: cells.map(() => total), cells: 'geo' as const };
    const res = optimiseBudget(m, free);
    const want = closedForm(total, [0, 1, 2, 3, 4, 5]);
    expect(want.every((b) => b > 0)).toBe(true);
    res.allocation.forEach((b, i) => expect(Math.abs(b - want[i]), `${res.layout.labels[i]}: ${b} vs ${want[i]}`).toBeLessThan(1e-5));
    // The historical mix over the cells (1:2:3:2:3:1) is the comparison plan.
    [1, 2, 3, 2, 3, 1].forEach((v, i) => expect(res.currentAllocation[i]).toBeCloseTo((v / 12) * total, 12));
    // Response of a plan: the cells' geo contributions summed (draw 1 has multipliers x 1.5).
    const direct = res.allocation.reduce((s, b, i) => s + geoChannelContribution(m, 1, cells[i].c, cells[i].g, [b])[0], 0);
    expect(res.optimised[1]).toBeCloseTo(direct, 10);
    // Cap (search, south) below its free optimum: it sits at the cap, the rest re-optimised in closed form.
    const cap = want[4] / 2;
    const capped = optimiseBudget(m, { ...free, max: cells.map((_, i) => (i === 4 ? cap : total)) });
    expect(capped.allocation[4]).toBeCloseTo(cap, 8);
    const rest = closedForm(total - cap, [0, 1, 2, 3, 5]);
    [0, 1, 2, 3, 5].forEach((i, k) => expect(Math.abs(capped.allocation[i] - rest[k])).toBeLessThan(1e-5));
    expect(() => optimiseBudget(m, { ...free, min: [0, 0], max: [30, 30] })).toThrow(/each of the 6 channel x geo cells/);
    expect(() => optimiseBudget(m, { ...free, min: cells.map((_, i) => (i === 2 ? 5 : 0)), max: cells.map((_, i) => (i === 2 ? 4 : total)) })).toThrow(/Cell "tv · west": minimum 5 is above its maximum 4/);
  });

  it('per channel, a geo model splits each channel’s total over the geos by historical spend share', () => {
    const m = geoModel();
    // tv's geo shares 1:2:3, search's 2:3:1.
    const shares = [
      [1 / 6, 2 / 6, 3 / 6],
      [2 / 6, 3 / 6, 1 / 6],
    ];
    const plan = [12, 6];
    const byChannel = planResponse(m, plan, 1);
    const byCell = planResponse(m, cells.map(({ c, g }) => plan[c] * shares[c][g]), 1, undefined, 'geo');
    byChannel.forEach((v, d) => expect(v).toBeCloseTo(byCell[d], 10));
    // The cells can do everything the channels can, and more.
    const perChannel = optimiseBudget(m, { total: 18, horizon: 1, min: [0, 0], max: [18, 18] });
    const perCell = optimiseBudget(m, { total: 18, horizon: 1, min: cells.map(() => 0), max: cells.map(() => 18), cells: 'geo' });
    expect(perCell.optimisedEstimate.mean).toBeGreaterThan(perChannel.optimisedEstimate.mean);
  });

  it('the scenario takes a plan per channel and geo; holding each cell’s historical spend differs by 0', () => {
    const m = geoModel();
    const held = scenarioForecast(m, [1, 2, 3, 2, 3, 1].map((v) => [v, v, v]), 'geo');
    expect(held.vsCurrent).toMatchObject({ mean: 0, hdiLow: 0, hdiHigh: 0 });
    expect(held.cells).toEqual(cellLayout(m, 'geo').labels);
    // The same spend written per channel (split by the same shares) forecasts the same contribution.
    const national = scenarioForecast(m, [[6, 6, 6], [6, 6, 6]]);
    expect(national.total.mean).toBeCloseTo(held.total.mean, 10);
    expect(() => scenarioForecast(m, [[1], [1]], 'geo')).toThrow(/one spend series per channel and geo \(6\)/);
  });

  it('the breakeven spend of identical geos is that of one national model with the summed scales', () => {
    const geo = geoModel();
    const identical: ResponseModel = {
      ...geo,
      saturation: 'logistic',
      saturationParams: [0, 1].map((d) => [
        { lam: 2 + d, beta: 0.3 },
        { lam: 3, beta: 0.2 + 0.1 * d },
      ]),
      geo: { ...geo.geo!, xMax: [0, 1, 2].map(() => [10, 5]), yMax: [100, 100, 100], multiplier: [0, 1].map(() => [0, 1, 2].map(() => [1, 1])), meanSpend: [0, 1, 2].map(() => [4, 2]) },
    };
    const { geo: _geo, ...rest } = identical;
    const national: ResponseModel = { ...rest, xMax: [30, 15], yMax: 300 };
    const a = marginalBreakevens(identical, 1);
    const b = marginalBreakevens(national, 1);
    a.forEach((ch, c) => ch.draws.forEach((s, d) => expect(Math.abs(s - b[c].draws[d])).toBeLessThan(1e-6 * Math.max(1, s))));
    expect(a[0].draws[0]).toBeGreaterThan(0);
  });
});
