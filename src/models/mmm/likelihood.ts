/**
 * The MMM's batched log likelihood, geo-level (the national MMM is its one-geo case). Per geo g and
 * fitted period t, on the scaled target y_gt / yMax_g,
 *   mu_gt = tau_g + sum_c m_gc f_c(adstock_c(x_gct / xMax_gc)) + sum_j gamma_control_j z_jgt
 *           + sum_k gamma_fourier_k s_kt,
 *   y_gt / yMax_g ~ Normal(mu_gt, sigma_g)   (or StudentT(nu, mu_gt, sigma_g)),
 * plus one Gamma term per lift test (lift-tests.ts). With one geo, tau = intercept, m = 1 and
 * sigma_g = sigma: the national MMM exactly (same ops). With 2+ geos, all partially pooled:
 *   tau_g ~ Normal(intercept, intercept_geo_sigma),
 *   log m_gc ~ Normal(0, eta_c), eta = <scale>_geo_sigma   (so log beta_gc = log beta_c + eta_c z_gc,
 *              beta the saturation's scale parameter, e.g. `saturation_beta`, z standard normal),
 *   log sigma_g ~ Normal(log sigma, sigma_geo_sigma),
 * each level sampled non-centred (standard normal offsets `_z`) or centred (the geo values are
 * parameters, their density is added here; Neal's funnel when weakly informed), as
 * config.geoParametrisation says (geo-params.ts: by default the intercepts centred, the rest
 * non-centred), and gamma_fourier is
 * shared, or one set per geo (config.geoSeasonality 'per geo').
 *
 * Kernels per evaluation stay few and independent of G: all geos' series are laid end to end
 * (geo-major, G * T columns), every channel is adstocked at once by one batched matMul of weights
 * `[channels, chains, width]` with a constant lag matrix `[channels, width, G * T]` (each geo's
 * lags start at its own first period), per-geo quantities are spread over their geo's columns by a
 * matMul with a constant 0/1 indicator `[G, G * T]`, and per-geo sums of squares are one matMul with
 * its transpose. No gather, no convolution.
 */
import * as tf from '@tensorflow/tfjs';
import { studentTLogPdf } from '../../engine/distributions';
import type { LogLikelihood } from '../../engine/model';
import { adstockWidth, lagMatrix } from './adstock';
import { ADSTOCK_COMPONENTS } from './adstock-tensor';
import { geoCentring, geoParamNames } from './geo-params';
import { liftTestLogLikelihood } from './lift-tests';
import type { MmmData } from './prepare';
import { SATURATION_COMPONENTS } from './saturation-tensor';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Float32 matrix `[columns.length, G * train]`: each column's fitted periods of every geo, end to end. */
function fittedRows(columns: readonly Float64Array[], G: number, T: number, train: number): tf.Tensor2D {
  const out = new Float32Array(columns.length * G * train);
  columns.forEach((v, j) => {
    for (let g = 0; g < G; g++) out.set(v.subarray(g * T, g * T + train), (j * G + g) * train);
  });
  return tf.tensor2d(out, [columns.length, G * train]);
}

/**
 * The batched log likelihood over the fitting rows (plus lift tests): constrained values, each
 * `[chains, size]`, to `[chains]`. Data constants are created once, here.
 */
export function mmmLogLikelihood(data: MmmData): LogLikelihood {
  const G = data.geos.length;
  const T = data.dates.length;
  const train = data.train;
  const N = G * train;
  const M = data.channels.length;
  const ad = ADSTOCK_COMPONENTS[data.config.adstock];
  const sat = SATURATION_COMPONENTS[data.config.saturation];
  const L = data.config.lMax;
  const width = adstockWidth(data.config.adstock, L);
  const lagged = new Float32Array(M * width * N);
  data.media.forEach((s, c) => {
    for (let g = 0; g < G; g++) {
      const lag = lagMatrix(
        s.subarray(g * T, g * T + train).map((v) => v / data.xMax[g][c]),
        width,
      );
      for (let l = 0; l < width; l++) lagged.set(lag.subarray(l * train, (l + 1) * train), (c * width + l) * N + g * train);
    }
  });
  const lagX = tf.tensor3d(lagged, [M, width, N]);
  const yScaled = new Float32Array(N);
  for (let g = 0; g < G; g++) for (let t = 0; t < train; t++) yScaled[g * train + t] = data.y[g * T + t] / data.yMax[g];
  const y = tf.tensor2d(yScaled, [1, N]);
  const Z = data.controls.length ? fittedRows(data.controls.map((c) => c.values), G, T, train) : undefined;
  const K = data.fourier.names.length;
  const perGeoSeason = data.config.geoSeasonality === 'per geo';
  let F: tf.Tensor2D | undefined;
  if (K && perGeoSeason) {
    // Block-diagonal [G * K, G * train]: geo g's coefficients act on geo g's columns only.
    const block = new Float32Array(G * K * N);
    for (let g = 0; g < G; g++) for (let k = 0; k < K; k++) block.set(data.fourier.values[k].subarray(0, train), (g * K + k) * N + g * train);
    F = tf.tensor2d(block, [G * K, N]);
  } else if (K) {
    F = fittedRows(data.fourier.values.map((v) => Float64Array.from({ length: G * T }, (_, i) => v[i % T])), G, T, train);
  }
  // Geo indicator [G, N] (geo g's columns), and the channel-to-(geo, channel) tiling [M, G * M].
  const geoSpread = G > 1 ? tf.tensor2d(Float32Array.from({ length: G * N }, (_, i) => (Math.floor((i % N) / train) === Math.floor(i / N) ? 1 : 0)), [G, N]) : undefined;
  const geoSum = geoSpread ? tf.transpose(geoSpread) : undefined;
  const tileChannels = G > 1 ? tf.tensor2d(Float32Array.from({ length: M * G * M }, (_, i) => (i % M === Math.floor(i / (G * M)) ? 1 : 0)), [M, G * M]) : undefined;
  const names = geoParamNames(`${sat.prefix}_${sat.scaleParam}`);
  const adKeys = ad.parameters;
  const satKeys = sat.parameters;
  const studentT = data.config.likelihood === 'studentt';
  const lifts = data.liftTests.channel.length > 0 ? data.liftTests : undefined;
  const centred = geoCentring(data.config.geoParametrisation);

  /**
   * Per chain: geo intercepts tau `[chains, G]`, log effect multipliers `[chains, G * M]` and log
   * noise scales `[chains, G]`; centred, also the hierarchical log density of the geo values.
   */
  const geoLevels = (v: Record<string, tf.Tensor2D>, chains: number) => {
    const eta = tf.matMul(v[names.effectSigma], tileChannels as tf.Tensor2D); // [chains, G * M]
    // sum of log Normal(x | mean, s) over a row: -0.5 sum ((x - mean) / s)^2 - sum log s - n log sqrt(2 pi).
    const normal = (x: tf.Tensor, mean: tf.Tensor | number, s: tf.Tensor, n: number) =>
      tf.sub(tf.sum(tf.add(tf.mul(-0.5, tf.square(tf.div(tf.sub(x, mean), s))), tf.neg(tf.log(s))), 1), n * HALF_LOG_2PI);
    const priors: tf.Tensor[] = [];
    let tau: tf.Tensor;
    if (centred.intercept) {
      tau = v[names.interceptGeo];
      priors.push(normal(tau, v.intercept, tf.tile(v[names.interceptSigma], [1, G]), G));
    } else tau = tf.add(v.intercept, tf.mul(v[names.interceptSigma], v[names.interceptZ]));
    let logM: tf.Tensor;
    if (centred.effect) {
      logM = v[names.effectLog];
      priors.push(normal(logM, 0, eta, G * M));
    } else logM = tf.mul(eta, v[names.effectZ]);
    let logSigma: tf.Tensor;
    if (centred.sigma) {
      logSigma = tf.log(v[names.sigmaGeo]);
      // LogNormal density of sigma_g: the Normal of its log, less log sigma_g.
      priors.push(tf.sub(normal(logSigma, tf.log(v.sigma), tf.tile(v[names.sigmaSigma], [1, G]), G), tf.sum(logSigma, 1)));
    } else logSigma = tf.add(tf.log(v.sigma), tf.mul(v[names.sigmaSigma], v[names.sigmaZ]));
    const prior = priors.length ? tf.reshape(priors.length > 1 ? tf.addN(priors) : priors[0], [chains]) : undefined;
    return { tau, logM, logSigma, prior };
  };

  return (v) => {
    const chains = v.intercept.shape[0];
    // [chains, M] -> [M, chains, 1]: channels become the batch axis of the adstock matMul.
    const perChannel = (t: tf.Tensor2D) => tf.reshape(tf.transpose(t), [M, chains, 1]);
    const w = ad.tensor(Object.fromEntries(adKeys.map((k) => [k, perChannel(v[`${ad.prefix}_${k}`])])), L); // [M, chains, width]
    const adstocked = tf.matMul(w as tf.Tensor3D, lagX); // [M, chains, N]
    let media = sat.tensor(adstocked, Object.fromEntries(satKeys.map((k) => [k, perChannel(v[`${sat.prefix}_${k}`])])));
    let mu: tf.Tensor;
    let geoPrior: tf.Tensor | undefined;
    let logSigma: tf.Tensor | undefined;
    if (geoSpread && tileChannels) {
      const geo = geoLevels(v, chains);
      geoPrior = geo.prior;
      logSigma = geo.logSigma;
      // m_gc, [chains, G * M] geo-major -> [M, chains, N] over each geo's columns.
      const perGeo = tf.reshape(tf.transpose(tf.reshape(tf.exp(geo.logM), [chains, G, M]), [2, 0, 1]), [M * chains, G]);
      media = tf.mul(media, tf.reshape(tf.matMul(perGeo, geoSpread), [M, chains, N]));
      mu = tf.add(tf.matMul(geo.tau, geoSpread), tf.sum(media, 0));
    } else {
      mu = tf.add(v.intercept, tf.sum(media, 0)); // [chains, N]
    }
    if (Z) mu = tf.add(mu, tf.matMul(v.gamma_control, Z));
    if (F) mu = tf.add(mu, tf.matMul(v.gamma_fourier, F));
    let ll: tf.Tensor1D;
    if (geoSpread && geoSum && logSigma) {
      if (studentT) {
        ll = tf.sum(studentTLogPdf(y, v.nu, mu, tf.matMul(tf.exp(logSigma), geoSpread)), 1) as tf.Tensor1D;
      } else {
        const ss = tf.matMul(tf.square(tf.sub(y, mu)), geoSum); // [chains, G]
        const perGeo = tf.add(tf.mul(-0.5, tf.mul(ss, tf.exp(tf.mul(-2, logSigma)))), tf.mul(-train, logSigma));
        ll = tf.sub(tf.sum(perGeo, 1), N * HALF_LOG_2PI) as tf.Tensor1D;
      }
    } else if (studentT) {
      ll = tf.sum(studentTLogPdf(y, v.nu, mu, v.sigma), 1) as tf.Tensor1D;
    } else {
      const sigma = tf.reshape(v.sigma, [chains]);
      const ss = tf.sum(tf.square(tf.sub(y, mu)), 1);
      ll = tf.sub(tf.mul(-0.5, tf.div(ss, tf.square(sigma))), tf.add(tf.mul(N, tf.log(sigma)), N * HALF_LOG_2PI)) as tf.Tensor1D;
    }
    if (geoPrior) ll = tf.add(ll, geoPrior) as tf.Tensor1D;
    if (lifts) {
      const satParams = Object.fromEntries(satKeys.map((k) => [k, v[`${sat.prefix}_${k}`]]));
      ll = tf.add(ll, liftTestLogLikelihood(sat, lifts, satParams, M));
    }
    return ll;
  };
}
