/**
 * Scenario forecast: the media contribution of a spend plan the user writes, per period and per
 * channel (or, for a geo-level model, per channel and geo), from every stored draw of the response
 * model (float64, no tfjs; runs on the main thread).
 */
import { InputError } from '../../api/errors';
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { adstockWidth } from './adstock';
import { cellContribution, cellLayout, type BudgetCells } from './budget-cells';
import { drawCount, type ResponseModel } from './response';

/** Scenario forecast of a user spend plan (target units). */
export interface ScenarioForecast {
  /** Periods covered: the plan's length plus the carry-over after it. */
  periods: number;
  /** Media contribution per period (all channels), mean and 94% HDI. */
  mean: number[];
  hdiLow: number[];
  hdiHigh: number[];
  /** Total media contribution of the plan. */
  total: Estimate;
  /** Per cell (channel, or channel x geo) total contribution of the plan. */
  channels: Estimate[];
  /** The cells' names: the channels, or `channel · geo`. */
  cells: string[];
  /** The plan's total minus that of the historical mean spend held for the same periods. */
  vsCurrent: Estimate;
}

/**
 * Media contribution of a spend plan, `plan[i][t]` = cell i's spend in period t of the plan (spend
 * units), carry-over after the plan included, from every stored draw. The cells are the channels
 * (in a geo-level model each channel's spend split over the geos by their historical shares), or
 * with `by: 'geo'` the channel x geo cells of `cellLayout` (channel-major).
 */
export function scenarioForecast(m: ResponseModel, plan: readonly (readonly number[])[], by: BudgetCells = 'channel'): ScenarioForecast {
  const layout = cellLayout(m, by);
  const what = by === 'geo' ? 'Cell' : 'Channel';
  if (plan.length !== layout.labels.length) throw new InputError(`The plan needs one spend series per ${by === 'geo' ? 'channel and geo' : 'channel'} (${layout.labels.length}).`);
  plan.forEach((p, c) => {
    const bad = p.findIndex((v) => !(v >= 0) || !Number.isFinite(v));
    if (bad >= 0) throw new InputError(`${what} "${layout.labels[c]}": the spend in period ${bad + 1} must be a number >= 0.`);
  });
  const length = Math.max(1, ...plan.map((p) => p.length));
  const len = length + adstockWidth(m.adstock, m.lMax) - 1;
  const D = drawCount(m);
  const perDraw: Float64Array[] = [];
  const channelTotals = layout.labels.map(() => new Float64Array(D));
  const vs = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const out = new Float64Array(len);
    layout.labels.forEach((_, c) => {
      const series = new Float64Array(len);
      series.set(plan[c]);
      const contrib = cellContribution(m, layout, d, c, series);
      let s = 0;
      contrib.forEach((v, t) => {
        out[t] += v;
        s += v;
      });
      channelTotals[c][d] = s;
      const held = new Float64Array(len);
      held.fill(layout.meanSpend[c], 0, length);
      // Per cell, so a plan equal to the historical mean spend differs by exactly 0.
      vs[d] += s - cellContribution(m, layout, d, c, held).reduce((a, v) => a + v, 0);
    });
    perDraw.push(out);
  }
  const per = Array.from({ length: len }, (_, t) => estimate(perDraw.map((o) => o[t])));
  return {
    periods: len,
    mean: per.map((e) => e.mean),
    hdiLow: per.map((e) => e.hdiLow),
    hdiHigh: per.map((e) => e.hdiHigh),
    total: estimate(perDraw.map((o) => o.reduce((a, v) => a + v, 0))),
    channels: channelTotals.map((x) => estimate(x)),
    cells: layout.labels,
    vsCurrent: estimate(vs),
  };
}
