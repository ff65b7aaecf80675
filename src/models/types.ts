/**
 * The contract between the worker and each model family. A model validates its columns and
 * config, builds a CompiledModel for the engine, and turns posterior draws into outputs.
 */
import type { FitSpec, ModelName } from '../api/types';
import type { Table } from '../data/table';
import type { CompiledModel, Posterior } from '../engine/types';
import type { OptionDeclarations } from './options';

/**
 * An empty record for keys that come from the data (channel names, cohort labels): it has no
 * prototype, so a column named "__proto__" or "constructor" is an ordinary key, not a setter or an
 * inherited member. (Structured clone and JSON keep such keys as own properties.)
 */
export function dataRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A model ready for the engine, and how its posterior becomes its outputs `O`. */
export interface PreparedModel<O extends object = object> {
  readonly model: CompiledModel;
  /**
   * Model-specific outputs (documented in README) from the posterior, in the data's original units,
   * every uncertain number as an `Estimate` (mean, sd, 94% HDI). Plain JSON-serialisable values only:
   * runs are stored in IndexedDB and sent across the worker boundary.
   */
  outputs(posterior: Posterior): O;
}

/**
 * A model the registry can fit: model `N`, whose runs' `outputs` are `O` (the registry derives
 * `api/types.ts`'s `ModelOutputs` from these, so the UI reads outputs as the model builds them).
 */
export interface ModelDefinition<N extends ModelName = ModelName, O extends object = object> {
  readonly name: N;
  /** The model's name in messages ("BG/NBD", "interrupted time series"). */
  readonly label: string;
  /** Every role `spec.columns` may name (required and optional); any other is an error. */
  readonly roles: readonly string[];
  /** The options `spec.config` may hold (options.ts): type, default, bounds, description. */
  readonly options: OptionDeclarations;
  /** Every key `spec.config` may hold (the keys of `options`); any other is an error. */
  readonly configKeys: readonly string[];
  /**
   * Checks `spec.columns` / `spec.config` (against `roles` / `options` first, see define.ts)
   * against the table and builds the model. Throws
   * `InputError` (src/api/errors.ts) naming the column, row and what was expected on bad input.
   */
  prepare(table: Table, spec: FitSpec): PreparedModel<O>;
}
