/**
 * Scenario forecast: the media contribution of a spend plan the user writes, per period and per
 * channel, from every stored draw of the response model (float64, no tfjs; runs on the main thread).
 */
import { InputError } from '../../api/errors';
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { adstockWidth } from './adstock';
import { channelContribution, drawCount, type ResponseModel } from './response';

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
  /** Per channel total contribution of the plan. */
  channels: Estimate[];
  /** The plan's total minus that of the historical mean spend held for the same periods. */
  vsCurrent: Estimate;
}

/**
 * Media contribution of a spend plan, `plan[c][t]` = channel c's spend in period t of the plan
 * (spend units), carry-over after the plan included, from every stored draw.
 */
export function scenarioForecast(m: ResponseModel, plan: readonly (readonly number[])[]): ScenarioForecast {
  if (plan.length !== m.channels.length) throw new InputError(`The plan needs one spend series per channel (${m.channels.length}).`);
  plan.forEach((p, c) => {
    const bad = p.findIndex((v) => !(v >= 0) || !Number.isFinite(v));
    if (bad >= 0) throw new InputError(`Channel "${m.channels[c]}": the spend in period ${bad + 1} must be a number >= 0.`);
  });
  const length = Math.max(1, ...plan.map((p) => p.length));
  const len = length + adstockWidth(m.adstock, m.lMax) - 1;
  const D = drawCount(m);
  const perDraw: Float64Array[] = [];
  const channelTotals = m.channels.map(() => new Float64Array(D));
  const vs = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const out = new Float64Array(len);
    m.channels.forEach((_, c) => {
      const series = new Float64Array(len);
      series.set(plan[c]);
      const contrib = channelContribution(m, d, c, series);
      let s = 0;
      contrib.forEach((v, t) => {
        out[t] += v;
        s += v;
      });
      channelTotals[c][d] = s;
      const held = new Float64Array(len);
      held.fill(m.meanSpend[c], 0, length);
      // Per channel, so a plan equal to the historical mean spend differs by exactly 0.
      vs[d] += s - channelContribution(m, d, c, held).reduce((a, v) => a + v, 0);
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
    vsCurrent: estimate(vs),
  };
}
