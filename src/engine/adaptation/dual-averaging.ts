/**
 * Nesterov dual averaging of the log step size (Hoffman & Gelman 2014, sec. 3.2.1), with the
 * constants Stan and BlackJAX use.
 */

const T0 = 10;
const GAMMA = 0.05;
const KAPPA = 0.75;

export interface DualAveragingState {
  readonly logStepSize: number;
  readonly logStepSizeAvg: number;
  readonly gradientAvg: number;
  readonly step: number;
  /** Shrinkage target, log(10 * initial step size). */
  readonly mu: number;
}

export function dualAveragingInit(stepSize: number): DualAveragingState {
  return { logStepSize: Math.log(stepSize), logStepSizeAvg: Math.log(stepSize), gradientAvg: 0, step: 0, mu: Math.log(10 * stepSize) };
}

/** One update with `error = target acceptance - observed acceptance`. */
export function dualAveragingUpdate(s: DualAveragingState, error: number): DualAveragingState {
  const step = s.step + 1;
  const w = 1 / (step + T0);
  const gradientAvg = (1 - w) * s.gradientAvg + w * error;
  const logStepSize = s.mu - (Math.sqrt(step) / GAMMA) * gradientAvg;
  const eta = Math.pow(step, -KAPPA);
  const logStepSizeAvg = eta * logStepSize + (1 - eta) * s.logStepSizeAvg;
  if (!Number.isFinite(logStepSize) || !Number.isFinite(logStepSizeAvg)) return s;
  return { logStepSize, logStepSizeAvg, gradientAvg, step, mu: s.mu };
}
