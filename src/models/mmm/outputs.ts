/**
 * MMM outputs in the data's original units, computed in float64 from thinned posterior draws
 * (draws.ts): how the model fits over time (fit-outputs.ts), what each channel did
 * (channel-outputs.ts), prior vs posterior per parameter, and the thinned draws of the response
 * model (response.ts) that the budget optimiser and the scenario forecast run on (`optimizerDraws`).
 */
import { toIsoDate } from '../../data/time';
import { priorLogPdfF64 } from '../../engine/distributions';
import type { Prior } from '../../engine/priors';
import { thinIndices } from '../../engine/thin';
import type { Posterior } from '../../engine/types';
import { density } from '../summaries';
import { addChannelDraws, geoChannelDraws, mmmChannelOutputs, type GeoChannelDraws, type MmmChannelOutputs } from './channel-outputs';
import { mmmDraws, responseModel } from './draws';
import { addComponents, geoComponents, mmmFitOutputs, predictiveRng, type Components, type MmmFitOutputs } from './fit-outputs';
import { geoOutputsBuilder, type MmmGeoOutputs } from './geo-outputs';
import { mmmPeriodDraws, type MmmPeriodDraws } from './period-draws';
import type { MmmData } from './prepare';
import type { GeoResponse, ResponseModel } from './response';

/** Most draws used for the outputs (per-period HDIs over T rows). */
export const OUTPUT_DRAWS = 300;
/** Most draws stored for the optimiser and scenario forecast (they run on the main thread). */
export const OPTIMISER_DRAWS = 200;
/**
 * Most draws stored for period comparisons: every part of the fit per month per draw is the
 * largest output (months x parts x draws), so fewer draws than the optimiser's.
 */
export const PERIOD_DRAWS = 100;

/** Typed view of `RunResult.outputs` for 'mmm'. */
export interface MmmOutputs extends MmmFitOutputs, MmmChannelOutputs {
  /** Period dates (ISO yyyy-mm-dd), all rows sorted. */
  dates: string[];
  /** Rows 0..train-1 were fitted; the rest are the holdout. */
  train: number;
  /** Days per period. */
  periodDays: number;
  target: string;
  /** Whether the target is a value (channels read as ROAS) or a count (cost per acquisition); `config.targetKind` resolved. */
  targetKind: 'value' | 'count';
  /** Observed target, all rows (target units; summed over geos). */
  actual: number[];
  /** Posterior histogram (density) and the prior density on the same grid, per flat parameter. */
  priorPosterior: Record<string, { x: number[]; posterior: number[]; prior: number[] }>;
  /** Thinned draws (<= 200) of the media parameters, for the optimiser and scenario forecast. */
  optimizerDraws: ResponseModel;
  /**
   * The revenue-per-KPI column when the data gives one: the target is then in KPI units
   * (conversions) and ROAS / marginal ROAS are revenue per unit of spend.
   */
  revenuePerKpi?: string;
  /** Per draw (<= 100), every part of the fit summed by month (national), for period comparisons (period-comparison.ts). */
  periods: MmmPeriodDraws;
  /** The per-geo view (data with 2+ geos); everything above is then national, the sum over geos. */
  geo?: MmmGeoOutputs;
}

/**
 * Draws behind the per-geo response curves and the national ones of a geo model (each curve point
 * re-saturates every period of every geo per draw; the other outputs use all OUTPUT_DRAWS).
 */
export const GEO_CURVE_DRAWS = 100;

/** Every MMM output from the posterior (see MmmOutputs); with geos, per geo too (geo-outputs.ts). */
export function mmmOutputs(data: MmmData, posterior: Posterior, priors: Record<string, Prior>): MmmOutputs {
  const draws = mmmDraws(data, posterior, OUTPUT_DRAWS);
  const response = responseModel(data, draws);
  const G = data.geos.length;
  const T = data.dates.length;
  const curveDraws = G > 1 ? GEO_CURVE_DRAWS : draws.length;
  const rng = predictiveRng();
  const geo = G > 1 ? geoOutputsBuilder(data) : undefined;
  let fitParts: Components | undefined;
  const national: (GeoChannelDraws | undefined)[] = data.channels.map(() => undefined);
  const actual = new Float64Array(T);
  // One geo at a time, so memory does not grow with the number of geos.
  for (let g = 0; g < G; g++) {
    const cells = data.channels.map((_, c) => geoChannelDraws(data, response, g, c, curveDraws));
    const parts = geoComponents(data, draws, g, draws.map((_, d) => cells.map((cell) => cell.series[d])), rng);
    geo?.add(g, parts, cells);
    cells.forEach((cell, c) => (national[c] = addChannelDraws(national[c], cell)));
    fitParts = addComponents(fitParts, parts);
    for (let t = 0; t < T; t++) actual[t] += data.y[g * T + t];
  }
  const fit = mmmFitOutputs(data, fitParts as Components, actual);
  const keep = thinIndices(draws.length, OPTIMISER_DRAWS);
  const perChannel = mmmChannelOutputs(data, response, national as GeoChannelDraws[], keep);
  return {
    dates: data.dates.map(toIsoDate),
    train: data.train,
    periodDays: data.periodDays,
    target: data.target,
    targetKind: data.targetKind,
    actual: Array.from(actual),
    fitted: fit.fitted,
    predictive: fit.predictive,
    metrics: fit.metrics,
    contributions: fit.contributions,
    channels: perChannel.channels,
    responseCurves: perChannel.responseCurves,
    adstockCurves: perChannel.adstockCurves,
    priorPosterior: priorPosterior(posterior, priors),
    optimizerDraws: thinResponse(response, keep),
    periods: mmmPeriodDraws(data, fitParts as Components, actual, thinIndices(draws.length, PERIOD_DRAWS)),
    ...(data.revenuePerKpi ? { revenuePerKpi: data.revenuePerKpi.name } : {}),
    ...(geo ? { geo: geo.outputs() } : {}),
  };
}

/** The response model on the draws `keep`. */
function thinResponse(m: ResponseModel, keep: readonly number[]): ResponseModel {
  return {
    ...m,
    adstockParams: keep.map((k) => m.adstockParams[k]),
    saturationParams: keep.map((k) => m.saturationParams[k]),
    ...(m.geo ? { geo: { ...m.geo, multiplier: keep.map((k) => (m.geo as GeoResponse).multiplier[k]) } } : {}),
  };
}

/** Posterior density of every flat parameter (from every draw) and its prior's density on the same grid. */
function priorPosterior(posterior: Posterior, priors: Record<string, Prior>): MmmOutputs['priorPosterior'] {
  const out: MmmOutputs['priorPosterior'] = {};
  for (const name of posterior.names) {
    const h = density(posterior.column(name));
    const prior = priors[name.replace(/\[.*$/, '')];
    out[name] = {
      x: h.x,
      posterior: h.density,
      prior: h.x.map((x) => {
        const p = prior ? Math.exp(priorLogPdfF64(prior, x)) : 0;
        return Number.isFinite(p) ? p : 0;
      }),
    };
  }
  return out;
}
