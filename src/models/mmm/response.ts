/**
 * The media response of a fitted MMM in float64, from thinned posterior draws: each channel's
 * spend series, max-scaled, adstocked and saturated, in target units. Pure TypeScript with no tfjs
 * (it imports only the float64 transforms), so the UI runs it on the main thread from the draws a
 * run stores in `outputs.optimizerDraws`: the outputs' contributions and curves, the budget
 * optimiser and the scenario forecast all read it.
 */
import { ADSTOCKS, applyAdstockF64, type AdstockKind } from './adstock';
import { SATURATIONS, type SaturationKind } from './saturation';

/**
 * The media response per geo of a geo-level MMM (`ResponseModel.geo`; absent for one-geo data).
 * Adstock and saturation parameters are shared by the geos (the model's `adstockParams` and
 * `saturationParams`, per draw and channel); each geo has its own scales and its own channel
 * effect multiplier. Channel c's contribution per period in geo g, draw d, to a spend series s
 * (spend units) is (`geoChannelContribution`)
 *   yMax[g] * multiplier[d][g][c] * f_c(adstock_c(s / xMax[g][c])),
 * f_c the saturation with `saturationParams[d][c]`: in target units (KPI units when the data has
 * revenue per KPI; times `valuePerKpi[g]` for revenue). The national response is the sum over geos.
 */
export interface GeoResponse {
  /** Geo names, in the model's order (index g). */
  geos: string[];
  /**
   * Spend scales `[geo][channel]` (spend units): the spend per period at which the scaled media
   * input is 1. With exposures, the exposure scale divided by the geo's exposure per unit of spend
   * (so spend / xMax is the scaled exposure).
   */
  xMax: number[][];
  /** Target scales `[geo]` (target units). */
  yMax: number[];
  /** Channel effect multipliers exp(eta_c z_gc), `[draw][geo][channel]`. */
  multiplier: number[][][];
  /** Historical mean spend per period `[geo][channel]` (spend units). */
  meanSpend: number[][];
  /** Revenue per unit of target `[geo]` (mean over the fitted rows), when the data gives revenue per KPI. */
  valuePerKpi?: number[];
}

/**
 * The media response of a fitted MMM, per draw (`outputs.optimizerDraws`). For one-geo data the
 * top-level scales (`xMax`, `yMax`) give channel c's contribution `yMax f_c(adstock_c(s / xMax[c]))`.
 * With `geo` (2+ geos) the model is evaluated per (channel, geo) from `geo`'s scales; the
 * top-level `xMax` and `yMax` are then the sums over geos of the geo scales (a summary, not a
 * response scale), and `channelContribution` of a national spend series splits it over the geos
 * in proportion to each geo's historical spend on the channel.
 */
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
  /** Revenue per unit of target (mean over the fitted rows), when the data gives revenue per KPI (one-geo data). */
  valuePerKpi?: number;
  /** The per-geo response (data with 2+ geos). */
  geo?: GeoResponse;
}

/** Number of posterior draws in a response model. */
export const drawCount = (m: ResponseModel): number => m.saturationParams.length;

/** Lag weights of channel `c` for draw `d`. */
export function channelWeights(m: ResponseModel, d: number, c: number): number[] {
  return ADSTOCKS[m.adstock].f64(m.adstockParams[d][c], m.lMax);
}

/** yScale * f(adstock(spend / xScale)) per period, draw `d`, channel `c`. */
function scaledResponse(m: ResponseModel, d: number, c: number, spend: ArrayLike<number>, xScale: number, yScale: number): Float64Array {
  const scaled = Float64Array.from(spend as ArrayLike<number>, (v) => v / xScale);
  const ad = applyAdstockF64(scaled, channelWeights(m, d, c));
  const f = SATURATIONS[m.saturation].f64;
  const p = m.saturationParams[d][c];
  return ad.map((v) => yScale * f(v, p));
}

/** Contribution per period (target units) of channel `c` in geo `g` for a spend series there (spend units), draw `d`. */
export function geoChannelContribution(m: ResponseModel, d: number, c: number, g: number, spend: ArrayLike<number>): Float64Array {
  const geo = m.geo;
  if (!geo) {
    if (g !== 0) throw new Error(`The model has one geo; geo ${g} does not exist.`);
    return scaledResponse(m, d, c, spend, m.xMax[c], m.yMax);
  }
  return scaledResponse(m, d, c, spend, geo.xMax[g][c], geo.yMax[g] * geo.multiplier[d][g][c]);
}

/** Each geo's share of channel `c`'s historical spend (`[1]` for one-geo data; equal shares when the channel never spent). */
export function geoSpendShares(m: ResponseModel, c: number): number[] {
  if (!m.geo) return [1];
  const spend = m.geo.meanSpend.map((s) => s[c]);
  const total = spend.reduce((a, b) => a + b, 0);
  return spend.map((s) => (total > 0 ? s / total : 1 / spend.length));
}

/**
 * Contribution per period (target units) of channel `c` for a national spend series (spend
 * units), draw `d`: with geos, the series is split over the geos by their historical spend shares
 * (`geoSpendShares`) and the geos' contributions are summed.
 */
export function channelContribution(m: ResponseModel, d: number, c: number, spend: ArrayLike<number>): Float64Array {
  if (!m.geo) return geoChannelContribution(m, d, c, 0, spend);
  const out = new Float64Array(spend.length);
  geoSpendShares(m, c).forEach((share, g) => {
    if (share === 0) return;
    const part = geoChannelContribution(m, d, c, g, Array.from(spend as ArrayLike<number>, (v) => v * share));
    for (let t = 0; t < out.length; t++) out[t] += part[t];
  });
  return out;
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
