/**
 * Contracts between the engine (samplers, optimisers, diagnostics) and the models.
 * The engine knows nothing about marketing: a model is a batched log density over a flat
 * unconstrained vector per chain, plus the map back to constrained values.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { ParamDef } from './model';
import type { ModelStructure } from './model-graph';

/**
 * Batched unnormalised log posterior on the unconstrained space, Jacobian terms included.
 * `theta` is `[chains, dim]`; the result is `[chains]`. Must be differentiable with `tf.grad`
 * (no `tf.where(tf.greater(...))`, no `tf.gather` on the WASM backend) and should be finite for
 * finite inputs (return a very negative number rather than NaN where the density vanishes).
 */
export type LogDensity = (theta: Tensor2D) => Tensor1D;

/**
 * Where one named parameter sits in the flat *constrained* vector (what `constrain` returns and what
 * posteriors store). Its unconstrained width can differ (a K-simplex has K-1 free coordinates).
 */
export interface ParameterLayout {
  /** Base name as PyMC-Marketing / the papers use it, e.g. `adstock_alpha`. */
  readonly name: string;
  /** Offset of its first element in the flat constrained vector. */
  readonly offset: number;
  /** Number of constrained elements (1 for a scalar). */
  readonly size: number;
  /** Element labels (a column name per element), so flat names read `adstock_alpha[x1]`. */
  readonly labels?: readonly string[];
  /** A sampler coordinate, not a quantity to read (see `ParamDef.internal`). */
  readonly internal?: true;
  /** The sub-model it belongs to, when not the main fit (see `ParamDef.block`). */
  readonly block?: string;
}

/** What warm-up tunes the step size on (see `SamplingHints.acceptance`). */
export type StepSizeTarget = 'harmonic' | 'mean';

/**
 * Sampler settings a model asks for where the defaults, made for posteriors with one mode near their
 * bulk, do it harm. Each absent field keeps the default.
 */
export interface SamplingHints {
  /**
   * 'laplace' (default): chains start at the mode, spread by its Laplace approximation. 'spread':
   * uniform on (-2, 2) in the unconstrained space, as Stan's chains start: for posteriors whose mode
   * lies outside their typical set (a sparse Dirichlet's), where chains started at one point stay
   * stuck in the same minor mode.
   */
  readonly start?: 'laplace' | 'spread';
  /**
   * Warm-up step-size target: 'harmonic' (default), ChEES's harmonic-mean acceptance 0.651; 'mean',
   * mean acceptance 0.8, so that the few chains in a narrow mode do not shrink every chain's step.
   */
  readonly acceptance?: StepSizeTarget;
}

/** A model ready for inference: what `compileModel` returns and every sampler consumes. */
export interface CompiledModel {
  /** Length of the flat unconstrained vector (what samplers move in). */
  readonly dim: number;
  /** Length of the flat constrained vector (what `constrain` returns). */
  readonly constrainedDim: number;
  readonly parameters: readonly ParameterLayout[];
  /** Flat constrained element names in layout order, e.g. `['intercept', 'adstock_alpha[x1]', ...]`. */
  readonly names: readonly string[];
  readonly logDensity: LogDensity;
  /**
   * The same density without the bijectors' log-Jacobians: its mode, mapped by `constrain`, is the
   * mode of the posterior on the constrained scale (the MLE under flat priors), which a MAP run
   * reports. Absent where a model has no such form.
   */
  readonly modeDensity?: LogDensity;
  /** Unconstrained `[n, dim]` -> constrained values `[n, constrainedDim]` in `parameters` layout. */
  constrain(theta: Tensor2D): Tensor2D;
  /** A finite starting point on the unconstrained space (e.g. the prior medians), length `dim`. */
  initialPoint(): Float32Array;
  /** Sampler settings this posterior needs (absent: the defaults). */
  readonly sampling?: SamplingHints;
  /** The parameter definitions it was compiled from and how they combine (model-graph.ts), for the model's graph. */
  readonly spec?: { readonly params: readonly ParamDef[]; readonly structure?: ModelStructure };
}

/** Per-step report from a sampler or optimiser. */
export interface StepReport {
  phase: 'map' | 'warmup' | 'sampling';
  iteration: number;
  total: number;
  stepSize?: number;
  acceptance?: number;
  divergences?: number;
  trajectoryLength?: number;
  /** What the sampler is doing and why, when it is not the plan (an extension, a fresh warm-up). */
  message?: string;
}

/**
 * Posterior draws on the constrained scale, as the engine returns them and models read them.
 * `values` is laid out `[chain][draw][param]` (row-major), `param` indexing `names`.
 */
export interface Posterior {
  readonly names: readonly string[];
  readonly chains: number;
  readonly draws: number;
  readonly values: Float64Array;
  /** All draws of one flat name, chain after chain (length chains*draws); throws on an unknown name. */
  column(name: string): Float64Array;
}
