/**
 * Velocity-Verlet (leapfrog) over a batch of chains with a metric (diagonal or dense inverse mass
 * matrix) shared by all chains and one step size and step count for all (so no per-chain control flow: each step is
 * the same few tensor ops for every chain).
 */
import * as tf from '@tensorflow/tfjs';
import { logpAndGrad } from './gradient';
import { velocity, type Metric } from './metric';
import type { CompiledModel } from './types';

export interface PhaseState {
  /** `[chains, dim]` */
  readonly position: tf.Tensor2D;
  /** `[chains, dim]` */
  readonly momentum: tf.Tensor2D;
  /** `[chains]` log density at `position`. */
  readonly logp: tf.Tensor1D;
  /** `[chains, dim]` its gradient. */
  readonly grad: tf.Tensor2D;
}

/**
 * `numSteps` leapfrog steps of size `stepSize` from `start`. Returns new tensors (the caller owns
 * them); `start` is left untouched.
 */
export function leapfrog(
  model: CompiledModel,
  start: PhaseState,
  stepSize: number,
  numSteps: number,
  metric: Metric,
): PhaseState {
  const half = stepSize / 2;
  let position = start.position;
  let momentum = tf.tidy(() => tf.add(start.momentum, tf.mul(half, start.grad))) as tf.Tensor2D;
  let logp = start.logp;
  let grad = start.grad;
  for (let i = 0; i < numSteps; i++) {
    const nextPosition = tf.tidy(() => tf.add(position, tf.mul(stepSize, velocity(metric, momentum)))) as tf.Tensor2D;
    const next = logpAndGrad(model, nextPosition);
    const last = i === numSteps - 1;
    const nextMomentum = tf.tidy(() => tf.add(momentum, tf.mul(last ? half : stepSize, next.grad))) as tf.Tensor2D;
    if (i > 0) {
      position.dispose();
      logp.dispose();
      grad.dispose();
    }
    momentum.dispose();
    position = nextPosition;
    momentum = nextMomentum;
    logp = next.logp;
    grad = next.grad;
  }
  return { position, momentum, logp, grad };
}
