/**
 * The MMM's prior predictive check: parameters drawn from their priors (the merged priors the fit
 * would use), the target computed from them as the fit's outputs compute it (response.ts,
 * fit-outputs.ts) plus the likelihood's noise, in target units, against the observed target. If
 * the observed values sit far outside the draws, the priors rule the data out before it is seen.
 */
import { toIsoDate } from '../../data/time';
import { drawPrior } from '../../engine/prior-draws';
import type { Prior } from '../../engine/priors';
import { createRng } from '../../engine/rng';
import { estimateColumns } from '../summaries';
import type { PriorPredictive, PriorPredictiveOptions } from '../types';
import { ADSTOCKS } from './adstock';
import { InputError } from '../../api/errors';
import { responseModel, spendEquivalent, type MmmDraw } from './draws';
import { geoComponents } from './fit-outputs';
import type { MmmData } from './prepare';
import { channelContribution } from './response';
import { SATURATIONS } from './saturation';

/** Individual draws returned beside the intervals. */
const SAMPLES = 8;

/** Parameter draws from `priors`, split by role as the posterior's are (draws.ts). */
export function mmmPriorDraws(data: MmmData, priors: Record<string, Prior>, options: PriorPredictiveOptions): MmmDraw[] {
  const rng = createRng(options.seed);
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const one = (name: string) => drawPrior(rng, priors[name])[0];
  return Array.from({ length: options.draws }, () => ({
    intercept: [one('intercept')],
    adstock: data.channels.map(() => Object.fromEntries(ad.parameters.map((k) => [k, one(`${ad.prefix}_${k}`)]))),
    saturation: data.channels.map(() => Object.fromEntries(sat.parameters.map((k) => [k, one(`${sat.prefix}_${k}`)]))),
    gammaControl: data.controls.length ? drawPrior(rng, priors.gamma_control, data.controls.length) : [],
    multiplier: [data.channels.map(() => 1)],
    gammaFourier: [data.fourier.names.length ? drawPrior(rng, priors.gamma_fourier, data.fourier.names.length) : []],
    sigma: [one('sigma')],
    nu: data.config.likelihood === 'studentt' ? one('nu') : Infinity,
  }));
}

/** The prior predictive of the target over all rows, against the observed target. */
export function mmmPriorPredictive(data: MmmData, priors: Record<string, Prior>, options: PriorPredictiveOptions): PriorPredictive {
  if (data.geos.length > 1) throw new InputError('The prior predictive check covers national data for now: leave the geo column empty to check the priors on one series.');
  const draws = mmmPriorDraws(data, priors, options);
  const response = responseModel(data, draws);
  const media = draws.map((_, d) => data.channels.map((_, c) => channelContribution(response, d, c, spendEquivalent(data, c, 0))));
  const y = geoComponents(data, draws, 0, media, createRng(options.seed + 1)).noisy;
  const T = data.dates.length;
  const predictive = estimateColumns(T, draws.length, (t, d) => y[d][t]);
  let inside = 0;
  for (let t = 0; t < T; t++) if (data.y[t] >= predictive.hdiLow[t] && data.y[t] <= predictive.hdiHigh[t]) inside++;
  return {
    target: data.target,
    dates: data.dates.map(toIsoDate),
    actual: Array.from(data.y),
    predictive,
    samples: y.slice(0, SAMPLES).map((s) => Array.from(s)),
    coverage: inside / T,
    draws: draws.length,
  };
}
