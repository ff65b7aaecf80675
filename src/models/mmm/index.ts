/** The MMM family's definitions, for the registry. */
import { mmmModel } from './mmm';

/** Every MMM model definition (one: 'mmm'). */
export const mmmModels = [mmmModel] as const;
