/** Names of a geo-level MMM's own parameters (likelihood.ts), tfjs-free for the outputs. */

/**
 * The geo-level parameter names, PyMC-Marketing style, for a saturation scale parameter `scale`
 * (e.g. `saturation_beta`): the spread and non-centred offsets of the geo intercepts, of the geo
 * channel effects (log beta_gc = log beta_c + eta_c z_gc: `<scale>_geo_sigma` is eta,
 * `<scale>_geo_z` is z, labelled `geo, channel`) and of the geo noise scales.
 */
export function geoParamNames(scale: string): GeoParamNames {
  return {
    interceptSigma: 'intercept_geo_sigma',
    interceptZ: 'intercept_geo_z',
    interceptGeo: 'intercept_geo',
    effectSigma: `${scale}_geo_sigma`,
    effectZ: `${scale}_geo_z`,
    effectLog: `${scale}_geo_log`,
    sigmaSigma: 'sigma_geo_sigma',
    sigmaZ: 'sigma_geo_z',
    sigmaGeo: 'sigma_geo',
  };
}

/**
 * The geo-level parameters. Non-centred (`_z` offsets, N(0, 1)): tau_g = intercept +
 * intercept_geo_sigma z_g, log m_gc = eta_c z_gc, log sigma_g = log sigma + sigma_geo_sigma z_g.
 * Centred (the geo values themselves, their hierarchical density in the likelihood):
 * `intercept_geo[g]` ~ Normal(intercept, intercept_geo_sigma), `<scale>_geo_log[g, c]` = log m_gc
 * ~ Normal(0, eta_c), `sigma_geo[g]` ~ LogNormal(log sigma, sigma_geo_sigma).
 */
export interface GeoParamNames {
  interceptSigma: string;
  interceptZ: string;
  interceptGeo: string;
  effectSigma: string;
  effectZ: string;
  effectLog: string;
  sigmaSigma: string;
  sigmaZ: string;
  sigmaGeo: string;
}

/** Which geo levels are centred (the geo values are parameters) rather than non-centred (`_z` offsets). */
export interface GeoCentring {
  intercept: boolean;
  effect: boolean;
  sigma: boolean;
}

/**
 * The levels each `config.geoParametrisation` centres: 'centred' all three, 'non-centred' none,
 * 'centred intercepts' the geo intercepts only (each geo's intercept is pinned by its many periods,
 * so offsets z_g = (tau_g - intercept) / intercept_geo_sigma make a narrow curved ridge).
 */
export function geoCentring(parametrisation: string): GeoCentring {
  const all = parametrisation === 'centred';
  return { intercept: all || parametrisation === 'centred intercepts', effect: all, sigma: all };
}
