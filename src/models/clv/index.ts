/** The CLV model family's definitions, for the registry. */
import { bgbbModel } from './bgbb';
import { bgnbdModel } from './bgnbd';
import { cohortForecastModel } from './cohort-sbg';
import { gammaGammaModel } from './gammagamma';
import { mbgnbdModel } from './mbgnbd';
import { paretonbdModel } from './paretonbd';
import { sbgModel } from './sbg';

/** Every CLV model definition (the element types carry each model's name and outputs). */
export const clvModels = [
  bgnbdModel,
  mbgnbdModel,
  paretonbdModel,
  gammaGammaModel,
  bgbbModel,
  sbgModel,
  cohortForecastModel,
] as const;
