/**
 * A model definition declares the column roles and the options it reads, and its `prepare` checks
 * a FitSpec against them before anything else: an unknown role or option (a typo, which would
 * otherwise keep a default silently) is an error naming the model's accepted ones, and every
 * option's value is checked against its declaration (options.ts). Every model in the registry is
 * made here, so the check is the same for all of them.
 */
import { InputError } from '../api/errors';
import type { FitSpec, ModelName } from '../api/types';
import type { Table } from '../data/table';
import { checkOptions } from './options';
import type { ModelDefinition, PreparedModel, PriorPredictive, PriorPredictiveOptions } from './types';

/** What a model file declares; `defineModel` adds the spec check and `configKeys`. */
export type ModelDeclaration<N extends ModelName, O extends object> = Omit<ModelDefinition<N, O>, 'prepare' | 'configKeys' | 'priorPredictive'> & {
  prepare(table: Table, spec: FitSpec): PreparedModel<O>;
  priorPredictive?(table: Table, spec: FitSpec, options: PriorPredictiveOptions): PriorPredictive;
};

/**
 * Throws on a role `model` does not declare, or a config key or value its options do not accept,
 * naming what it does accept.
 */
export function checkSpec(spec: FitSpec, model: Pick<ModelDefinition, 'label' | 'roles' | 'options'>): void {
  const columns: unknown = spec.columns;
  if (!columns || typeof columns !== 'object' || Array.isArray(columns)) {
    throw new InputError(`columns must be an object mapping roles to column names (the roles of ${model.label} are ${model.roles.join(', ')}).`);
  }
  const unknown = Object.keys(columns).find((role) => !model.roles.includes(role));
  if (unknown !== undefined) {
    throw new InputError(`"${unknown}" is not a column role of ${model.label}; its roles are ${model.roles.join(', ')}.`);
  }
  checkOptions(model.options, spec.config, model.label);
}

/** The registry's form of a model: `prepare` first checks the spec's roles and config. */
export function defineModel<N extends ModelName, O extends object>(declaration: ModelDeclaration<N, O>): ModelDefinition<N, O> {
  const { prepare, priorPredictive, ...declared } = declaration;
  return {
    ...declared,
    configKeys: Object.keys(declared.options),
    prepare(table, spec) {
      checkSpec(spec, declared);
      return prepare(table, spec);
    },
    ...(priorPredictive
      ? {
          priorPredictive(table: Table, spec: FitSpec, options: PriorPredictiveOptions) {
            checkSpec(spec, declared);
            return priorPredictive(table, spec, options);
          },
        }
      : {}),
  };
}
