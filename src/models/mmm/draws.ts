/**
 * An MMM posterior read back by role: thinned draws of every parameter (intercept, adstock and
 * saturation per channel, control and Fourier coefficients, noise), and the response model
 * (response.ts) of a set of them.
 */
import { thinIndices } from '../../engine/thin';
import type { Posterior } from '../../engine/types';
import { ADSTOCKS } from './adstock';
import type { MmmData } from './prepare';
import type { ResponseModel } from './response';
import { SATURATIONS } from './saturation';

/** One draw's parameters, split by role. */
export interface MmmDraw {
  intercept: number;
  adstock: Record<string, number>[];
  saturation: Record<string, number>[];
  gammaControl: number[];
  gammaFourier: number[];
  sigma: number;
  nu: number;
}

/** Thinned draws (at most `max`, evenly spaced over all chains) of every parameter, split by role. */
export function mmmDraws(data: MmmData, posterior: Posterior, max: number): MmmDraw[] {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const col = new Map(posterior.names.map((n) => [n, posterior.column(n)]));
  const get = (name: string, k: number) => {
    const c = col.get(name);
    if (!c) throw new Error(`The posterior has no '${name}'.`);
    return c[k];
  };
  const idx = thinIndices(posterior.chains * posterior.draws, max);
  return idx.map((k) => ({
    intercept: get('intercept', k),
    adstock: data.channels.map((ch) => Object.fromEntries(ad.parameters.map((p) => [p, get(`${ad.prefix}_${p}[${ch}]`, k)]))),
    saturation: data.channels.map((ch) => Object.fromEntries(sat.parameters.map((p) => [p, get(`${sat.prefix}_${p}[${ch}]`, k)]))),
    gammaControl: data.controls.map((c) => get(`gamma_control[${c.name}]`, k)),
    gammaFourier: data.fourier.names.map((n) => get(`gamma_fourier[${n}]`, k)),
    sigma: get('sigma', k),
    nu: data.config.likelihood === 'studentt' ? get('nu', k) : Infinity,
  }));
}

/** The response model (media parameters and scales) of a set of draws. */
export function responseModel(data: MmmData, draws: readonly MmmDraw[]): ResponseModel {
  return {
    adstock: data.config.adstock,
    saturation: data.config.saturation,
    lMax: data.config.lMax,
    channels: [...data.channels],
    xMax: [...data.xMax],
    yMax: data.yMax,
    adstockParams: draws.map((d) => d.adstock),
    saturationParams: draws.map((d) => d.saturation),
    meanSpend: data.spend.map((s) => sum(s.subarray(0, data.train)) / data.train),
    periodDays: data.periodDays,
  };
}

/** Sum of `a[from..to)`. */
export function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}
