/**
 * The per-geo outputs of a geo-level MMM (`MmmOutputs.geo`, absent for one-geo data), in the
 * data's original units from thinned posterior draws, each with a 94% HDI: how the model fits each
 * geo, each channel's contribution over time per geo, the geo x channel table (contribution, share,
 * ROAS, marginal ROAS) and the response curves per geo. The national view (`MmmOutputs` itself) is
 * the sum over geos.
 */
import type { Estimate } from '../../api/types';
import { estimateColumns, type EstimateColumns } from '../summaries';
import { dataRecord } from '../types';
import { channelSummaries, responseCurve, type GeoChannelDraws } from './channel-outputs';
import { bayesianR2, type Components } from './fit-outputs';
import type { MmmData } from './prepare';

/** One cell of the geo x channel table, over the fitted rows (original units). */
export interface MmmGeoChannel {
  geo: string;
  channel: string;
  /** Total spend in the geo (spend units). */
  spend: number;
  /** Total contribution in the geo (target units). */
  contribution: Estimate;
  /** Share of the geo's total media contribution (fraction). */
  share: Estimate;
  /** Contribution per unit of spend (revenue per unit of spend when the data gives revenue per KPI). */
  roas: Estimate;
  /** Extra contribution (or revenue) per extra unit of spend at the geo's current spend (+1% bump). */
  mroas: Estimate;
  /** With a count target: spend per acquisition in the geo, null when unbounded (as `MmmChannel.cpa`). */
  cpa?: Estimate | null;
  /** With a count target: the marginal cost per acquisition in the geo, null when unbounded. */
  mcpa?: Estimate | null;
}

/** `MmmOutputs.geo`: the per-geo view of a geo-level MMM. */
export interface MmmGeoOutputs {
  /** Geo names (index g everywhere below). */
  geos: string[];
  /** Population per geo, when the data gives it. */
  population?: number[];
  /** Observed target per geo, all rows: `[geo][period]` (target units). */
  actual: number[][];
  /** Posterior of the expected target per geo, all rows: `[geo]`. */
  fitted: EstimateColumns[];
  /** Bayesian R^2 per geo over the fitted rows. */
  r2: Estimate[];
  /** Contribution of each channel per period in each geo: `[geo]` by channel (target units). */
  contributions: Record<string, EstimateColumns>[];
  /** The geo x channel table, geo-major (geo 0's channels first). */
  table: MmmGeoChannel[];
  /**
   * Per geo and channel, total contribution over the fitted rows when the geo's historical spend
   * pattern on the channel is scaled 0..2x: `[geo]` by channel.
   */
  responseCurves: Record<string, { spend: number[] } & EstimateColumns>[];
}

/** Collects the per-geo outputs one geo at a time (outputs.ts loops over the geos once). */
export function geoOutputsBuilder(data: MmmData): { add(g: number, parts: Components, cells: readonly GeoChannelDraws[]): void; outputs(): MmmGeoOutputs } {
  const T = data.dates.length;
  const out: MmmGeoOutputs = {
    geos: [...data.geos],
    ...(data.population ? { population: [...data.population] } : {}),
    actual: data.geos.map((_, g) => Array.from(data.y.subarray(g * T, (g + 1) * T))),
    fitted: [],
    r2: [],
    contributions: [],
    table: [],
    responseCurves: [],
  };
  return {
    add(g, parts, cells) {
      const D = parts.mu.length;
      out.fitted[g] = estimateColumns(T, D, (t, d) => parts.mu[d][t]);
      out.r2[g] = bayesianR2(data.train, data.y.subarray(g * T, (g + 1) * T), parts.mu);
      const contributions = dataRecord<EstimateColumns>();
      const curves = dataRecord<{ spend: number[] } & EstimateColumns>();
      const summaries = channelSummaries(cells, data.targetKind === 'count');
      data.channels.forEach((ch, c) => {
        contributions[ch] = estimateColumns(T, D, (t, d) => cells[c].series[d][t]);
        curves[ch] = responseCurve(cells[c].spend, cells[c].curve);
        const { spend, contribution, share, roas, mroas, cpa, mcpa } = summaries[c];
        out.table.push({ geo: data.geos[g], channel: ch, spend, contribution, share, roas, mroas, ...(cpa !== undefined ? { cpa, mcpa } : {}) });
      });
      out.contributions[g] = contributions;
      out.responseCurves[g] = curves;
    },
    outputs: () => out,
  };
}
