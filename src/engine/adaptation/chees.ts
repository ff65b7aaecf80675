/**
 * ChEES trajectory-length and step-size adaptation (Hoffman, Radul & Sountsov 2021, "An Adaptive
 * MCMC Scheme for Setting Trajectory Lengths in Hamiltonian Monte Carlo", AISTATS), following
 * BlackJAX's `chees_adaptation`: dual averaging drives the harmonic-mean acceptance across chains
 * to 0.651 (or, where the model asks, the mean acceptance to 0.8); Adam on log T climbs the ChEES
 * criterion's gradient estimated from all chains.
 */
import { leapfrogSteps, MAX_LEAPFROG_STEPS, type Chains, type WarmupTransition } from '../chains';
import { halton } from '../halton';
import { emptyMoments, estimateMetric, usesDenseMetric, type MetricValues } from '../metric';
import type { StepSizeTarget } from '../types';
import { dualAveragingInit, dualAveragingUpdate, type DualAveragingState } from './dual-averaging';
import { warmupSchedule } from './windows';

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

/**
 * The ChEES statistics of a transition from its chains' positions (host, float64): proposals and
 * starting positions each centred on their own cross-chain mean (BlackJAX's `initial_positions`
 * and `proposals`), so the criterion is computed on all the chains at once wherever they ran.
 */
export function cheesStats(t: WarmupTransition, dim: number, jitter: number): CheesStats {
  const chains = t.acceptProb.length;
  const meanProposal = new Float64Array(dim);
  const meanBefore = new Float64Array(dim);
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < dim; i++) {
      meanProposal[i] += t.proposal[c * dim + i] / chains;
      meanBefore[i] += t.before[c * dim + i] / chains;
    }
  }
  const sqDistChange = new Float64Array(chains);
  const centredDotVelocity = new Float64Array(chains);
  for (let c = 0; c < chains; c++) {
    let sqProposal = 0;
    let sqBefore = 0;
    let dot = 0;
    for (let i = 0; i < dim; i++) {
      const q = t.proposal[c * dim + i] - meanProposal[i];
      const q0 = t.before[c * dim + i] - meanBefore[i];
      sqProposal += q * q;
      sqBefore += q0 * q0;
      dot += q * t.velocity[c * dim + i];
    }
    sqDistChange[c] = sqProposal - sqBefore;
    centredDotVelocity[c] = dot;
  }
  return { acceptProb: t.acceptProb, divergent: t.divergent, sqDistChange, centredDotVelocity, jitter };
}

/** What the warm-up tunes: what the draws then use. */
export interface CheesParameters {
  stepSize: number;
  trajectoryLength: number;
  /** The inverse mass matrix. */
  metric: MetricValues;
}

/** One warm-up iteration as the sampler reports it. */
export interface WarmupIteration {
  iteration: number;
  total: number;
  stepSize: number;
  trajectoryLength: number;
  /** Harmonic-mean acceptance over the non-divergent chains. */
  acceptance: number;
  divergences: number;
}

export interface CheesAdaptationOptions {
  dim: number;
  /** The model's step-size target (`SamplingHints.acceptance`). */
  acceptance?: StepSizeTarget;
  /** The run's transition counter: returns the index of the next transition (Halton jitter) and advances it. */
  nextStep: () => number;
  /** Awaited before each transition (yields to the event loop; throws when the run is cancelled). */
  tick: () => Promise<void>;
  onIteration?: (r: WarmupIteration) => void;
}

/**
 * ChEES warm-up, as BlackJAX's `chees_adaptation(...).run`: `run` moves `chains` for `iterations`
 * transitions from `initial`, tuning the step size (dual averaging), the trajectory length (Adam on
 * the ChEES criterion) and, over the windows of `warmupSchedule`, the metric; it returns the chains
 * at their last state and the tuned parameters (the averaged step size and trajectory length).
 * Every statistic is computed here from what all the chains report, so chains joined from several
 * batches (`joinChains`) are tuned exactly as one batch of them would be.
 */
export function cheesAdaptation(opts: CheesAdaptationOptions) {
  const { dim } = opts;
  const dense = usesDenseMetric(dim);
  return {
    async run(chains: Chains, initial: CheesParameters, iterations: number): Promise<{ state: Chains; parameters: CheesParameters }> {
      const schedule = warmupSchedule(iterations);
      let adapt = cheesInit(initial.stepSize, initial.trajectoryLength, opts.acceptance);
      let metric = initial.metric;
      await chains.setMetric(metric);
      let moments = emptyMoments(dim, dense);
      for (let it = 0; it < iterations; it++) {
        await opts.tick();
        const { stepSize, trajectoryLength } = cheesCurrent(adapt);
        const step = opts.nextStep();
        const inWindow = schedule.inWindow(it);
        const t = await chains.warmupTransition(stepSize, leapfrogSteps(step, stepSize, trajectoryLength), inWindow);
        adapt = cheesUpdate(adapt, cheesStats(t, dim, halton(step)), MAX_LEAPFROG_STEPS * stepSize);
        if (t.moments) {
          for (let i = 0; i < dim; i++) moments.s1[i] += t.moments.s1[i];
          for (let i = 0; i < moments.s2.length; i++) moments.s2[i] += t.moments.s2[i];
          moments.n += chains.chains;
        }
        if (schedule.endsWindow(it) && moments.n > 1) {
          metric = estimateMetric(moments, metric);
          await chains.setMetric(metric);
          adapt = cheesRestartStepSize(adapt, cheesCurrent(adapt).stepSize);
          moments = emptyMoments(dim, dense);
        }
        let divergences = 0;
        for (let c = 0; c < t.divergent.length; c++) divergences += t.divergent[c] > 0.5 ? 1 : 0;
        opts.onIteration?.({
          iteration: it + 1,
          total: iterations,
          stepSize,
          trajectoryLength,
          acceptance: harmonicMeanAcceptance(t.acceptProb, t.divergent),
          divergences,
        });
      }
      return { state: chains, parameters: { ...cheesFinal(adapt), metric } };
    },
  };
}
