/**
 * A model definition declares the column roles and config keys it reads, and its `prepare` checks
 * a FitSpec against them before anything else: an unknown role or option (a typo, which would
 * otherwise keep a default silently) is an error naming the model's accepted ones. Every model in
 * the registry is made here, so the check is the same for all of them.
 */
import { InputError } from '../api/errors';
import type { FitSpec, ModelName } from '../api/types';
import type { Table } from '../data/table';
import { checkConfigKeys } from './options';
import type { ModelDefinition, PreparedModel } from './types';

/** What a model file declares; `defineModel` adds the spec check. */
export type ModelDeclaration<N extends ModelName, O extends object> = Omit<ModelDefinition<N, O>, 'prepare'> & {
  prepare(table: Table, spec: FitSpec): PreparedModel<O>;
};

/** Throws on a role or config key that `model` does not declare, listing those it does. */
export function checkSpecKeys(spec: FitSpec, model: Pick<ModelDefinition, 'label' | 'roles' | 'configKeys'>): void {
  const columns: unknown = spec.columns;
  if (!columns || typeof columns !== 'object' || Array.isArray(columns)) {
    throw new InputError(`columns must be an object mapping roles to column names (the roles of ${model.label} are ${model.roles.join(', ')}).`);
  }
  const unknown = Object.keys(columns).find((role) => !model.roles.includes(role));
  if (unknown !== undefined) {
    throw new InputError(`"${unknown}" is not a column role of ${model.label}; its roles are ${model.roles.join(', ')}.`);
  }
  const config: unknown = spec.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputError(`config must be an object of options (the options of ${model.label} are ${model.configKeys.join(', ')}).`);
  }
  checkConfigKeys(config as Record<string, unknown>, model.configKeys, model.label);
}

/** The registry's form of a model: `prepare` first checks the spec's roles and config keys. */
export function defineModel<N extends ModelName, O extends object>(declaration: ModelDeclaration<N, O>): ModelDefinition<N, O> {
  const { prepare, ...declared } = declaration;
  return {
    ...declared,
    prepare(table, spec) {
      checkSpecKeys(spec, declared);
      return prepare(table, spec);
    },
  };
}
