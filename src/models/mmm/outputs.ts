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
import { mmmChannelOutputs, type MmmChannelOutputs } from './channel-outputs';
import { mmmDraws, responseModel } from './draws';
import { mmmComponents, mmmFitOutputs, type MmmFitOutputs } from './fit-outputs';
import { mmmPeriodDraws, type MmmPeriodDraws } from './period-draws';
import type { MmmData } from './prepare';
import { channelContribution, type ResponseModel } from './response';

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
  /** Observed target, all rows (target units). */
  actual: number[];
  /** Posterior histogram (density) and the prior density on the same grid, per flat parameter. */
  priorPosterior: Record<string, { x: number[]; posterior: number[]; prior: number[] }>;
  /** Thinned draws (<= 200) of the media parameters, for the optimiser and scenario forecast. */
  optimizerDraws: ResponseModel;
  /** Per draw (<= 100), every part of the fit summed by month, for period comparisons (period-comparison.ts). */
  periods: MmmPeriodDraws;
}

/** Every MMM output from the posterior (see MmmOutputs). */
export function mmmOutputs(data: MmmData, posterior: Posterior, priors: Record<string, Prior>): MmmOutputs {
  const draws = mmmDraws(data, posterior, OUTPUT_DRAWS);
  const response = responseModel(data, draws);
  // Media contribution per draw and channel over all rows (target units).
  const media = draws.map((_, d) => data.channels.map((_, c) => channelContribution(response, d, c, data.spend[c])));
  const parts = mmmComponents(data, draws, media);
  const fit = mmmFitOutputs(data, draws, parts);
  const keep = thinIndices(draws.length, OPTIMISER_DRAWS);
  const perChannel = mmmChannelOutputs(data, response, media, keep);
  return {
    dates: data.dates.map(toIsoDate),
    train: data.train,
    periodDays: data.periodDays,
    target: data.target,
    targetKind: data.targetKind,
    actual: Array.from(data.y),
    fitted: fit.fitted,
    predictive: fit.predictive,
    metrics: fit.metrics,
    contributions: fit.contributions,
    channels: perChannel.channels,
    responseCurves: perChannel.responseCurves,
    adstockCurves: perChannel.adstockCurves,
    priorPosterior: priorPosterior(posterior, priors),
    optimizerDraws: {
      ...response,
      adstockParams: keep.map((k) => response.adstockParams[k]),
      saturationParams: keep.map((k) => response.saturationParams[k]),
    },
    periods: mmmPeriodDraws(data, parts, thinIndices(draws.length, PERIOD_DRAWS)),
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
