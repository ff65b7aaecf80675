/**
 * An MMM posterior read back by role: thinned draws of every parameter (per-geo intercepts,
 * adstock and saturation per channel, per-geo channel effect multipliers, control and Fourier
 * coefficients, per-geo noise), and the response model (response.ts) of a set of them.
 */
import { thinIndices } from '../../engine/thin';
import type { Posterior } from '../../engine/types';
import { ADSTOCKS } from './adstock';
import { geoCentring, geoParamNames } from './geo-params';
import type { MmmData } from './prepare';
import type { ResponseModel } from './response';
import { SATURATIONS } from './saturation';

/** One draw's parameters, split by role; per-geo entries have one value per geo (one for national data). */
export interface MmmDraw {
  /** Intercept per geo, tau_g (scaled target). */
  intercept: number[];
  adstock: Record<string, number>[];
  saturation: Record<string, number>[];
  /** Channel effect multiplier per geo and channel `[g][c]` (all 1 for one geo). */
  multiplier: number[][];
  gammaControl: number[];
  /** Fourier coefficients per geo `[g][k]` (the same array for every geo when seasonality is shared). */
  gammaFourier: number[][];
  /** Noise scale per geo (scaled target). */
  sigma: number[];
  nu: number;
}

/** Thinned draws (at most `max`, evenly spaced over all chains) of every parameter, split by role. */
export function mmmDraws(data: MmmData, posterior: Posterior, max: number): MmmDraw[] {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const G = data.geos.length;
  const M = data.channels.length;
  const names = geoParamNames(`${sat.prefix}_${sat.scaleParam}`);
  const col = new Map(posterior.names.map((n) => [n, posterior.column(n)]));
  const get = (name: string, k: number) => {
    const c = col.get(name);
    if (!c) throw new Error(`The posterior has no '${name}'.`);
    return c[k];
  };
  const perGeoSeason = data.config.geoSeasonality === 'per geo';
  const idx = thinIndices(posterior.chains * posterior.draws, max);
  return idx.map((k) => {
    const intercept = get('intercept', k);
    const sigma = get('sigma', k);
    const shared = data.fourier.names.map((n) => (perGeoSeason ? 0 : get(`gamma_fourier[${n}]`, k)));
    const centred = geoCentring(data.config.geoParametrisation);
    const tau = (g: string) => (centred.intercept ? get(`${names.interceptGeo}[${g}]`, k) : intercept + get(names.interceptSigma, k) * get(`${names.interceptZ}[${g}]`, k));
    const logM = (g: string, ch: string) => (centred.effect ? get(`${names.effectLog}[${g}, ${ch}]`, k) : get(`${names.effectSigma}[${ch}]`, k) * get(`${names.effectZ}[${g}, ${ch}]`, k));
    const sigmaOf = (g: string) => (centred.sigma ? get(`${names.sigmaGeo}[${g}]`, k) : sigma * Math.exp(get(names.sigmaSigma, k) * get(`${names.sigmaZ}[${g}]`, k)));
    return {
      intercept: G > 1 ? data.geos.map(tau) : [intercept],
      adstock: data.channels.map((ch) => Object.fromEntries(ad.parameters.map((p) => [p, get(`${ad.prefix}_${p}[${ch}]`, k)]))),
      saturation: data.channels.map((ch) => Object.fromEntries(sat.parameters.map((p) => [p, get(`${sat.prefix}_${p}[${ch}]`, k)]))),
      multiplier:
        G > 1
          ? data.geos.map((g) => data.channels.map((ch) => Math.exp(logM(g, ch))))
          : [new Array<number>(M).fill(1)],
      gammaControl: data.controls.map((c) => get(`gamma_control[${c.name}]`, k)),
      gammaFourier: perGeoSeason ? data.geos.map((g) => data.fourier.names.map((n) => get(`gamma_fourier[${g}, ${n}]`, k))) : data.geos.map(() => shared),
      sigma: G > 1 ? data.geos.map(sigmaOf) : [sigma],
      nu: data.config.likelihood === 'studentt' ? get('nu', k) : Infinity,
    };
  });
}

/**
 * Historical spend-equivalent media series of channel c in geo g, all periods: the media input
 * (exposure or spend) divided by the geo's media per unit of spend, so the response model
 * (which takes spend) reproduces the fitted contribution exactly.
 */
export function spendEquivalent(data: MmmData, c: number, g: number): Float64Array {
  const T = data.dates.length;
  const k = data.mediaPerSpend[g][c];
  return Float64Array.from(data.media[c].subarray(g * T, (g + 1) * T), (v) => v / k);
}

/** Spend of channel c in geo g, all periods. */
export function geoSpend(data: MmmData, c: number, g: number): Float64Array {
  const T = data.dates.length;
  return data.spend[c].subarray(g * T, (g + 1) * T);
}

/** The response model (media parameters and scales) of a set of draws. */
export function responseModel(data: MmmData, draws: readonly MmmDraw[]): ResponseModel {
  const G = data.geos.length;
  const train = data.train;
  const xSpend = data.xMax.map((row, g) => row.map((x, c) => x / data.mediaPerSpend[g][c]));
  const meanSpend = data.geos.map((_, g) => data.channels.map((_, c) => sum(geoSpend(data, c, g), 0, train) / train));
  const rpk = data.revenuePerKpi?.values;
  const valuePerKpi = rpk ? data.geos.map((_, g) => sum(rpk, g * data.dates.length, g * data.dates.length + train) / train) : undefined;
  const base = {
    adstock: data.config.adstock,
    saturation: data.config.saturation,
    lMax: data.config.lMax,
    channels: [...data.channels],
    adstockParams: draws.map((d) => d.adstock),
    saturationParams: draws.map((d) => d.saturation),
    periodDays: data.periodDays,
  };
  if (G === 1) return { ...base, xMax: xSpend[0], yMax: data.yMax[0], meanSpend: meanSpend[0], ...(valuePerKpi ? { valuePerKpi: valuePerKpi[0] } : {}) };
  return {
    ...base,
    xMax: data.channels.map((_, c) => sum(xSpend.map((r) => r[c]))),
    yMax: sum(data.yMax),
    meanSpend: data.channels.map((_, c) => sum(meanSpend.map((r) => r[c]))),
    geo: {
      geos: [...data.geos],
      xMax: xSpend,
      yMax: [...data.yMax],
      multiplier: draws.map((d) => d.multiplier),
      meanSpend,
      ...(valuePerKpi ? { valuePerKpi } : {}),
    },
  };
}

/** Sum of `a[from..to)`. */
export function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}
