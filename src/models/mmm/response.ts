/**
 * The media response of a fitted MMM in float64, from thinned posterior draws: each channel's
 * spend series, max-scaled, adstocked and saturated, in target units. Pure TypeScript with no tfjs
 * (it imports only the float64 transforms), so the UI runs it on the main thread from the draws a
 * run stores in `outputs.optimizerDraws`: the outputs' contributions and curves, the budget
 * optimiser and the scenario forecast all read it.
 */
import { ADSTOCKS, applyAdstockF64, type AdstockKind } from './adstock';
import { SATURATIONS, type SaturationKind } from './saturation';

/** The media response of a fitted MMM, per draw (`outputs.optimizerDraws`). */
export interface ResponseModel {
  adstock: AdstockKind;
  saturation: SaturationKind;
  lMax: number;
  channels: string[];
  /** Channel scales: max spend per period over the fitted rows (spend units). */
  xMax: number[];
  /** Target scale: max |target| over the fitted rows (target units). */
  yMax: number;
  /** Adstock parameters `[draw][channel]`, by PyMC-Marketing name (e.g. `{ alpha }`). */
  adstockParams: Record<string, number>[][];
  /** Saturation parameters `[draw][channel]`, by PyMC-Marketing name (e.g. `{ lam, beta }`). */
  saturationParams: Record<string, number>[][];
  /** Historical mean spend per period, per channel (spend units). */
  meanSpend: number[];
  /** Days per period (7 weekly, 1 daily). */
  periodDays: number;
}

/** Number of posterior draws in a response model. */
export const drawCount = (m: ResponseModel): number => m.saturationParams.length;

/** Lag weights of channel `c` for draw `d`. */
export function channelWeights(m: ResponseModel, d: number, c: number): number[] {
  return ADSTOCKS[m.adstock].f64(m.adstockParams[d][c], m.lMax);
}

/** Contribution per period (target units) of channel `c` for a spend series (spend units), draw `d`. */
export function channelContribution(m: ResponseModel, d: number, c: number, spend: ArrayLike<number>): Float64Array {
  const scaled = Float64Array.from(spend as ArrayLike<number>, (v) => v / m.xMax[c]);
  const ad = applyAdstockF64(scaled, channelWeights(m, d, c));
  const f = SATURATIONS[m.saturation].f64;
  const p = m.saturationParams[d][c];
  return ad.map((v) => m.yMax * f(v, p));
}

/**
 * Adstock profile of constant spend over `horizon` periods: a_t = sum of the weights w_l with
 * 0 <= t - l < horizon, for t = 0..horizon + width - 2 (the carry-over after the horizon included).
 */
export function evenSpendProfile(w: readonly number[], horizon: number): Float64Array {
  const len = horizon + w.length - 1;
  const a = new Float64Array(len);
  for (let t = 0; t < len; t++) {
    let s = 0;
    for (let l = 0; l < w.length; l++) if (t - l >= 0 && t - l < horizon) s += w[l];
    a[t] = s;
  }
  return a;
}
