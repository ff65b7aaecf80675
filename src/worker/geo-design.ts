/**
 * A geo test design on a stored pre-period dataset (no model fit: closed-form scoring of candidate
 * treatment sets, src/models/causal/geo-design.ts).
 */
import { InputError } from '../api/errors';
import type { GeoDesign, GeoDesignConfig } from '../models/causal/geo-design';
import { designGeoTest, geoPanel } from '../models/causal/geo-design';
import { findDataset } from '../store/db';
import type { JobContext } from './job';

export interface GeoDesignRequest {
  dataset: string;
  /** Roles geo, date, outcome, spend (optional). */
  columns: Record<string, string>;
  /** Only rows dated before this (ISO date, or a number on a number axis) are the pre-period; all rows without it. */
  before?: string;
  config: GeoDesignConfig;
}

/** Designs a geo test on the stored dataset `request.dataset`; progress per candidate, cancellable. */
export async function geoDesignOf(request: GeoDesignRequest, ctx: JobContext): Promise<GeoDesign> {
  const stored = await findDataset(request.dataset);
  if (!stored) throw new InputError(`No dataset named or with id "${request.dataset}".`);
  return designGeoTest(geoPanel(stored.table, request.columns, request.before), request.config, ctx);
}
