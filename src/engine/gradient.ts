/**
 * Per-chain log density and its gradient in one forward + backward pass: the only way samplers
 * and optimisers touch a model's log density.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from './types';

/**
 * `theta` `[chains, dim]` -> `{ logp: [chains], grad: [chains, dim] }`. Both results are new
 * tensors owned by the caller; nothing else stays alive. Chains are independent, so the
 * gradient of the summed density is each chain's own gradient.
 */
export function logpAndGrad(model: CompiledModel, theta: tf.Tensor2D): { logp: tf.Tensor1D; grad: tf.Tensor2D } {
  let logp: tf.Tensor1D | undefined;
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => {
    // Kept so it survives the gradient's forward tidy; handed to the caller, who disposes it.
    logp = tf.keep(model.logDensity(t as tf.Tensor2D));
    return tf.sum(logp);
  })(theta);
  value.dispose();
  return { logp: logp as tf.Tensor1D, grad: grad as tf.Tensor2D };
}
