/**
 * What a budget is split over: the channels (national totals; in a geo-level model each channel's
 * total is split over the geos in proportion to their historical spend on it, as
 * `channelContribution` does), or, for a geo-level model, each channel x geo cell with its own
 * total. The budget optimiser, the scenario forecast and the marginal-ROAS breakevens all read a
 * model's cells through this module (float64, no tfjs).
 */
import { InputError } from '../../api/errors';
import { SATURATIONS } from './saturation';
import { channelContribution, channelWeights, evenSpendProfile, geoChannelContribution, geoSpendShares, type ResponseModel } from './response';

/** `channel`: one cell per channel; `geo`: one per channel x geo (geo-level models only). */
export type BudgetCells = 'channel' | 'geo';

/** The cells of a model's budget, channel-major (with geos: every geo of the first channel, then the next channel's). */
export interface CellLayout {
  by: BudgetCells;
  /** A cell's name: its channel, or `channel · geo`. */
  labels: string[];
  /** Channel index of each cell. */
  channel: number[];
  /** Geo index of each cell; -1 for a national channel cell. */
  geo: number[];
  /** Historical mean spend per period of each cell (spend units). */
  meanSpend: number[];
}

/** The cells of `m` split by `by`; by geo needs a geo-level model. */
export function cellLayout(m: ResponseModel, by: BudgetCells = 'channel'): CellLayout {
  if (by === 'channel') return { by, labels: m.channels.slice(), channel: m.channels.map((_, c) => c), geo: m.channels.map(() => -1), meanSpend: m.meanSpend.slice() };
  const geo = m.geo;
  if (!geo) throw new InputError('This model has one geo: a budget per channel and geo needs a geo-level model (data with the geo role and 2+ geos).');
  const cells = m.channels.flatMap((ch, c) => geo.geos.map((g, k) => ({ label: `${ch} · ${g}`, c, k })));
  return {
    by,
    labels: cells.map((x) => x.label),
    channel: cells.map((x) => x.c),
    geo: cells.map((x) => x.k),
    meanSpend: cells.map((x) => geo.meanSpend[x.k][x.c]),
  };
}

/** Contribution per period (target units) of cell `i` to a spend series there (spend units), draw `d`. */
export function cellContribution(m: ResponseModel, layout: CellLayout, d: number, i: number, spend: ArrayLike<number>): Float64Array {
  const g = layout.geo[i];
  return g < 0 ? channelContribution(m, d, layout.channel[i], spend) : geoChannelContribution(m, d, layout.channel[i], g, spend);
}

/**
 * The (geo, share, xMax, yMax x multiplier) parts of cell `i` in draw `d`: one part for a national
 * model's channel or a geo cell; every geo with spend for a geo model's national channel cell.
 */
function cellParts(m: ResponseModel, layout: CellLayout, d: number, i: number): { share: number; xMax: number; yScale: number }[] {
  const c = layout.channel[i];
  const geo = m.geo;
  if (!geo) return [{ share: 1, xMax: m.xMax[c], yScale: m.yMax }];
  const part = (g: number, share: number) => ({ share, xMax: geo.xMax[g][c], yScale: geo.yMax[g] * geo.multiplier[d][g][c] });
  if (layout.geo[i] >= 0) return [part(layout.geo[i], 1)];
  return geoSpendShares(m, c).flatMap((share, g) => (share > 0 ? [part(g, share)] : []));
}

/** Per draw and cell: the total response (target units) to a cell total `b` spent evenly over the horizon, carry-over included. */
export interface ResponseTable {
  cells: number;
  response(d: number, i: number, b: number): number;
}

/**
 * An even-spend adstock profile as its distinct levels and how many periods sit at each: the
 * periods between the ramp-up and the carry-over all sit at the full level, so a long horizon
 * costs no more saturation evaluations than a short one.
 */
function compressProfile(a: Float64Array): { level: number[]; count: number[] } {
  const level: number[] = [];
  const count: number[] = [];
  for (const v of a) {
    const k = level.indexOf(v);
    if (k >= 0) count[k]++;
    else {
      level.push(v);
      count.push(1);
    }
  }
  return { level, count };
}

export function responseTable(m: ResponseModel, layout: CellLayout, horizon: number): ResponseTable {
  const profiles = m.adstockParams.map((_, d) => m.channels.map((_, c) => compressProfile(evenSpendProfile(channelWeights(m, d, c), horizon))));
  const parts = m.adstockParams.map((_, d) => layout.labels.map((_, i) => cellParts(m, layout, d, i)));
  const f = SATURATIONS[m.saturation].f64;
  return {
    cells: layout.labels.length,
    response(d, i, b) {
      const { level, count } = profiles[d][layout.channel[i]];
      const p = m.saturationParams[d][layout.channel[i]];
      let s = 0;
      for (const part of parts[d][i]) {
        const x = (b * part.share) / horizon / part.xMax;
        let r = 0;
        for (let k = 0; k < level.length; k++) r += count[k] * f(x * level[k], p);
        s += part.yScale * r;
      }
      return s;
    },
  };
}

/**
 * Contribution per period (target units) of cell `i` in draw `d` to a spend `s` per period held
 * for long: the normalised adstock (weights sum to 1) carries it to the level s, so it is
 * sum over the cell's parts of yScale f(s share / xMax).
 */
export function steadyContribution(m: ResponseModel, layout: CellLayout, d: number, i: number, s: number): number {
  const f = SATURATIONS[m.saturation].f64;
  const p = m.saturationParams[d][layout.channel[i]];
  return cellParts(m, layout, d, i).reduce((acc, part) => acc + part.yScale * f((s * part.share) / part.xMax, p), 0);
}
