/** The CLV model family's definitions, for the registry. */
import { bgbbModel } from './bgbb';
import { BGNBD } from './bgnbd';
import { cohortForecastModel } from './cohort-sbg';
import { countModelDefinition } from './count-model';
import { gammaGammaModel } from './gammagamma';
import { MBGNBD } from './mbgnbd';
import { PARETONBD } from './paretonbd';
import { sbgModel } from './sbg';

/** Every CLV model definition (the element types carry each model's name and outputs). */
export const clvModels = [
  countModelDefinition(BGNBD),
  countModelDefinition(MBGNBD),
  countModelDefinition(PARETONBD),
  gammaGammaModel,
  bgbbModel,
  sbgModel,
  cohortForecastModel,
] as const;
