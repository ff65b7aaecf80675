/**
 * One transition of HMC for a batch of chains that all share step size, step count and a metric
 * (diagonal or dense inverse mass matrix) (the kernel ChEES-HMC adapts; Hoffman, Radul & Sountsov 2021). Metropolis
 * correction per chain; energy errors above DIVERGENCE_ENERGY (or non-finite) are divergences.
 */
import * as tf from '@tensorflow/tfjs';
import { logpAndGrad } from './gradient';
import { leapfrog } from './integrator';
import { kineticEnergy, sampleMomentum, velocity, type Metric } from './metric';
import type { Rng } from './rng';
import type { CompiledModel } from './types';

/** Energy error beyond which a transition counts as divergent (Stan and BlackJAX use 1000). */
export const DIVERGENCE_ENERGY = 1000;

export interface HmcState {
  /** `[chains, dim]` unconstrained positions. */
  readonly position: tf.Tensor2D;
  /** `[chains]` */
  readonly logp: tf.Tensor1D;
  /** `[chains, dim]` */
  readonly grad: tf.Tensor2D;
}

export interface HmcParams {
  readonly stepSize: number;
  readonly numSteps: number;
  /** The inverse mass matrix (the posterior (co)variances, ideally). */
  readonly metric: Metric;
}

export interface HmcInfo {
  /** `[chains]` Metropolis acceptance probability of the proposal (0 when divergent). */
  readonly acceptProb: tf.Tensor1D;
  /** `[chains]` 1 where the trajectory diverged. */
  readonly divergent: tf.Tensor1D;
  /** `[chains, dim]` the proposal's position before the accept/reject step. */
  readonly proposal: tf.Tensor2D;
  /** `[chains, dim]` the proposal's velocity M^-1 p. */
  readonly velocity: tf.Tensor2D;
}

/** The state at `position`: log density and gradient evaluated once. Takes ownership of nothing. */
export function hmcInit(model: CompiledModel, position: tf.Tensor2D): HmcState {
  const { logp, grad } = logpAndGrad(model, position);
  return { position: tf.clone(position), logp, grad };
}

/** Disposes every tensor of a state or info. */
export function disposeAll(x: HmcState | HmcInfo): void {
  tf.dispose(Object.values(x) as tf.Tensor[]);
}

/**
 * One HMC transition. Returns a new state and info (owned by the caller); `state` is untouched.
 * `rng` seeds the momentum and the accept/reject uniforms (one seed each).
 */
export function hmcStep(model: CompiledModel, state: HmcState, params: HmcParams, rng: Rng): { state: HmcState; info: HmcInfo } {
  const [chains, dim] = state.position.shape;
  const momentum = sampleMomentum(params.metric, chains, dim, rng.seed());
  const acceptSeed = rng.seed();
  const end = leapfrog(model, { ...state, momentum }, params.stepSize, params.numSteps, params.metric);
  const out = tf.tidy((): tf.TensorContainer => {
    // The proposal's velocity serves both its kinetic energy and the ChEES statistics.
    const endVelocity = velocity(params.metric, end.momentum);
    const h0 = tf.sub(kineticEnergy(params.metric, momentum), state.logp);
    const h1 = tf.sub(tf.mul(0.5, tf.sum(tf.mul(end.momentum, endVelocity), 1)), end.logp);
    const logAccept = tf.sub(h0, h1);
    // NaN fails every comparison, so non-finite energies are divergent and never accepted.
    const ok = tf.greater(logAccept, -DIVERGENCE_ENERGY);
    const acceptProb = tf.where(ok, tf.exp(tf.minimum(logAccept, 0)), tf.zerosLike(logAccept)) as tf.Tensor1D;
    const u = tf.randomUniform([chains], 0, 1, 'float32', acceptSeed);
    const accept = tf.less(u, acceptProb);
    const accept2 = tf.reshape(accept, [chains, 1]);
    const next: HmcState = {
      position: tf.where(accept2, end.position, state.position) as tf.Tensor2D,
      logp: tf.where(accept, end.logp, state.logp) as tf.Tensor1D,
      grad: tf.where(accept2, end.grad, state.grad) as tf.Tensor2D,
    };
    const info: HmcInfo = {
      acceptProb,
      divergent: tf.cast(tf.logicalNot(ok), 'float32') as tf.Tensor1D,
      proposal: tf.clone(end.position),
      velocity: endVelocity,
    };
    return { state: next, info } as unknown as tf.TensorContainer;
  }) as unknown as { state: HmcState; info: HmcInfo };
  momentum.dispose();
  tf.dispose([end.position, end.momentum, end.logp, end.grad]);
  return out;
}
