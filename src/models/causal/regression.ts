/**
 * The one likelihood behind every causal model here: a Gaussian linear regression fitted on the
 * first `fitRows` rows of a (scaled) outcome, optionally with a local level (a Gaussian random walk,
 * as the structural time-series model of CausalImpact, Brodersen et al. 2015).
 *
 *   y_t = sum_j beta_j x_jt + level_t + eps_t,   eps_t ~ N(0, sigma),
 *   level_t = sigma_level * (z_0 + .. + z_t),    z_t ~ N(0, 1)   (non-centred random walk).
 *
 * Coefficients come in terms (groups sharing one prior: a Dirichlet term gives simplex weights, as
 * synthetic control needs). A model can hold several blocks (the fit, and a placebo refit on a
 * shorter pre-period) whose parameters differ by a name prefix; the engine samples them jointly, and
 * since the blocks share no parameter their posteriors are independent.
 *
 * The log density is one matMul for the linear predictor (plus one for the random walk's cumulative
 * sum, by an upper-triangular matrix of ones), a square and two reductions: few dispatches per
 * evaluation, batched over chains.
 */
import * as tf from '@tensorflow/tfjs';
import { flatNames, type LogLikelihood, type ParamDef } from '../../engine/model';
import type { Prior } from '../../engine/priors';
import type { Rng } from '../../engine/rng';
import type { Posterior } from '../../engine/types';
import {
  gammaCoordinateLogDensityF64,
  gammaSimplexShape,
  gammaSimplexTensors,
  gammaSimplexWeightsF64,
  type GammaSimplexShape,
} from './gamma-simplex';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Coefficients sharing one prior, one per design column. */
export interface LinearTerm {
  /** Base parameter name (the block prefix is added), e.g. `gamma_fourier`. */
  name: string;
  prior: Prior;
  /** One design column per coefficient, each one value per row (all rows, fitted and predicted). */
  columns: Float64Array[];
  /** Element labels (flat names `name[label]`); omit for a scalar term. */
  labels?: string[];
  /**
   * For a Dirichlet prior: sample the simplex as normalised Gamma variates (w = g / sum(g),
   * g_k ~ Gamma(a_k, 1), so w ~ Dirichlet(a)) in the coordinates of gamma-simplex.ts, under the
   * parameter `${name}_raw`. Every donor gets its own coordinate and none is the reference of a
   * log-ratio, so a sparse Dirichlet (a < 1) samples far better than through the engine's additive
   * log-ratio bijector (which ties every weight to the last one).
   */
  gammaSimplex?: boolean;
}

/** A Gaussian regression on the first `fitRows` rows of `y`. */
export interface RegressionSpec {
  /** Prepended to every parameter name: '' for the fit, 'placebo_' for the placebo refit. */
  prefix: string;
  terms: LinearTerm[];
  /** Scaled outcome, all rows; rows at and after `fitRows` are not read by the likelihood. */
  y: Float64Array;
  /** Rows [0, fitRows) enter the likelihood. */
  fitRows: number;
  /** Prior of the observation noise `sigma` (on the scaled outcome). */
  sigmaPrior: Prior;
  /** Prior of `sigma_level` when the model has a local level (random walk); none when undefined. */
  levelPrior?: Prior;
  /**
   * Terms that model the effect itself (DiD's `delta`): fitted, but left out of the counterfactual
   * prediction of `regressionDraws`.
   */
  effectTerms?: readonly string[];
}

/** What a block gives the model: its parameters and its log likelihood over a batch of chains. */
export interface Block {
  params: ParamDef[];
  logLik: LogLikelihood;
}

/** Number of coefficients (design columns) of a spec. */
export function coefficientCount(spec: RegressionSpec): number {
  return spec.terms.reduce((s, t) => s + t.columns.length, 0);
}

/** Flat parameter names of the coefficients, in design-column order. */
export function coefficientNames(spec: RegressionSpec): string[] {
  return spec.terms.flatMap((t) => flatNames({ name: spec.prefix + paramName(t), labels: t.labels }, t.columns.length));
}

/** The sampled parameter's base name of a term (the free coordinates of a gamma simplex). */
export function paramName(t: LinearTerm): string {
  return t.gammaSimplex ? `${t.name}_raw` : t.name;
}

/** The gamma-simplex map of a term's Dirichlet prior, each slope 1 / rms of its column over the fitted rows. */
export function termSimplexShape(t: LinearTerm, fitRows: number): GammaSimplexShape {
  if (t.prior.dist !== 'Dirichlet') throw new Error(`Term '${t.name}': a gamma simplex needs a Dirichlet prior.`);
  const slope = t.columns.map((col) => {
    let ss = 0;
    for (let i = 0; i < fitRows; i++) ss += col[i] * col[i];
    const rms = Math.sqrt(ss / fitRows);
    return rms > 1e-9 ? 1 / rms : 1;
  });
  return gammaSimplexShape(t.prior.a, slope);
}

/**
 * The block's parameters (terms, `sigma`, and `sigma_level`, `level_z` for a local level) and its
 * batched log likelihood. Data tensors are created here, once; the caller's tf scope owns them.
 */
export function regressionBlock(spec: RegressionSpec): Block {
  const n = spec.fitRows;
  const p = coefficientCount(spec);
  const design = new Float32Array(p * n);
  let j = 0;
  for (const term of spec.terms) {
    for (const col of term.columns) {
      for (let i = 0; i < n; i++) design[j * n + i] = col[i];
      j++;
    }
  }
  const xT = tf.tensor2d(design, [p, n]);
  const y = tf.tensor2d(Float32Array.from(spec.y.subarray(0, n)), [1, n]);
  const pre = spec.prefix;
  const params: ParamDef[] = spec.terms.map((t) => ({
    name: pre + paramName(t),
    prior: t.gammaSimplex ? { dist: 'Flat' } : t.prior,
    size: t.columns.length,
    ...(t.labels ? { labels: t.labels } : {}),
    // A gamma simplex's free coordinates are what the sampler moves; the weights are computed from them.
    ...(t.gammaSimplex ? { internal: true } : {}),
  }));
  const simplex = spec.terms.flatMap((t) => (t.gammaSimplex ? [{ term: t.name, param: pre + paramName(t), map: gammaSimplexTensors(termSimplexShape(t, n)) }] : []));
  params.push({ name: `${pre}sigma`, prior: spec.sigmaPrior });
  let cumsum: tf.Tensor2D | undefined;
  if (spec.levelPrior) {
    const u = new Float32Array(n * n);
    for (let s = 0; s < n; s++) for (let t = s; t < n; t++) u[s * n + t] = 1;
    cumsum = tf.tensor2d(u, [n, n]);
    params.push({ name: `${pre}sigma_level`, prior: spec.levelPrior });
    // The random walk's non-centred innovations: sampler coordinates (the level is sigma_level * cumsum(z)).
    params.push({ name: `${pre}level_z`, prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: n, internal: true });
  }
  const logLik: LogLikelihood = (values) => {
    // Each gamma simplex once: its weights enter the predictor, its coordinates' prior and Jacobian the sum.
    const simplexParts = new Map(simplex.map(({ term, param, map }) => [term, map(values[param])] as const));
    const termCoef = (t: LinearTerm): tf.Tensor2D => simplexParts.get(t.name)?.weights ?? values[pre + t.name];
    const coef = spec.terms.length === 1 ? termCoef(spec.terms[0]) : tf.concat(spec.terms.map(termCoef), 1);
    let mu: tf.Tensor2D = tf.matMul(coef, xT);
    if (cumsum) mu = tf.add(mu, tf.mul(values[`${pre}sigma_level`], tf.matMul(values[`${pre}level_z`], cumsum)));
    const sigma = values[`${pre}sigma`];
    const z = tf.div(tf.sub(y, mu), sigma);
    const quad = tf.mul(-0.5, tf.sum(tf.square(z), 1));
    const norm = tf.mul(-n, tf.reshape(tf.log(sigma), [-1]));
    let ll = tf.sub(tf.add(quad, norm), n * HALF_LOG_2PI) as tf.Tensor1D;
    // The gamma-simplex coordinates' prior and Jacobian (their parameter's prior is Flat).
    for (const { logDensity } of simplexParts.values()) ll = tf.add(ll, logDensity);
    return ll;
  };
  return { params, logLik };
}

/**
 * Float64 reference of the block's log likelihood at one point (`values`: flat constrained values
 * by base name, e.g. `{ intercept: [0.1], gamma_fourier: [..], sigma: [0.5] }`). Independent of
 * tfjs; the tests compare the two.
 */
export function regressionLogLikF64(spec: RegressionSpec, values: Record<string, readonly number[]>): number {
  const pre = spec.prefix;
  const sigma = values[`${pre}sigma`][0];
  const level = spec.levelPrior ? randomWalk(values[`${pre}sigma_level`][0], values[`${pre}level_z`]) : undefined;
  let ll = 0;
  const coef = spec.terms.map((t) => {
    if (!t.gammaSimplex) return values[pre + t.name];
    const shape = termSimplexShape(t, spec.fitRows);
    const raw = values[pre + paramName(t)];
    raw.forEach((v, k) => (ll += gammaCoordinateLogDensityF64(shape, k, v)));
    return gammaSimplexWeightsF64(shape, raw);
  });
  for (let i = 0; i < spec.fitRows; i++) {
    let mu = level ? level[i] : 0;
    spec.terms.forEach((t, j) => {
      const b = coef[j];
      t.columns.forEach((col, k) => (mu += b[k] * col[i]));
    });
    const z = (spec.y[i] - mu) / sigma;
    ll += -0.5 * z * z - Math.log(sigma) - HALF_LOG_2PI;
  }
  return ll;
}

function randomWalk(sigmaLevel: number, z: readonly number[]): Float64Array {
  const out = new Float64Array(z.length);
  let acc = 0;
  for (let i = 0; i < z.length; i++) {
    acc += z[i];
    out[i] = sigmaLevel * acc;
  }
  return out;
}

/**
 * Per-draw coefficient vectors (design-column order) for the draws `idx` (chain-after-chain
 * indices); gamma-simplex terms are mapped to their weights.
 */
export function coefficientDraws(spec: RegressionSpec, posterior: Posterior, idx: readonly number[]): Float64Array[] {
  const cols = coefficientNames(spec).map((name) => posterior.column(name));
  const shapes = spec.terms.map((t) => (t.gammaSimplex ? termSimplexShape(t, spec.fitRows) : undefined));
  return idx.map((d) => {
    const b = Float64Array.from(cols, (c) => c[d]);
    let offset = 0;
    spec.terms.forEach((t, j) => {
      const k = t.columns.length;
      const shape = shapes[j];
      if (shape) b.set(gammaSimplexWeightsF64(shape, b.subarray(offset, offset + k)), offset);
      offset += k;
    });
    return b;
  });
}

/** Per-draw predictions of the scaled outcome. */
export interface RegressionDraws {
  /** Mean of y per draw, all rows (`spec.y.length`), on the scaled axis. */
  mean: Float64Array[];
  /** Observation noise per draw (scaled axis). */
  sigma: Float64Array;
}

/**
 * The linear predictor for every row and each draw in `idx`, without the effect terms (so it is
 * the counterfactual mean). With a local level, rows at and after
 * `fitRows` continue the random walk from its last fitted value with fresh N(0, sigma_level) steps
 * drawn from `rng`, so the forecast widens with the horizon as CausalImpact's does.
 */
export function regressionDraws(spec: RegressionSpec, posterior: Posterior, idx: readonly number[], rng: Rng): RegressionDraws {
  const n = spec.y.length;
  const coef = coefficientDraws(spec, posterior, idx);
  const design = spec.terms.flatMap((t) => t.columns);
  const skip: boolean[] = spec.terms.flatMap((t) => t.columns.map(() => spec.effectTerms?.includes(t.name) ?? false));
  const sigmaAll = posterior.column(`${spec.prefix}sigma`);
  const sigma = Float64Array.from(idx, (d) => sigmaAll[d]);
  let levelSigma: Float64Array | undefined;
  let levelZ: Float64Array[] | undefined;
  if (spec.levelPrior) {
    levelSigma = posterior.column(`${spec.prefix}sigma_level`);
    levelZ = flatNames({ name: `${spec.prefix}level_z`, labels: undefined }, spec.fitRows).map((name) => posterior.column(name));
  }
  const mean = idx.map((d, k) => {
    const m = new Float64Array(n);
    const b = coef[k];
    for (let j = 0; j < design.length; j++) {
      if (skip[j]) continue;
      const col = design[j];
      const bj = b[j];
      for (let i = 0; i < n; i++) m[i] += bj * col[i];
    }
    if (levelSigma && levelZ) {
      const sl = levelSigma[d];
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += i < spec.fitRows ? levelZ[i][d] : rng.normal();
        m[i] += sl * acc;
      }
    }
    return m;
  });
  return { mean, sigma };
}
