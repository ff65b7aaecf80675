/** Names of a geo-level MMM's own parameters (likelihood.ts), tfjs-free for the outputs. */

/**
 * The geo-level parameter names, PyMC-Marketing style, for a saturation scale parameter `scale`
 * (e.g. `saturation_beta`): the spread and non-centred offsets of the geo intercepts, of the geo
 * channel effects (log beta_gc = log beta_c + eta_c z_gc: `<scale>_geo_sigma` is eta,
 * `<scale>_geo_z` is z, labelled `geo, channel`) and of the geo noise scales.
 */
export function geoParamNames(scale: string): { interceptSigma: string; interceptZ: string; effectSigma: string; effectZ: string; sigmaSigma: string; sigmaZ: string } {
  return {
    interceptSigma: 'intercept_geo_sigma',
    interceptZ: 'intercept_geo_z',
    effectSigma: `${scale}_geo_sigma`,
    effectZ: `${scale}_geo_z`,
    sigmaSigma: 'sigma_geo_sigma',
    sigmaZ: 'sigma_geo_z',
  };
}
