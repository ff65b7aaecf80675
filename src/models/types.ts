/**
 * The contract between the worker and each model family. A model validates its columns and
 * config, builds a CompiledModel for the engine, and turns posterior draws into outputs.
 */
import type { FitSpec, ModelName } from '../api/types';
import type { Table } from '../data/table';
import type { CompiledModel, Posterior } from '../engine/types';

export interface PreparedModel {
  readonly model: CompiledModel;
  /**
   * Model-specific outputs (documented in README) from the posterior, in the data's original units,
   * every uncertain number as an `Estimate` (mean, sd, 94% HDI). Plain JSON-serialisable values only:
   * runs are stored in IndexedDB and sent across the worker boundary.
   */
  outputs(posterior: Posterior): Record<string, unknown>;
}

export interface ModelDefinition {
  readonly name: ModelName;
  /**
   * Checks `spec.columns` / `spec.config` against the table and builds the model. Throws
   * `InputError` (src/api/errors.ts) naming the column, row and what was expected on bad input.
   */
  prepare(table: Table, spec: FitSpec): PreparedModel;
}
