#!/usr/bin/env node
/**
 * Generates public/samples/geo-mmm.csv: weekly geo-level MMM data from the studio's geo model
 * (src/models/mmm/likelihood.ts) with known parameters, so the right answer is known.
 *
 * Process (defaults: 12 geos x 104 weeks from 2022-01-03, 3 channels tv, search, social; seed 18):
 * population_g = round(10^U(5, 6.3)); per-capita spend per week: tv in flights (on 60% of weeks,
 * 0.2 + 0.6 U), search 0.05 + 0.25 U on 75% of weeks, social 0.3 U on 40% of weeks (every channel
 * is off in some weeks, so its effect can be told from the baseline), each times a geo
 * factor 0.6 + 0.8 U; spend = population x per-capita spend. On the per-capita axes (spend divided
 * by population and by the channel's largest per-capita spend, as the model scales it):
 *   sales_gt / population_g = Y0 (tau_g + 0.1 t / (T - 1) + 0.08 sin(2 pi doy / 365.25)
 *        + sum_c beta_c m_gc tanh(lam_c a_gct / 2) + sigma_g e_gt),
 * Y0 = 2 (sales per head at the unit level), a the geometric adstock (l_max 8, normalised) with
 * alpha = (0.6, 0.2, 0.4), lam = (2, 3, 4), beta = (0.25, 0.15, 0.1), tau_g = 1 + 0.2 N,
 * log m_gc = 0.3 N (channel effect per geo), sigma_g = 0.04 exp(0.2 N), e ~ N(0, 1).
 * The script prints nothing else; the truth (alphas, national and per-geo ROAS) is returned by
 * `simulateGeoMmm` for the tests.
 *
 * Usage: node test/data/generate-geo-mmm-sample.mjs   (writes the CSV)
 * Also imported by the unit tests (simulateGeoMmm, with other sizes) so the file and the
 * generator stay in step.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from './generate-mmm-sample.mjs';

const DAY_MS = 86_400_000;
const CHANNELS = ['tv', 'search', 'social', 'radio', 'display', 'print'];
const ALPHA = [0.6, 0.2, 0.4, 0.5, 0.3, 0.7];
const LAM = [2, 3, 4, 2.5, 3.5, 3];
const BETA = [0.25, 0.15, 0.1, 0.12, 0.08, 0.1];
const L_MAX = 8;
const Y0 = 2;

/** Per-capita spend of channel c in week t before the geo factor. */
function perCapitaSpend(c, rng) {
  switch (c % 3) {
    case 0:
      return rng.uniform() < 0.6 ? 0.2 + 0.6 * rng.uniform() : 0;
    case 1:
      return rng.uniform() < 0.75 ? 0.05 + 0.25 * rng.uniform() : 0;
    default:
      return rng.uniform() < 0.4 ? 0.3 * rng.uniform() : 0;
  }
}

/**
 * Simulated geo MMM data (see the header) and its truth: adstock alphas, national ROAS per
 * channel and ROAS per geo and channel (sales per unit of spend over all weeks).
 */
export function simulateGeoMmm({ geos = 12, weeks = 104, channels = 3, seed = 18 } = {}) {
  const rng = createRng(seed);
  const names = CHANNELS.slice(0, channels);
  const start = Date.UTC(2022, 0, 3);
  const dates = Array.from({ length: weeks }, (_, t) => start + t * 7 * DAY_MS);
  const geoNames = Array.from({ length: geos }, (_, g) => `G${String(g + 1).padStart(2, '0')}`);
  const population = geoNames.map(() => Math.round(10 ** (5 + 1.3 * rng.uniform())));
  const geoFactor = geoNames.map(() => names.map(() => 0.6 + 0.8 * rng.uniform()));
  // Per-capita spend [g][c][t].
  const perCapita = geoNames.map((_, g) => names.map((_, c) => dates.map(() => perCapitaSpend(c, rng) * geoFactor[g][c])));
  const xScale = names.map((_, c) => Math.max(...perCapita.map((geo) => Math.max(...geo[c]))));
  const tau = geoNames.map(() => 1 + 0.2 * rng.normal());
  const multiplier = geoNames.map(() => names.map(() => Math.exp(0.3 * rng.normal())));
  const sigma = geoNames.map(() => 0.04 * Math.exp(0.2 * rng.normal()));
  const weights = names.map((_, c) => {
    const w = Array.from({ length: L_MAX }, (_, l) => ALPHA[c] ** l);
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / s);
  });
  const contribution = geoNames.map(() => names.map(() => 0)); // [g][c] sales over all weeks
  const spendTotal = geoNames.map(() => names.map(() => 0));
  const rows = [];
  geoNames.forEach((geo, g) => {
    dates.forEach((d, t) => {
      const doy = Math.floor((d - Date.UTC(new Date(d).getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
      let mu = tau[g] + (0.1 * t) / (weeks - 1) + 0.08 * Math.sin((2 * Math.PI * doy) / 365.25);
      names.forEach((_, c) => {
        let a = 0;
        for (let l = 0; l < L_MAX && l <= t; l++) a += weights[c][l] * (perCapita[g][c][t - l] / xScale[c]);
        const media = BETA[c] * multiplier[g][c] * Math.tanh((LAM[c] * a) / 2);
        mu += media;
        contribution[g][c] += population[g] * Y0 * media;
        spendTotal[g][c] += population[g] * perCapita[g][c][t];
      });
      const sales = population[g] * Y0 * (mu + sigma[g] * rng.normal());
      const spend = names.map((_, c) => (population[g] * perCapita[g][c][t]).toFixed(2));
      rows.push([new Date(d).toISOString().slice(0, 10), geo, population[g], sales.toFixed(2), ...spend].join(','));
    });
  });
  const roasGeo = geoNames.map((_, g) => names.map((_, c) => contribution[g][c] / spendTotal[g][c]));
  const roas = names.map((_, c) => contribution.reduce((s, r) => s + r[c], 0) / spendTotal.reduce((s, r) => s + r[c], 0));
  return {
    csv: `date,geo,population,sales,${names.join(',')}\n${rows.join('\n')}\n`,
    truth: { channels: names, geos: geoNames, alpha: ALPHA.slice(0, channels), lam: LAM.slice(0, channels), roas, roasGeo, population },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../../public/samples/geo-mmm.csv', import.meta.url), simulateGeoMmm().csv);
}
