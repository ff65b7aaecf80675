/** The customer A/B test's definition, for the registry. */
import { abtestModel } from './abtest';

export const abtestModels = [abtestModel] as const;

export type { AbTestOutputs, AbTestSegment, AbTestGroup, AbTestProfit } from './abtest';
