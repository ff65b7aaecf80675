/** Types of test/data/generate-geo-mmm-sample.mjs (imported by the unit tests). */
export interface GeoMmmTruth {
  channels: string[];
  geos: string[];
  /** Geometric adstock alpha per channel. */
  alpha: number[];
  /** Logistic lam per channel (per-capita max-scaled axis). */
  lam: number[];
  /** National ROAS per channel (sales per unit of spend, all weeks). */
  roas: number[];
  /** ROAS per geo and channel `[g][c]`. */
  roasGeo: number[][];
  population: number[];
}
/** Simulated geo MMM data with known parameters (see the script's header). */
export function simulateGeoMmm(options?: { geos?: number; weeks?: number; channels?: number; seed?: number }): { csv: string; truth: GeoMmmTruth };
