/**
 * Posterior summaries every model family writes its outputs with: thinned draws, series with
 * intervals, histograms and densities. Float64, no tfjs.
 */
import type { Estimate } from '../api/types';
import { estimate } from '../engine/diagnostics';
import { thinIndices } from '../engine/thin';
import type { Posterior } from '../engine/types';

/**
 * A series with intervals: mean, sd and 94% HDI per element, column-wise (lean to store for
 * thousands of customers or periods). Element i summarises the draws of the i-th value.
 */
export interface EstimateColumns {
  mean: number[];
  sd: number[];
  hdiLow: number[];
  hdiHigh: number[];
}

/** Equal-width bins: `edges` has one more entry than `counts`. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** A histogram as a density (integrating to 1) at the bin centres. */
export interface Density {
  x: number[];
  density: number[];
}

/**
 * Up to `max` draws evenly spaced over all chains (`thinIndices`), each as an object of its
 * parameters; `column` maps a parameter to its flat name (e.g. `r[search]`).
 */
export function thinnedDraws<P extends object>(posterior: Posterior, names: readonly (keyof P & string)[], max: number, column = (n: string) => n): P[] {
  const cols = names.map((n) => posterior.column(column(n)));
  return thinIndices(cols[0].length, max).map((j) => Object.fromEntries(names.map((n, c) => [n, cols[c][j]])) as P);
}

/** The series of `value(row, draw)` over `rows` rows, each summarised over `draws` draws. */
export function estimateColumns(rows: number, draws: number, value: (row: number, draw: number) => number): EstimateColumns {
  const out: EstimateColumns = { mean: [], sd: [], hdiLow: [], hdiHigh: [] };
  const buf = new Float64Array(draws);
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < draws; d++) buf[d] = value(i, d);
    const e: Estimate = estimate(buf);
    out.mean.push(e.mean);
    out.sd.push(e.sd);
    out.hdiLow.push(e.hdiLow);
    out.hdiHigh.push(e.hdiHigh);
  }
  return out;
}

/**
 * Equal-width bins over the finite values' range; `from` fixes the lower edge (0 for values that
 * cannot be negative). Values all equal get a narrow range around them (above `from` when given).
 */
export function histogram(values: ArrayLike<number>, bins: number, from?: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (from !== undefined && Number.isFinite(lo)) lo = Math.min(from, lo);
  if (!(hi > lo)) {
    if (!Number.isFinite(lo)) lo = 0;
    const pad = Math.abs(lo) * 1e-3 + 1e-9;
    if (from === undefined) lo -= pad;
    hi = lo + (from === undefined ? 2 * pad : 1);
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    counts[Math.min(bins - 1, Math.floor((values[i] - lo) / width))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

/** Bins of a posterior density plot. */
export const DENSITY_BINS = 40;

/** The histogram of the finite `values` as a density on `bins` equal bins, at the bin centres. */
export function density(values: ArrayLike<number>, bins = DENSITY_BINS): Density {
  const { edges, counts } = histogram(values, bins);
  const width = edges[1] - edges[0];
  const total = counts.reduce((a, b) => a + b, 0);
  return { x: counts.map((_, i) => edges[i] + width / 2), density: counts.map((c) => c / (total * width)) };
}

/** Posterior densities of the flat parameters `names`. */
export function densities(posterior: Posterior, names: readonly string[]): Record<string, Density> {
  return Object.fromEntries(names.map((n) => [n, density(posterior.column(n))]));
}
