/**
 * The Bayesian media mix model ('mmm'), as PyMC-Marketing's `MMM` (same defaults, same parameter
 * names, same max-scaling), geo-level when the data has a geo column. On the max-scaled target,
 *   mu_t = intercept + sum_c saturation_c(adstock_c(x_c / max x_c))_t
 *          + sum_j gamma_control_j z_jt + sum_k gamma_fourier_k f_kt,
 *   y_t / max y ~ Normal(mu_t, sigma)   (or StudentT(nu, mu_t, sigma)),
 * plus one Gamma term per lift test (lift-tests.ts). Controls hold the user's controls (max-abs
 * scaled), the 0/1 events and the linear trend. With geos, each geo has its own intercept, channel
 * effect multipliers and noise scale, partially pooled (likelihood.ts); the national MMM is the
 * one-geo case of the same likelihood.
 */
import type { FitSpec } from '../../api/types';
import type { Table } from '../../data/table';
import { compileModel, type ParamDef } from '../../engine/model';
import type { ModelStructure } from '../../engine/model-graph';
import { mergePriors, type Prior } from '../../engine/priors';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import type { ModelDefinition, PreparedModel } from '../types';
import { ADSTOCKS } from './adstock';
import { geoCentring, geoParamNames } from './geo-params';
import { mmmLogLikelihood } from './likelihood';
import { mmmOutputs, type MmmOutputs } from './outputs';
import { mmmPriorPredictive } from './prior-predictive';
import { MMM_OPTIONS } from './options';
import { prepareMmmData, type MmmData } from './prepare';
import { SATURATIONS } from './saturation';

/**
 * Default priors (PyMC-Marketing's MMM defaults) keyed by parameter base name, for the parameters
 * this design has: intercept Normal(0, 2); the adstock and saturation components' own defaults
 * (`adstock_alpha` Beta(1, 3), `saturation_lam` Gamma(3, 1), `saturation_beta` HalfNormal(2) for the
 * default geometric + logistic); gamma_control Normal(0, 2); gamma_fourier Laplace(0, 1);
 * sigma HalfNormal(2); nu Gamma(2, 0.1) for the Student-t likelihood.
 */
export function mmmDefaultPriors(data: Pick<MmmData, 'config' | 'controls' | 'fourier' | 'geos'>): Record<string, Prior> {
  const priors: Record<string, Prior> = { intercept: { dist: 'Normal', mu: 0, sigma: 2 } };
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  for (const k of ad.parameters) priors[`${ad.prefix}_${k}`] = ad.defaultPriors[k];
  for (const k of sat.parameters) priors[`${sat.prefix}_${k}`] = sat.defaultPriors[k];
  if (data.controls.length) priors.gamma_control = { dist: 'Normal', mu: 0, sigma: 2 };
  if (data.fourier.names.length) priors.gamma_fourier = { dist: 'Laplace', mu: 0, b: 1 };
  priors.sigma = { dist: 'HalfNormal', sigma: 2 };
  if (data.config.likelihood === 'studentt') priors.nu = { dist: 'Gamma', alpha: 2, beta: 0.1 };
  if (data.geos.length > 1) {
    const g = geoParamNames(`${sat.prefix}_${sat.scaleParam}`);
    priors[g.interceptSigma] = { dist: 'HalfNormal', sigma: 1 };
    priors[g.effectSigma] = { dist: 'HalfNormal', sigma: 0.5 };
    priors[g.sigmaSigma] = { dist: 'HalfNormal', sigma: 0.5 };
    // Non-centred offsets are N(0, 1); centred geo values have their hierarchical densities in the likelihood (likelihood.ts).
    const centred = geoCentring(data.config.geoParametrisation);
    const z = (): Prior => ({ dist: 'Normal', mu: 0, sigma: 1 });
    if (centred.intercept) priors[g.interceptGeo] = { dist: 'Flat' };
    else priors[g.interceptZ] = z();
    if (centred.effect) priors[g.effectLog] = { dist: 'Flat' };
    else priors[g.effectZ] = z();
    if (centred.sigma) priors[g.sigmaGeo] = { dist: 'HalfFlat' };
    else priors[g.sigmaZ] = z();
  }
  return priors;
}

/**
 * Parameter definitions in layout order: intercept, adstock_*, saturation_*, gamma_control,
 * gamma_fourier, sigma, nu; with 2+ geos (likelihood.ts, geo-params.ts) also intercept_geo_sigma
 * and intercept_geo (centred) or intercept_geo_z (non-centred) after the intercept,
 * <scale>_geo_sigma and <scale>_geo_log or <scale>_geo_z after the saturation parameters,
 * sigma_geo_sigma and sigma_geo or sigma_geo_z after sigma (labelled `geo` or `geo, channel`,
 * geo-major; the `_z` offsets internal).
 */
export function mmmParamDefs(data: MmmData, priors: Record<string, Prior>): ParamDef[] {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const G = data.geos.length;
  const M = data.channels.length;
  const geo = G > 1 ? geoParamNames(`${sat.prefix}_${sat.scaleParam}`) : undefined;
  const centred = geoCentring(data.config.geoParametrisation);
  // Non-centred offsets are sampler coordinates (internal); centred geo values are model quantities.
  const byGeo = (name: string, isCentred: boolean): ParamDef => ({ name, prior: priors[name], size: G, labels: data.geos, ...(isCentred ? {} : { internal: true }) });
  const defs: ParamDef[] = [{ name: 'intercept', prior: priors.intercept }];
  if (geo) defs.push({ name: geo.interceptSigma, prior: priors[geo.interceptSigma] }, byGeo(centred.intercept ? geo.interceptGeo : geo.interceptZ, centred.intercept));
  for (const k of ad.parameters) defs.push({ name: `${ad.prefix}_${k}`, prior: priors[`${ad.prefix}_${k}`], size: M, labels: data.channels });
  for (const k of sat.parameters) defs.push({ name: `${sat.prefix}_${k}`, prior: priors[`${sat.prefix}_${k}`], size: M, labels: data.channels });
  if (geo) {
    defs.push({ name: geo.effectSigma, prior: priors[geo.effectSigma], size: M, labels: data.channels });
    const name = centred.effect ? geo.effectLog : geo.effectZ;
    defs.push({ name, prior: priors[name], size: G * M, labels: data.geos.flatMap((g) => data.channels.map((c) => `${g}, ${c}`)), ...(centred.effect ? {} : { internal: true }) });
  }
  if (data.controls.length) defs.push({ name: 'gamma_control', prior: priors.gamma_control, size: data.controls.length, labels: data.controls.map((c) => c.name) });
  if (data.fourier.names.length) {
    const perGeo = data.config.geoSeasonality === 'per geo';
    const labels = perGeo ? data.geos.flatMap((g) => data.fourier.names.map((n) => `${g}, ${n}`)) : data.fourier.names;
    defs.push({ name: 'gamma_fourier', prior: priors.gamma_fourier, size: labels.length, labels });
  }
  defs.push({ name: 'sigma', prior: priors.sigma });
  if (geo) defs.push({ name: geo.sigmaSigma, prior: priors[geo.sigmaSigma] }, byGeo(centred.sigma ? geo.sigmaGeo : geo.sigmaZ, centred.sigma));
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
  const G = data.geos.length;
  // With 2+ geos: the geo intercepts enter mu, the geo channel effects the media, the geo noise scales the likelihood.
  const geo = G > 1 ? geoParamNames(`${sat.prefix}_${sat.scaleParam}`) : undefined;
  const centred = geoCentring(data.config.geoParametrisation);
  const geoIntercept = geo ? [geo.interceptSigma, centred.intercept ? geo.interceptGeo : geo.interceptZ] : [];
  const geoEffect = geo ? [geo.effectSigma, centred.effect ? geo.effectLog : geo.effectZ] : [];
  const geoSigma = geo ? [geo.sigmaSigma, centred.sigma ? geo.sigmaGeo : geo.sigmaZ] : [];
  const adParams = ad.parameters.map((k) => `${ad.prefix}_${k}`);
  const satParams = sat.parameters.map((k) => `${sat.prefix}_${k}`);
  const structure: ModelStructure = {
    data: [
      { name: 'spend', label: `${data.exposures ? 'media' : 'spend'} / max (${data.channels.join(', ')})${geo ? `, per geo (${G})` : ''}`, size: M * G },
      ...(data.controls.length ? [{ name: 'controls', label: `${data.controls.map((c) => c.name).join(', ')}`, size: data.controls.length }] : []),
      ...(data.fourier.names.length ? [{ name: 'fourier', label: 'yearly Fourier terms', size: data.fourier.names.length }] : []),
    ],
    deterministic: [
      { name: 'adstocked', formula: `${data.config.adstock} adstock (l_max ${data.config.lMax})`, inputs: ['spend', ...adParams], size: M * G },
      { name: 'media', formula: `${data.config.saturation} saturation${geo ? ' × geo effect' : ''}`, inputs: ['adstocked', ...satParams, ...geoEffect], size: M * G },
      {
        name: 'mu',
        formula: `${geo ? 'geo intercept' : 'intercept'} + Σ media${data.controls.length ? ' + controls·γ' : ''}${data.fourier.names.length ? ' + fourier·γ' : ''}`,
        inputs: ['intercept', ...geoIntercept, 'media', ...(data.controls.length ? ['gamma_control', 'controls'] : []), ...(data.fourier.names.length ? ['gamma_fourier', 'fourier'] : [])],
      },
    ],
    likelihood: [
      data.config.likelihood === 'studentt'
        ? { name: `${data.target} / max`, dist: `StudentT(nu, mu, ${geo ? 'sigma_g' : 'sigma'})`, inputs: ['mu', 'sigma', ...geoSigma, 'nu'], size: data.train * G }
        : { name: `${data.target} / max`, dist: `Normal(mu, ${geo ? 'sigma_g' : 'sigma'})`, inputs: ['mu', 'sigma', ...geoSigma], size: data.train * G },
    ],
  };
  if (data.liftTests.channel.length) {
    structure.likelihood.push({ name: 'lift tests', dist: 'Gamma(|Δ saturation|, σ)', inputs: satParams, size: data.liftTests.channel.length });
  }
  return structure;
}

/** Validated data, merged priors and the compiled model (exported for tests and benchmarks). */
export function buildMmm(table: Table, spec: FitSpec): { data: MmmData; priors: Record<string, Prior>; prepared: PreparedModel<MmmOutputs> } {
  const data = prepareMmmData(table, spec);
  const priors = mergePriors(mmmDefaultPriors(data), data.config.priors);
  const model = compileModel(mmmParamDefs(data, priors), mmmLogLikelihood(data), { structure: mmmStructure(data) });
  return { data, priors, prepared: { model, outputs: (posterior: Posterior) => mmmOutputs(data, posterior, priors) } };
}

/**
 * The 'mmm' model definition (roles: date, target, channels, and optional geo, population,
 * exposures, revenuePerKpi, controls, events).
 */
export const mmmModel: ModelDefinition<'mmm', MmmOutputs> = defineModel({
  name: 'mmm',
  label: 'the MMM',
  roles: ['date', 'target', 'channels', 'geo', 'population', 'exposures', 'revenuePerKpi', 'controls', 'events'],
  options: MMM_OPTIONS,
  prepare: (table, spec) => buildMmm(table, spec).prepared,
  priorPredictive(table, spec, options) {
    const data = prepareMmmData(table, spec);
    return mmmPriorPredictive(data, mergePriors(mmmDefaultPriors(data), data.config.priors), options);
  },
});
