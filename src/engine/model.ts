/**
 * Builds a CompiledModel from named parameters (prior + shape) and a batched log likelihood: the
 * engine's one flat unconstrained vector per chain, bijectors to each support, log priors and the
 * Jacobian terms. Models describe *what*; this file owns *how* it becomes a log density.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../api/errors';
import { bijectorFor, type Bijector } from './bijectors';
import type { ModelStructure } from './model-graph';
import { priorLogProb } from './distributions';
import { priorMean, priorSupport, type Prior } from './priors';
import type { CompiledModel, ParameterLayout, SamplingHints } from './types';

export interface ParamDef {
  /** Base name, e.g. `adstock_alpha`. */
  name: string;
  /** Gives the support (so the bijector) and the log prior. Flat/HalfFlat add nothing. */
  prior: Prior;
  /** Constrained elements (default 1; a Dirichlet's size is `a.length`). */
  size?: number;
  /** Element labels, giving flat names like `adstock_alpha[x1]`. */
  labels?: string[];
  /** Constrained starting values (length `size`); default a central value of the prior. */
  init?: number[];
  /**
   * A sampler coordinate rather than a quantity of the model: a non-centred offset (`level_z`,
   * `u_churn`), the free coordinates a reported quantity is computed from (`weights_raw`, whose
   * weights the outputs report), a log-scale helper. Its R-hat and ESS count in the diagnostics
   * (the chains must mix there too), but result tables list it apart, collapsed. Mark it here, by
   * definition, never by a name pattern.
   */
  internal?: boolean;
  /**
   * The sub-model it belongs to when it is not the main fit: a second fit sampled in the same run
   * for a check, sharing no parameter with the main one (the causal models' placebo refit,
   * `'placebo'`). A run's diagnostics and parameter table are the main fit's; each block's are
   * reported apart.
   */
  block?: string;
}

/** Batched log likelihood over constrained values, each `[chains, size]`; returns `[chains]`. */
export type LogLikelihood = (values: Record<string, tf.Tensor2D>) => tf.Tensor1D;

export interface CompileOptions {
  /**
   * Add log|det J| of the bijectors (default true: the posterior on the unconstrained space).
   * False gives the density whose mode is the constrained MAP (or the MLE with flat priors),
   * as the papers' maximum-likelihood answers are defined.
   */
  jacobian?: boolean;
  /** Carried to `CompiledModel.sampling`. */
  sampling?: SamplingHints;
  /** How the parameters combine into the likelihood, for the model's graph (model-graph.ts); carried to `CompiledModel.spec`. */
  structure?: ModelStructure;
}

interface Slot {
  def: ParamDef;
  size: number;
  offset: number;
  uOffset: number;
  uSize: number;
  bijector: Bijector;
}

/** Flat element names: `name` for a scalar, `name[label]` (or `name[i]`) per element otherwise. */
export function flatNames(def: Pick<ParamDef, 'name' | 'labels'>, size: number): string[] {
  if (size === 1 && !def.labels) return [def.name];
  return Array.from({ length: size }, (_, i) => `${def.name}[${def.labels?.[i] ?? i}]`);
}

/** Compiles parameter definitions and a likelihood into what every sampler and optimiser consumes. */
export function compileModel(params: ParamDef[], logLikelihood: LogLikelihood, opts: CompileOptions = {}): CompiledModel {
  const jacobian = opts.jacobian ?? true;
  const seen = new Set<string>();
  const slots: Slot[] = [];
  let offset = 0;
  let uOffset = 0;
  for (const def of params) {
    if (seen.has(def.name)) throw new Error(`Parameter '${def.name}' is defined twice.`);
    seen.add(def.name);
    const size = def.prior.dist === 'Dirichlet' ? def.prior.a.length : (def.size ?? 1);
    if (def.size !== undefined && def.size !== size) {
      throw new Error(`Parameter '${def.name}': size ${def.size} does not match its Dirichlet prior (${size}).`);
    }
    if (def.labels && def.labels.length !== size) {
      throw new Error(`Parameter '${def.name}': ${def.labels.length} labels for ${size} elements.`);
    }
    if (def.init && def.init.length !== size) {
      throw new Error(`Parameter '${def.name}': init has ${def.init.length} values for ${size} elements.`);
    }
    const bijector = bijectorFor(priorSupport(def.prior));
    const uSize = bijector.unconstrainedSize(size);
    slots.push({ def, size, offset, uOffset, uSize, bijector });
    offset += size;
    uOffset += uSize;
  }
  const dim = uOffset;
  if (dim === 0) throw new InputError('The model has no parameters to estimate.');

  const layouts: ParameterLayout[] = slots.map((s) => ({
    name: s.def.name,
    offset: s.offset,
    size: s.size,
    ...(s.def.labels ? { labels: [...s.def.labels] } : {}),
    ...(s.def.internal ? { internal: true as const } : {}),
    ...(s.def.block !== undefined ? { block: s.def.block } : {}),
  }));
  const names = slots.flatMap((s) => flatNames(s.def, s.size));

  function transform(theta: tf.Tensor2D): { values: Record<string, tf.Tensor2D>; logDet: tf.Tensor1D[] } {
    const values: Record<string, tf.Tensor2D> = {};
    const logDet: tf.Tensor1D[] = [];
    for (const s of slots) {
      const y = slots.length === 1 ? theta : tf.slice(theta, [0, s.uOffset], [-1, s.uSize]);
      const { x, logDetJac } = s.bijector.forward(y);
      values[s.def.name] = x;
      logDet.push(logDetJac);
    }
    return { values, logDet };
  }

  function density(theta: tf.Tensor2D, withJacobian: boolean): tf.Tensor1D {
    return tf.tidy(() => {
      const { values, logDet } = transform(theta);
      const terms: tf.Tensor1D[] = [logLikelihood(values)];
      for (const s of slots) {
        if (s.def.prior.dist !== 'Flat' && s.def.prior.dist !== 'HalfFlat') {
          terms.push(priorLogProb(s.def.prior, values[s.def.name]));
        }
      }
      if (withJacobian) terms.push(...logDet);
      // A fold of tf.add, not tf.addN: on WebGPU tf.addN of 8 or more inputs returns wrong sums (tfjs 4.22).
      return terms.reduce((acc, t) => tf.add(acc, t)) as tf.Tensor1D;
    });
  }

  return {
    ...(opts.sampling ? { sampling: opts.sampling } : {}),
    spec: { params: params.map((p) => ({ ...p })), ...(opts.structure ? { structure: opts.structure } : {}) },
    dim,
    constrainedDim: offset,
    parameters: layouts,
    names,
    logDensity: (theta) => density(theta, jacobian),
    modeDensity: (theta) => density(theta, false),
    constrain(theta) {
      return tf.tidy(() => {
        const { values } = transform(theta);
        const parts = slots.map((s) => values[s.def.name]);
        return (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor2D;
      });
    },
    initialPoint() {
      const out = new Float32Array(dim);
      for (const s of slots) {
        const x = s.def.init ?? initialValues(s.def.prior, s.size);
        out.set(s.bijector.inverse(x), s.uOffset);
      }
      return out;
    },
  };
}

function initialValues(prior: Prior, size: number): number[] {
  if (prior.dist === 'Dirichlet') {
    const total = prior.a.reduce((a, b) => a + b, 0);
    return prior.a.map((v) => v / total);
  }
  return new Array<number>(size).fill(priorMean(prior));
}
