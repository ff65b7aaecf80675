/**
 * The causal-impact model family's definitions, for the registry: interrupted time series (with a
 * structural local-level option), synthetic control, difference-in-differences, regression
 * discontinuity and geo experiments by time-based regression.
 */
import { didModel } from './did';
import { itsModel } from './its';
import { rdModel } from './rd';
import { syntheticControlModel } from './synthetic-control';
import { tbrModel } from './tbr';

export const causalModels = [itsModel, syntheticControlModel, didModel, rdModel, tbrModel] as const;

export type { CausalOutputs, PlaceboOutputs } from './time-series';
export type { CausalSeries, EffectSummary } from './effects';
export type { ItsOutputs } from './its';
export type { SyntheticControlOutputs } from './synthetic-control';
export type { DidOutputs } from './did';
export type { RdOutputs, RdCurve } from './rd';
export type { TbrOutputs, TbrPower, PowerRow } from './tbr';
