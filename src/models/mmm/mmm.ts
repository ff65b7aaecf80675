/**
 * The Bayesian media mix model ('mmm'), as PyMC-Marketing's `MMM` (same defaults, same parameter
 * names, same max-scaling). On the max-scaled target,
 *   mu_t = intercept + sum_c saturation_c(adstock_c(x_c / max x_c))_t
 *          + sum_j gamma_control_j z_jt + sum_k gamma_fourier_k f_kt,
 *   y_t / max y ~ Normal(mu_t, sigma)   (or StudentT(nu, mu_t, sigma)),
 * plus one Gamma term per lift test (lift-tests.ts). Controls hold the user's controls (max-abs
 * scaled), the 0/1 events and the linear trend.
 *
 * The batched log density keeps ops per evaluation few: every channel is adstocked at once by one
 * batched matMul of weights `[channels, chains, L]` with a constant lag matrix `[channels, L, T]`,
 * saturated elementwise, summed over channels; controls and Fourier terms are one matMul each.
 */
import * as tf from '@tensorflow/tfjs';
import type { FitSpec } from '../../api/types';
import type { Table } from '../../data/table';
import { studentTLogPdf } from '../../engine/distributions';
import { compileModel, type LogLikelihood, type ParamDef } from '../../engine/model';
import type { ModelStructure } from '../../engine/model-graph';
import { mergePriors, type Prior } from '../../engine/priors';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import type { ModelDefinition, PreparedModel } from '../types';
import { ADSTOCKS, adstockWidth, lagMatrix } from './adstock';
import { ADSTOCK_COMPONENTS } from './adstock-tensor';
import { liftTestLogLikelihood } from './lift-tests';
import { mmmOutputs, type MmmOutputs } from './outputs';
import { mmmPriorPredictive } from './prior-predictive';
import { MMM_OPTIONS } from './options';
import { prepareMmmData, type MmmConfig, type MmmData } from './prepare';
import { SATURATIONS } from './saturation';
import { SATURATION_COMPONENTS } from './saturation-tensor';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Default priors (PyMC-Marketing's MMM defaults) keyed by parameter base name, for the parameters
 * this design has: intercept Normal(0, 2); the adstock and saturation components' own defaults
 * (`adstock_alpha` Beta(1, 3), `saturation_lam` Gamma(3, 1), `saturation_beta` HalfNormal(2) for the
 * default geometric + logistic); gamma_control Normal(0, 2); gamma_fourier Laplace(0, 1);
 * sigma HalfNormal(2); nu Gamma(2, 0.1) for the Student-t likelihood.
 */
export function mmmDefaultPriors(data: Pick<MmmData, 'config' | 'controls' | 'fourier'>): Record<string, Prior> {
  const priors: Record<string, Prior> = { intercept: { dist: 'Normal', mu: 0, sigma: 2 } };
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  for (const k of ad.parameters) priors[`${ad.prefix}_${k}`] = ad.defaultPriors[k];
  for (const k of sat.parameters) priors[`${sat.prefix}_${k}`] = sat.defaultPriors[k];
  if (data.controls.length) priors.gamma_control = { dist: 'Normal', mu: 0, sigma: 2 };
  if (data.fourier.names.length) priors.gamma_fourier = { dist: 'Laplace', mu: 0, b: 1 };
  priors.sigma = { dist: 'HalfNormal', sigma: 2 };
  if (data.config.likelihood === 'studentt') priors.nu = { dist: 'Gamma', alpha: 2, beta: 0.1 };
  return priors;
}

/** Parameter definitions in layout order: intercept, adstock_*, saturation_*, gamma_control, gamma_fourier, sigma, nu. */
export function mmmParamDefs(data: MmmData, priors: Record<string, Prior>): ParamDef[] {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const defs: ParamDef[] = [{ name: 'intercept', prior: priors.intercept }];
  for (const k of ad.parameters) defs.push({ name: `${ad.prefix}_${k}`, prior: priors[`${ad.prefix}_${k}`], size: data.channels.length, labels: data.channels });
  for (const k of sat.parameters) defs.push({ name: `${sat.prefix}_${k}`, prior: priors[`${sat.prefix}_${k}`], size: data.channels.length, labels: data.channels });
  if (data.controls.length) defs.push({ name: 'gamma_control', prior: priors.gamma_control, size: data.controls.length, labels: data.controls.map((c) => c.name) });
  if (data.fourier.names.length) defs.push({ name: 'gamma_fourier', prior: priors.gamma_fourier, size: data.fourier.names.length, labels: data.fourier.names });
  defs.push({ name: 'sigma', prior: priors.sigma });
  if (data.config.likelihood === 'studentt') defs.push({ name: 'nu', prior: priors.nu });
  return defs;
}

/**
 * How the parameters combine (the model's graph, engine/model-graph.ts): spend is adstocked by the
 * adstock parameters, saturated by the saturation parameters, and with the intercept, the control
 * and Fourier terms makes mu, the mean of the observed (max-scaled) target; lift tests observe the
 * saturation curves.
 */
export function mmmStructure(data: MmmData): ModelStructure {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const M = data.channels.length;
  const adParams = ad.parameters.map((k) => `${ad.prefix}_${k}`);
  const satParams = sat.parameters.map((k) => `${sat.prefix}_${k}`);
  const structure: ModelStructure = {
    data: [
      { name: 'spend', label: `spend / max (${data.channels.join(', ')})`, size: M },
      ...(data.controls.length ? [{ name: 'controls', label: `${data.controls.map((c) => c.name).join(', ')}`, size: data.controls.length }] : []),
      ...(data.fourier.names.length ? [{ name: 'fourier', label: 'yearly Fourier terms', size: data.fourier.names.length }] : []),
    ],
    deterministic: [
      { name: 'adstocked', formula: `${data.config.adstock} adstock (l_max ${data.config.lMax})`, inputs: ['spend', ...adParams], size: M },
      { name: 'media', formula: `${data.config.saturation} saturation`, inputs: ['adstocked', ...satParams], size: M },
      {
        name: 'mu',
        formula: `intercept + Σ media${data.controls.length ? ' + controls·γ' : ''}${data.fourier.names.length ? ' + fourier·γ' : ''}`,
        inputs: ['intercept', 'media', ...(data.controls.length ? ['gamma_control', 'controls'] : []), ...(data.fourier.names.length ? ['gamma_fourier', 'fourier'] : [])],
      },
    ],
    likelihood: [
      data.config.likelihood === 'studentt'
        ? { name: `${data.target} / max`, dist: 'StudentT(nu, mu, sigma)', inputs: ['mu', 'sigma', 'nu'], size: data.train }
        : { name: `${data.target} / max`, dist: 'Normal(mu, sigma)', inputs: ['mu', 'sigma'], size: data.train },
    ],
  };
  if (data.liftTests.channel.length) {
    structure.likelihood.push({ name: 'lift tests', dist: 'Gamma(|Δ saturation|, σ)', inputs: satParams, size: data.liftTests.channel.length });
  }
  return structure;
}

/** Rows `[rows, train]` of a list of columns, as a float32 matrix (first `train` values of each). */
function rowsMatrix(columns: readonly Float64Array[], train: number): tf.Tensor2D {
  const out = new Float32Array(columns.length * train);
  columns.forEach((v, j) => out.set(v.subarray(0, train), j * train));
  return tf.tensor2d(out, [columns.length, train]);
}

/**
 * The batched log likelihood over the fitting rows (plus lift tests): constrained values, each
 * `[chains, size]`, to `[chains]`. Data constants are created once, here.
 */
export function mmmLogLikelihood(data: MmmData): LogLikelihood {
  const T = data.train;
  const M = data.channels.length;
  const ad = ADSTOCK_COMPONENTS[data.config.adstock];
  const sat = SATURATION_COMPONENTS[data.config.saturation];
  const L = data.config.lMax;
  const width = adstockWidth(data.config.adstock, L);
  const lagged = new Float32Array(M * width * T);
  data.spend.forEach((s, c) => lagged.set(lagMatrix(s.subarray(0, T).map((v) => v / data.xMax[c]), width), c * width * T));
  const lagX = tf.tensor3d(lagged, [M, width, T]);
  const y = tf.tensor2d(Float32Array.from(data.y.subarray(0, T), (v) => v / data.yMax), [1, T]);
  const Z = data.controls.length ? rowsMatrix(data.controls.map((c) => c.values), T) : undefined;
  const F = data.fourier.names.length ? rowsMatrix(data.fourier.values, T) : undefined;
  const adKeys = ad.parameters;
  const satKeys = sat.parameters;
  const studentT = data.config.likelihood === 'studentt';
  const lifts = data.liftTests.channel.length > 0 ? data.liftTests : undefined;

  return (v) => {
    const chains = v.intercept.shape[0];
    // [chains, M] -> [M, chains, 1]: channels become the batch axis of the adstock matMul.
    const perChannel = (t: tf.Tensor2D) => tf.reshape(tf.transpose(t), [M, chains, 1]);
    const w = ad.tensor(Object.fromEntries(adKeys.map((k) => [k, perChannel(v[`${ad.prefix}_${k}`])])), L); // [M, chains, width]
    const adstocked = tf.matMul(w as tf.Tensor3D, lagX); // [M, chains, T]
    const media = sat.tensor(adstocked, Object.fromEntries(satKeys.map((k) => [k, perChannel(v[`${sat.prefix}_${k}`])])));
    let mu: tf.Tensor = tf.add(v.intercept, tf.sum(media, 0)); // [chains, T]
    if (Z) mu = tf.add(mu, tf.matMul(v.gamma_control, Z));
    if (F) mu = tf.add(mu, tf.matMul(v.gamma_fourier, F));
    let ll: tf.Tensor1D;
    if (studentT) {
      ll = tf.sum(studentTLogPdf(y, v.nu, mu, v.sigma), 1) as tf.Tensor1D;
    } else {
      const sigma = tf.reshape(v.sigma, [chains]);
      const ss = tf.sum(tf.square(tf.sub(y, mu)), 1);
      ll = tf.sub(tf.mul(-0.5, tf.div(ss, tf.square(sigma))), tf.add(tf.mul(T, tf.log(sigma)), T * HALF_LOG_2PI)) as tf.Tensor1D;
    }
    if (lifts) {
      const satParams = Object.fromEntries(satKeys.map((k) => [k, v[`${sat.prefix}_${k}`]]));
      ll = tf.add(ll, liftTestLogLikelihood(sat, lifts, satParams, M));
    }
    return ll;
  };
}

/** Validated data, merged priors and the compiled model (exported for tests and benchmarks). */
export function buildMmm(table: Table, spec: FitSpec): { data: MmmData; priors: Record<string, Prior>; prepared: PreparedModel<MmmOutputs> } {
  const data = prepareMmmData(table, spec);
  const priors = mergePriors(mmmDefaultPriors(data), data.config.priors);
  const model = compileModel(mmmParamDefs(data, priors), mmmLogLikelihood(data), { structure: mmmStructure(data) });
  return { data, priors, prepared: { model, outputs: (posterior: Posterior) => mmmOutputs(data, posterior, priors) } };
}

/** The 'mmm' model definition (roles: date, target, channels, controls?, events?). */
export const mmmModel: ModelDefinition<'mmm', MmmOutputs> = defineModel({
  name: 'mmm',
  label: 'the MMM',
  roles: ['date', 'target', 'channels', 'controls', 'events'],
  options: MMM_OPTIONS,
  prepare: (table, spec) => buildMmm(table, spec).prepared,
  priorPredictive(table, spec, options) {
    const data = prepareMmmData(table, spec);
    return mmmPriorPredictive(data, mergePriors(mmmDefaultPriors(data), data.config.priors), options);
  },
});
