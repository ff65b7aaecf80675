/**
 * What each channel of an MMM did over the fitted periods, in the data's original units from
 * thinned draws: its total contribution, share, ROAS and marginal ROAS as Estimates, its response
 * curve (total contribution when the historical spend pattern is scaled 0..2x) and its adstock
 * decay curve, with 94% HDIs. Computed per geo (`geoChannelDraws`) and summed over geos for the
 * national view (`mmmChannelOutputs`); with revenue per KPI, ROAS and marginal ROAS are revenue
 * per unit of spend.
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { estimateColumns, type EstimateColumns } from '../summaries';
import { dataRecord } from '../types';
import { adstockWidth, applyAdstockF64 } from './adstock';
import { cpaEstimate } from './cpa';
import { geoSpend, spendEquivalent, sum } from './draws';
import type { MmmData } from './prepare';
import { channelWeights, drawCount, type ResponseModel } from './response';
import { SATURATIONS } from './saturation';

/** Spend multipliers of the response curves: 0 to 2x the historical spend. */
export const CURVE_MULTIPLIERS = Array.from({ length: 21 }, (_, i) => i / 10);
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
  /** Contribution per unit of spend (revenue per unit of spend with revenue per KPI). */
  roas: Estimate;
  /** Marginal ROAS at current spend: extra contribution (or revenue) per extra unit of spend (+1% bump). */
  mroas: Estimate;
  /**
   * With a count target (`MmmOutputs.targetKind` 'count'): spend per acquisition (cpa.ts), null
   * when unbounded (some draw's contribution is 0 or less); absent for a value target.
   */
  cpa?: Estimate | null;
  /** With a count target: the marginal cost per acquisition at current spend (extra spend per extra unit of target, per draw), null when unbounded. */
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

/** One channel in one geo, per draw, over the fitted periods. */
export interface GeoChannelDraws {
  /** Spend over the fitted periods (spend units). */
  spend: number;
  /** Contribution per period, all periods (target units), per draw. */
  series: Float64Array[];
  /** Total contribution over the fitted periods, per draw. */
  total: Float64Array;
  /** Total value (contribution times revenue per KPI; the contribution without it), per draw. */
  value: Float64Array;
  /** Value gained by spending 1% more in every period, per draw. */
  bump: Float64Array;
  /** Contribution (target units) gained by spending 1% more in every period, per draw. */
  kpiBump: Float64Array;
  /** Total contribution at each of CURVE_MULTIPLIERS, for the first `curveDraws` draws: `[k][d]`. */
  curve: Float64Array[];
}

/**
 * Channel c in geo g of the response model `m` (whose draws are the outputs' draws): its
 * contribution, value, marginal value and response curve per draw. Adstock is linear, so the
 * historical media is adstocked once per draw and every spend multiple is saturated from it.
 */
export function geoChannelDraws(data: MmmData, m: ResponseModel, g: number, c: number, curveDraws: number): GeoChannelDraws {
  const T = data.dates.length;
  const train = data.train;
  const D = drawCount(m);
  const history = spendEquivalent(data, c, g);
  const xScale = m.geo ? m.geo.xMax[g][c] : m.xMax[c];
  const yScale = m.geo ? m.geo.yMax[g] : m.yMax;
  const scaled = history.map((v) => v / xScale);
  const rpk = data.revenuePerKpi?.values;
  const f = SATURATIONS[m.saturation].f64;
  const total = new Float64Array(D);
  const value = new Float64Array(D);
  const bump = new Float64Array(D);
  const kpiBump = new Float64Array(D);
  const curve = CURVE_MULTIPLIERS.map(() => new Float64Array(Math.min(D, curveDraws)));
  const series = Array.from({ length: D }, (_, d) => {
    const a = applyAdstockF64(scaled, channelWeights(m, d, c));
    const p = m.saturationParams[d][c];
    const k = yScale * (m.geo ? m.geo.multiplier[d][g][c] : 1);
    const out = a.map((x) => k * f(x, p));
    for (let t = 0; t < train; t++) {
      const r = rpk ? rpk[g * T + t] : 1;
      total[d] += out[t];
      value[d] += r * out[t];
      const gain = k * f(a[t] * (1 + MROAS_BUMP), p) - out[t];
      bump[d] += r * gain;
      kpiBump[d] += gain;
    }
    if (d < curveDraws) {
      CURVE_MULTIPLIERS.forEach((mult, i) => {
        let s = 0;
        if (mult === 1) s = total[d];
        else if (mult > 0) for (let t = 0; t < train; t++) s += k * f(a[t] * mult, p);
        curve[i][d] = s;
      });
    }
    return out;
  });
  return { spend: sum(geoSpend(data, c, g), 0, train), series, total, value, bump, kpiBump, curve };
}

/** Contribution, share, ROAS and marginal ROAS of each channel from its draws (channel totals `[c]`). */
export function channelSummaries(cells: readonly Pick<GeoChannelDraws, 'spend' | 'total' | 'value' | 'bump' | 'kpiBump'>[], count = false): Omit<MmmChannel, 'contributionDraws'>[] {
  const D = cells[0].total.length;
  const media = Float64Array.from({ length: D }, (_, d) => cells.reduce((s, cell) => s + cell.total[d], 0));
  return cells.map((cell) => ({
    spend: cell.spend,
    contribution: estimate(cell.total),
    share: estimate(Float64Array.from(cell.total, (v, d) => v / Math.max(1e-300, Math.abs(media[d])))),
    roas: estimate(Float64Array.from(cell.value, (v) => v / cell.spend)),
    mroas: estimate(Float64Array.from(cell.bump, (b) => b / (MROAS_BUMP * cell.spend))),
    ...(count ? { cpa: cpaEstimate(cell.spend, cell.total), mcpa: cpaEstimate(MROAS_BUMP * cell.spend, cell.kpiBump) } : {}),
  }));
}

/** The response curve of a channel from its `[k][d]` curve totals and its spend. */
export function responseCurve(spend: number, curve: readonly Float64Array[]): { spend: number[] } & EstimateColumns {
  return { spend: CURVE_MULTIPLIERS.map((k) => k * spend), ...estimateColumns(CURVE_MULTIPLIERS.length, curve[0].length, (i, d) => curve[i][d]) };
}

/**
 * The national channel outputs from each channel's draws summed over geos (`national[c]`); `keep`
 * are the draws behind `contributionDraws`.
 */
export function mmmChannelOutputs(data: MmmData, m: ResponseModel, national: readonly GeoChannelDraws[], keep: readonly number[]): MmmChannelOutputs {
  const channels: MmmChannelOutputs['channels'] = dataRecord();
  const responseCurves: MmmChannelOutputs['responseCurves'] = dataRecord();
  const adstockCurves: MmmChannelOutputs['adstockCurves'] = dataRecord();
  const width = adstockWidth(data.config.adstock, data.config.lMax);
  const D = drawCount(m);
  const summaries = channelSummaries(national, data.targetKind === 'count');
  data.channels.forEach((ch, c) => {
    channels[ch] = { ...summaries[c], contributionDraws: keep.map((k) => national[c].total[k]) };
    responseCurves[ch] = responseCurve(national[c].spend, national[c].curve);
    const weights = Array.from({ length: D }, (_, d) => channelWeights(m, d, c));
    adstockCurves[ch] = { lag: Array.from({ length: width }, (_, l) => l), ...estimateColumns(width, D, (l, d) => weights[d][l]) };
  });
  return { channels, responseCurves, adstockCurves };
}

/** Adds `part` into `total` (same draws), in place, returning `total`; the series are not summed (the fit outputs hold them). */
export function addChannelDraws(total: GeoChannelDraws | undefined, part: GeoChannelDraws): GeoChannelDraws {
  if (!total) return { ...part, total: part.total.slice(), value: part.value.slice(), bump: part.bump.slice(), kpiBump: part.kpiBump.slice(), curve: part.curve.map((x) => x.slice()), series: [] };
  total.spend += part.spend;
  const add = (a: Float64Array, b: Float64Array) => a.forEach((_, i) => (a[i] += b[i]));
  add(total.total, part.total);
  add(total.value, part.value);
  add(total.bump, part.bump);
  add(total.kpiBump, part.kpiBump);
  total.curve.forEach((x, i) => add(x, part.curve[i]));
  return total;
}
