/**
 * The per-geo outputs of a geo-level MMM (`MmmOutputs.geo`, absent for one-geo data), in the
 * data's original units from thinned posterior draws, each with a 94% HDI: how the model fits each
 * geo, each channel's contribution over time per geo, the geo x channel table (contribution, share,
 * ROAS, marginal ROAS) and the response curves per geo. The national view (`MmmOutputs` itself) is
 * the sum over geos.
 */
import type { Estimate } from '../../api/types';
import type { EstimateColumns } from '../summaries';

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
