/**
 * The contract between the worker and each model family. A model validates its columns and
 * config, builds a CompiledModel for the engine, and turns posterior draws into outputs.
 */
import type { FitSpec, ModelName } from '../api/types';
import type { Table } from '../data/table';
import type { CompiledModel, Posterior } from '../engine/types';
import type { OptionDeclarations } from './options';
import type { EstimateColumns } from './summaries';

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
  /**
   * Draws of the target from the priors alone, against the data (a prior predictive check before
   * fitting); absent where a model has none. Throws InputError as `prepare` does.
   */
  priorPredictive?(table: Table, spec: FitSpec, options: PriorPredictiveOptions): PriorPredictive;
}

/** How many prior draws a prior predictive check takes, and its seed. */
export interface PriorPredictiveOptions {
  draws: number;
  seed: number;
}

/**
 * A prior predictive check: the target drawn from the priors (parameters from their priors, then
 * the likelihood's noise), row by row, against the observed target. Target units.
 */
export interface PriorPredictive {
  /** The target's column name. */
  target: string;
  /** Row dates (ISO yyyy-mm-dd). */
  dates: string[];
  /** The observed target. */
  actual: number[];
  /** Per row: mean, sd and 94% HDI of the prior predictive draws. */
  predictive: EstimateColumns;
  /** A few individual draws (each all rows), to show what single prior worlds look like. */
  samples: number[][];
  /** Share of the observed values inside the prior predictive 94% HDI (near 1: the priors allow the data). */
  coverage: number;
  /** Draws taken. */
  draws: number;
}
