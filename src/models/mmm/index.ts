/** The MMM family's definitions, for the registry. */
import type { ModelDefinition } from '../types';
import { mmmModel } from './mmm';

/** Every MMM model definition (one: 'mmm'). */
export const mmmModels: readonly ModelDefinition[] = [mmmModel];
