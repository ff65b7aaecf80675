/**
 * Every model family's definitions, by model name. The worker finds models only here.
 */
import type { ModelName } from '../api/types';
import { InputError } from '../api/errors';
import type { ModelDefinition } from './types';
import { clvModels } from './clv';
import { mmmModels } from './mmm';
import { causalModels } from './causal';

const DEFINITIONS: readonly ModelDefinition[] = [...clvModels, ...mmmModels, ...causalModels];

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
