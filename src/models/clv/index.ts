/** The CLV model family's definitions, for the registry. */
import type { ModelDefinition } from '../types';
import { bgbbModel } from './bgbb';
import { BGNBD } from './bgnbd';
import { cohortForecastModel } from './cohort-sbg';
import { countModelDefinition } from './count-model';
import { gammaGammaModel } from './gammagamma';
import { MBGNBD } from './mbgnbd';
import { PARETONBD } from './paretonbd';
import { sbgModel } from './sbg';

export const clvModels: readonly ModelDefinition[] = [
  countModelDefinition(BGNBD),
  countModelDefinition(MBGNBD),
  countModelDefinition(PARETONBD),
  gammaGammaModel,
  bgbbModel,
  sbgModel,
  cohortForecastModel,
];
