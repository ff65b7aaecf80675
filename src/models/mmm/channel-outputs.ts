/**
 * What each channel of an MMM did over the fitted rows, in the data's original units from
 * thinned draws: its total contribution, share, ROAS and marginal ROAS as Estimates, its response
 * curve (total contribution when the historical spend pattern is scaled 0..2x) and its adstock
 * decay curve, with 94% HDIs.
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { estimateColumns, type EstimateColumns } from '../summaries';
import { dataRecord } from '../types';
import { adstockWidth } from './adstock';
import { cpaEstimate } from './cpa';
import { sum } from './draws';
import type { MmmData } from './prepare';
import { channelContribution, channelWeights, drawCount, type ResponseModel } from './response';

/** Spend multipliers of the response curves: 0 to 2x the historical spend. */
const CURVE_MULTIPLIERS = Array.from({ length: 21 }, (_, i) => i / 10);
/** Relative spend bump for the marginal ROAS (finite difference). */
const MROAS_BUMP = 0.01;

/** One channel's totals over the fitted rows (original units). */
export interface MmmChannel {
  /** Total spend (spend units). */
  spend: number;
  /** Total contribution (target units). */
  contribution: Estimate;
  /**
   * The per-draw totals behind `contribution` (<= 200, the draws of `optimizerDraws`): with a
   * target that counts new customers, incremental customers, for LTV/CAC.
   */
  contributionDraws: number[];
  /** Share of the total media contribution (fraction). */
  share: Estimate;
  /** Contribution per unit of spend. */
  roas: Estimate;
  /** Marginal ROAS at current spend: extra contribution per extra unit of spend (+1% bump). */
  mroas: Estimate;
  /**
   * With a count target (`MmmOutputs.targetKind` 'count'): spend per acquisition (cpa.ts), null
   * when unbounded (some draw's contribution is 0 or less); absent for a value target.
   */
  cpa?: Estimate | null;
  /** With a count target: the marginal cost per acquisition at current spend (1 / marginal ROAS per draw), null when unbounded. */
  mcpa?: Estimate | null;
}

/** The per-channel part of `MmmOutputs`. */
export interface MmmChannelOutputs {
  /** Per channel over the fitted rows (original units). */
  channels: Record<string, MmmChannel>;
  /** Total contribution over the fitted rows vs total spend when the historical spend pattern is scaled 0..2x. */
  responseCurves: Record<string, { spend: number[] } & EstimateColumns>;
  /** Share of a period's spend acting at each lag (weights sum to 1). */
  adstockCurves: Record<string, { lag: number[] } & EstimateColumns>;
}

/**
 * The channel outputs of `response`, whose media contributions per draw and channel are `media`
 * (target units, all rows); `keep` are the draws behind `contributionDraws`.
 */
export function mmmChannelOutputs(data: MmmData, response: ResponseModel, media: readonly (readonly Float64Array[])[], keep: readonly number[]): MmmChannelOutputs {
  const train = data.train;
  const D = drawCount(response);
  const draws = Array.from({ length: D }, (_, d) => d);
  const totals = media.map((mc) => mc.map((series) => sum(series, 0, train)));
  const channels: MmmChannelOutputs['channels'] = dataRecord();
  const responseCurves: MmmChannelOutputs['responseCurves'] = dataRecord();
  const adstockCurves: MmmChannelOutputs['adstockCurves'] = dataRecord();
  const width = adstockWidth(data.config.adstock, data.config.lMax);
  data.channels.forEach((ch, c) => {
    const spendSeries = data.spend[c];
    const spend = sum(spendSeries, 0, train);
    const scaledTotal = (d: number, k: number) => sum(channelContribution(response, d, c, spendSeries.map((v) => v * k)), 0, train);
    const bumped = draws.map((d) => scaledTotal(d, 1 + MROAS_BUMP) - totals[d][c]);
    channels[ch] = {
      spend,
      contribution: estimate(totals.map((t) => t[c])),
      contributionDraws: keep.map((k) => totals[k][c]),
      share: estimate(totals.map((t) => t[c] / Math.max(1e-300, Math.abs(sum(t))))),
      roas: estimate(totals.map((t) => t[c] / spend)),
      mroas: estimate(bumped.map((b) => b / (MROAS_BUMP * spend))),
      ...(data.targetKind === 'count' ? { cpa: cpaEstimate(spend, totals.map((t) => t[c])), mcpa: cpaEstimate(MROAS_BUMP * spend, bumped) } : {}),
    };
    const curve = CURVE_MULTIPLIERS.map((k) => draws.map((d) => (k === 1 ? totals[d][c] : k === 0 ? 0 : scaledTotal(d, k))));
    responseCurves[ch] = { spend: CURVE_MULTIPLIERS.map((k) => k * spend), ...estimateColumns(CURVE_MULTIPLIERS.length, D, (i, d) => curve[i][d]) };
    const weights = draws.map((d) => channelWeights(response, d, c));
    adstockCurves[ch] = { lag: Array.from({ length: width }, (_, l) => l), ...estimateColumns(width, D, (l, d) => weights[d][l]) };
  });
  return { channels, responseCurves, adstockCurves };
}
