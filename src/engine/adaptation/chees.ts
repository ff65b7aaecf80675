/**
 * ChEES trajectory-length and step-size adaptation (Hoffman, Radul & Sountsov 2021, "An Adaptive
 * MCMC Scheme for Setting Trajectory Lengths in Hamiltonian Monte Carlo", AISTATS), following
 * BlackJAX's `chees_adaptation`: dual averaging drives the harmonic-mean acceptance across chains
 * to 0.651 (or, where the model asks, the mean acceptance to 0.8); Adam on log T climbs the ChEES
 * criterion's gradient estimated from all chains.
 */
import type { StepSizeTarget } from '../types';
import { dualAveragingInit, dualAveragingUpdate, type DualAveragingState } from './dual-averaging';

/** Target harmonic-mean acceptance (the paper's and BlackJAX's choice). */
export const TARGET_ACCEPTANCE = 0.651;
/** Target mean acceptance when a model asks for `acceptance: 'mean'` (Stan's default target). */
export const TARGET_MEAN_ACCEPTANCE = 0.8;
/** Adam on log trajectory length: learning rate 0.025, beta1 = 0, beta2 = 0.95 (TFP's ChEES defaults). */
const ADAM_RATE = 0.025;
const ADAM_BETA2 = 0.95;
const ADAM_EPS = 1e-8;
/** Weight decay of the trajectory-length moving average, step^-0.5 (BlackJAX `decay_rate`). */
const DECAY_RATE = 0.5;

export interface CheesState {
  /** What the step size is tuned on (`SamplingHints.acceptance`). */
  readonly acceptance: StepSizeTarget;
  readonly da: DualAveragingState;
  readonly logTrajectory: number;
  readonly logTrajectoryAvg: number;
  readonly adamV: number;
  readonly step: number;
}

/** Per-chain statistics of one transition, read back from the device. */
export interface CheesStats {
  /** Metropolis acceptance probability per chain. */
  acceptProb: ArrayLike<number>;
  /** 1 where divergent. */
  divergent: ArrayLike<number>;
  /** ||q' - mean q'||^2 - ||q - mean q||^2 per chain (proposal vs start, each centred across chains). */
  sqDistChange: ArrayLike<number>;
  /** (q' - mean q') . v' per chain, v' the proposal's velocity. */
  centredDotVelocity: ArrayLike<number>;
  /** The Halton jitter used for this transition's length. */
  jitter: number;
}

export function cheesInit(stepSize: number, trajectoryLength: number, acceptance: StepSizeTarget = 'harmonic'): CheesState {
  const logT = Math.log(trajectoryLength);
  return { acceptance, da: dualAveragingInit(stepSize), logTrajectory: logT, logTrajectoryAvg: logT, adamV: 0, step: 0 };
}

/** Harmonic mean of acceptance over non-divergent chains (0 when every chain diverged). */
export function harmonicMeanAcceptance(acceptProb: ArrayLike<number>, divergent: ArrayLike<number>): number {
  let n = 0;
  let inv = 0;
  for (let i = 0; i < acceptProb.length; i++) {
    if (divergent[i] > 0.5) continue;
    n++;
    inv += 1 / Math.max(acceptProb[i], 1e-10);
  }
  return n === 0 ? 0 : n / inv;
}

/** Mean acceptance over all chains, a divergent chain counting 0. */
export function meanAcceptance(acceptProb: ArrayLike<number>, divergent: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < acceptProb.length; i++) sum += divergent[i] > 0.5 ? 0 : acceptProb[i];
  return acceptProb.length === 0 ? 0 : sum / acceptProb.length;
}

/** The step size and trajectory length to use for the next warm-up transition. */
export function cheesCurrent(s: CheesState): { stepSize: number; trajectoryLength: number } {
  return { stepSize: Math.exp(s.da.logStepSize), trajectoryLength: Math.exp(s.logTrajectory) };
}

/** The adapted values to sample with after warm-up (the averaged iterates). */
export function cheesFinal(s: CheesState): { stepSize: number; trajectoryLength: number } {
  return { stepSize: Math.exp(s.da.logStepSizeAvg), trajectoryLength: Math.exp(s.logTrajectoryAvg) };
}

/** Restart step-size dual averaging (after the mass matrix changed), keeping the trajectory state. */
export function cheesRestartStepSize(s: CheesState, stepSize: number): CheesState {
  return { ...s, da: dualAveragingInit(stepSize) };
}

/**
 * One adaptation update. `maxTrajectory` caps T (step count limit times step size). Non-finite
 * updates are rejected and the previous value kept.
 */
export function cheesUpdate(s: CheesState, st: CheesStats, maxTrajectory: number): CheesState {
  const step = s.step + 1;
  const gap =
    s.acceptance === 'mean'
      ? TARGET_MEAN_ACCEPTANCE - meanAcceptance(st.acceptProb, st.divergent)
      : TARGET_ACCEPTANCE - harmonicMeanAcceptance(st.acceptProb, st.divergent);
  const da = dualAveragingUpdate(s.da, gap);
  // Acceptance-weighted ChEES gradient with respect to T (paper eq. 6; BlackJAX compute_parameters).
  const T = Math.exp(s.logTrajectory);
  let num = 0;
  let den = 0;
  for (let i = 0; i < st.acceptProb.length; i++) {
    if (st.divergent[i] > 0.5) continue;
    const g = st.jitter * T * st.sqDistChange[i] * st.centredDotVelocity[i];
    if (!Number.isFinite(g)) continue;
    num += st.acceptProb[i] * g;
    den += st.acceptProb[i];
  }
  let logTrajectory = s.logTrajectory;
  let adamV = s.adamV;
  if (den > 0) {
    // Adam with beta1 = 0 ascending the criterion: step = rate * g / (sqrt(v_hat) + eps).
    const grad = num / den;
    const v = ADAM_BETA2 * s.adamV + (1 - ADAM_BETA2) * grad * grad;
    const vHat = v / (1 - Math.pow(ADAM_BETA2, step));
    const next = s.logTrajectory + (ADAM_RATE * grad) / (Math.sqrt(vHat) + ADAM_EPS);
    if (Number.isFinite(next)) {
      logTrajectory = Math.min(next, Math.log(maxTrajectory));
      adamV = v;
    }
  }
  const w = Math.pow(step, -DECAY_RATE);
  const logTrajectoryAvg = (1 - w) * s.logTrajectoryAvg + w * logTrajectory;
  return { acceptance: s.acceptance, da, logTrajectory, logTrajectoryAvg, adamV, step };
}
