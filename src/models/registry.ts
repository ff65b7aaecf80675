/**
 * Every model's definition, by model name. The worker finds models only here; the type of each
 * run's outputs (`ModelOutputs` in api/types.ts) is read off the definitions listed here, so a
 * model registered here has its outputs typed everywhere.
 */
import type { ModelName } from '../api/types';
import { InputError } from '../api/errors';
import type { ModelDefinition } from './types';
import { clvModels } from './clv';
import { mmmModels } from './mmm';
import { causalModels } from './causal';
import { abtestModels } from './abtest';

const DEFINITIONS = [...clvModels, ...mmmModels, ...causalModels, ...abtestModels] as const;

/** Each registered model's outputs, by model name, from its definition. */
type RegisteredOutputs = {
  [D in (typeof DEFINITIONS)[number] as D['name']]: D extends ModelDefinition<ModelName, infer O> ? O : never;
};

declare module '../api/types' {
  // The registry fills the API's map of outputs (see ModelOutputs there); a model missing here is a
  // type error wherever its outputs are read.
  interface ModelOutputs extends RegisteredOutputs {}
}

const BY_NAME = new Map<ModelName, ModelDefinition>(DEFINITIONS.map((d) => [d.name, d]));

/** Model names that can be fitted in this build. */
export function availableModels(): ModelName[] {
  return [...BY_NAME.keys()];
}

/** The definition of `name`, or an InputError listing what is available. */
export function findModel(name: string): ModelDefinition {
  const definition = BY_NAME.get(name as ModelName);
  if (!definition) {
    const available = availableModels();
    throw new InputError(
      `Unknown model "${name}". ${available.length ? `Available: ${available.join(', ')}.` : 'No models are available yet.'}`,
    );
  }
  return definition;
}
