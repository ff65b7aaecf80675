/** The CLV model family's definitions, for the registry. */
import type { ModelDefinition } from '../types';
import { bgbbModel } from './bgbb';
import { bgnbdModel } from './bgnbd';
import { cohortForecastModel } from './cohort-sbg';
import { gammaGammaModel } from './gammagamma';
import { mbgnbdModel } from './mbgnbd';
import { paretonbdModel } from './paretonbd';
import { sbgModel } from './sbg';

export const clvModels: readonly ModelDefinition[] = [
  bgnbdModel,
  mbgnbdModel,
  paretonbdModel,
  gammaGammaModel,
  bgbbModel,
  sbgModel,
  cohortForecastModel,
];
