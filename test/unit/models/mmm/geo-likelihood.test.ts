/**
 * Geo-level MMM log density: the batched tfjs likelihood against an independent plain-TypeScript
 * float64 implementation written here from the formulas (likelihood.ts header) at random points,
 * with population (per-capita scales, checked against the raw CSV), without (each geo's own
 * maximum), centred and non-centred pooling, per-geo seasonality, Student-t and exposures; the one-geo case equals the national
 * MMM's log density; and the parameter count the row check uses equals the model's.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { createRng } from '../../../../src/engine/rng';
import { lgammaF64 } from '../../../../src/engine/special-f64';
import { mmmLogLikelihood } from '../../../../src/models/mmm/likelihood';
import { buildMmm } from '../../../../src/models/mmm/mmm';
import { parameterCount, type MmmData } from '../../../../src/models/mmm/prepare';
import { simulateGeoMmm } from '../../../data/generate-geo-mmm-sample.mjs';

const GEO_SPEC: FitSpec = {
  dataset: 'geo',
  model: 'mmm',
  columns: { date: 'date', geo: 'geo', population: 'population', target: 'sales', channels: ['tv', 'search', 'social'] },
};

async function build(csv: string, spec: FitSpec) {
  const { table } = await parseCsvText(csv, 'data.csv');
  return buildMmm(table, spec);
}

/** Geometric and delayed weights, logistic and Hill saturation (PyMC-Marketing's formulas). */
function weights(kind: string, p: Record<string, number>, L: number): number[] {
  const w = Array.from({ length: L }, (_, l) => (kind === 'geometric' ? p.alpha ** l : p.alpha ** ((l - p.theta) ** 2)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}
function saturate(kind: string, x: number, p: Record<string, number>): number {
  if (kind === 'logistic') return (p.beta * (1 - Math.exp(-p.lam * x))) / (1 + Math.exp(-p.lam * x));
  return x <= 0 ? 0 : p.beta * (x ** p.slope / (p.kappa ** p.slope + x ** p.slope));
}

/** The geo log likelihood at one constrained point `v` (flat names), float64, from the formulas. */
function referenceLogLik(data: MmmData, v: Record<string, number>): number {
  const { adstock, saturation, lMax, likelihood, geoSeasonality } = data.config;
  const G = data.geos.length;
  const T = data.dates.length;
  const byLabel = (prefix: string, label: string) => {
    const out: Record<string, number> = {};
    for (const [n, x] of Object.entries(v)) {
      const m = new RegExp(`^${prefix}_(lam|beta|alpha|theta|slope|kappa)\\[(.*)\\]$`).exec(n);
      if (m && m[2] === label) out[m[1]] = x;
    }
    return out;
  };
  const scale = saturation === 'logistic' || saturation === 'hill' ? 'saturation_beta' : '';
  const parametrisation = data.config.geoParametrisation;
  const centredIntercept = parametrisation === 'centred' || parametrisation === 'centred intercepts';
  const centred = parametrisation === 'centred'; // effects and noise scales too
  const logNormal = (x: number, mean: number, s: number) => -0.5 * ((x - mean) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  let ll = 0;
  data.geos.forEach((geo, g) => {
    let tau = v.intercept;
    let sigma = v.sigma;
    if (G > 1) {
      // Centred, hierarchical densities: tau_g ~ Normal(intercept, s), sigma_g ~ LogNormal(log sigma, s), log m_gc ~ Normal(0, eta_c).
      if (centredIntercept) {
        tau = v[`intercept_geo[${geo}]`];
        ll += logNormal(tau, v.intercept, v.intercept_geo_sigma);
      } else tau = v.intercept + v.intercept_geo_sigma * v[`intercept_geo_z[${geo}]`];
      if (centred) {
        sigma = v[`sigma_geo[${geo}]`];
        ll += logNormal(Math.log(sigma), Math.log(v.sigma), v.sigma_geo_sigma) - Math.log(sigma);
        data.channels.forEach((ch) => (ll += logNormal(v[`${scale}_geo_log[${geo}, ${ch}]`], 0, v[`${scale}_geo_sigma[${ch}]`])));
      } else sigma = v.sigma * Math.exp(v.sigma_geo_sigma * v[`sigma_geo_z[${geo}]`]);
    }
    for (let t = 0; t < data.train; t++) {
      let mu = tau;
      data.channels.forEach((ch, c) => {
        const w = weights(adstock, byLabel('adstock', ch), lMax);
        let x = 0;
        for (let l = 0; l < w.length && l <= t; l++) x += w[l] * (data.media[c][g * T + t - l] / data.xMax[g][c]);
        const m = G === 1 ? 1 : Math.exp(centred ? v[`${scale}_geo_log[${geo}, ${ch}]`] : v[`${scale}_geo_sigma[${ch}]`] * v[`${scale}_geo_z[${geo}, ${ch}]`]);
        mu += m * saturate(saturation, x, byLabel('saturation', ch));
      });
      data.controls.forEach((z) => (mu += v[`gamma_control[${z.name}]`] * z.values[g * T + t]));
      data.fourier.names.forEach((n, j) => (mu += v[geoSeasonality === 'per geo' ? `gamma_fourier[${geo}, ${n}]` : `gamma_fourier[${n}]`] * data.fourier.values[j][t]));
      const r = (data.y[g * T + t] / data.yMax[g] - mu) / sigma;
      if (likelihood === 'normal') ll += -0.5 * r * r - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
      else ll += lgammaF64((v.nu + 1) / 2) - lgammaF64(v.nu / 2) - 0.5 * Math.log(v.nu * Math.PI) - Math.log(sigma) - ((v.nu + 1) / 2) * Math.log1p((r * r) / v.nu);
    }
  });
  return ll;
}

/** Random constrained points (3 chains) inside each parameter's support. */
function randomPoints(names: readonly string[], seed: number): Record<string, number>[] {
  const rng = createRng(seed);
  return [0, 1, 2].map(() =>
    Object.fromEntries(
      names.map((n) => {
        const z = rng.normal();
        if (/^adstock_alpha/.test(n)) return [n, 1 / (1 + Math.exp(-z))];
        if (n === 'intercept' || /^gamma_/.test(n) || /_geo_(z|log)\[/.test(n) || /^intercept_geo\[/.test(n)) return [n, 0.7 * z];
        if (n === 'sigma') return [n, 0.05 + 0.2 * rng.uniform()];
        if (n === 'nu') return [n, 2 + 10 * rng.uniform()];
        return [n, Math.exp(0.4 * z) * (/_geo_sigma/.test(n) ? 0.3 : 1)]; // positive parameters
      }),
    ),
  );
}

function tensorLogLik(data: MmmData, names: readonly string[], parameters: readonly { name: string; offset: number; size: number }[], points: Record<string, number>[]): number[] {
  return tf.tidy(() => {
    const values = Object.fromEntries(
      parameters.map((p) => [p.name, tf.tensor2d(points.flatMap((pt) => names.slice(p.offset, p.offset + p.size).map((n) => pt[n])), [points.length, p.size])]),
    );
    return Array.from(mmmLogLikelihood(data)(values).dataSync());
  });
}

/** Meridian-like exposures: impressions = spend x a geo- and channel-specific rate with noise. */
function withExposures(csv: string): string {
  const rng = createRng(4);
  const [header, ...rows] = csv.trim().split('\n');
  return [
    `${header},tv_imp,search_imp,social_imp`,
    ...rows.map((r) => {
      const f = r.split(',');
      return `${r},${[4, 5, 6].map((j, c) => (Number(f[j]) * (50 + 10 * c) * (0.8 + 0.4 * rng.uniform())).toFixed(1)).join(',')}`;
    }),
  ].join('\n');
}

describe('geo MMM log density', () => {
  const sim = simulateGeoMmm({ geos: 5, weeks: 60, seed: 7 });
  const cases: { label: string; csv: string; spec: FitSpec }[] = [
    { label: 'population (per capita), geometric + logistic, trend, shared seasonality, centred intercepts (default)', csv: sim.csv, spec: GEO_SPEC },
    { label: 'population, centred', csv: sim.csv, spec: { ...GEO_SPEC, config: { geoParametrisation: 'centred' } } },
    { label: 'population, non-centred', csv: sim.csv, spec: { ...GEO_SPEC, config: { geoParametrisation: 'non-centred' } } },
    {
      label: 'no population (own maxima), delayed + hill, Student-t, seasonality per geo, holdout',
      csv: sim.csv,
      spec: { ...GEO_SPEC, columns: { ...GEO_SPEC.columns, population: [] }, config: { adstock: 'delayed', saturation: 'hill', likelihood: 'studentt', geoSeasonality: 'per geo', holdoutPeriods: 8 } },
    },
    { label: 'exposures (effect on impressions)', csv: withExposures(sim.csv), spec: { ...GEO_SPEC, columns: { ...GEO_SPEC.columns, exposures: ['tv_imp', 'search_imp', 'social_imp'] } } },
  ];
  for (const { label, csv, spec } of cases) {
    it(`likelihood equals the float64 reference at random points: ${label}`, async () => {
      const { data, prepared } = await build(csv, spec);
      const model = prepared.model;
      const points = randomPoints(model.names, 5);
      const got = tensorLogLik(data, model.names, model.parameters, points);
      points.forEach((v, k) => {
        const ref = referenceLogLik(data, v);
        // float32 over 5 x 60 rows: as the national test, 2e-5 relative to |ll|, at least 1e-2 absolute.
        expect(Math.abs(got[k] - ref), `${label} point ${k}: ${got[k]} vs ${ref}`).toBeLessThan(2e-5 * Math.abs(ref) + 1e-2);
      });
      expect(parameterCount({
        geos: data.geos.length,
        channels: data.channels.length,
        mediaParamsPerChannel: model.parameters.filter((p) => /^(adstock|saturation)_[a-z]+$/.test(p.name)).length,
        controls: data.controls.length,
        fourier: data.fourier.names.length,
        fourierPerGeo: data.config.geoSeasonality === 'per geo',
        studentT: data.config.likelihood === 'studentt',
      })).toBe(model.constrainedDim);
    });
  }

  it('scales per capita with a population, each geo by its own maximum without', async () => {
    const { data } = await build(sim.csv, GEO_SPEC);
    const { table } = await parseCsvText(sim.csv, 'data.csv');
    const col = (n: string) => table.columns.find((c) => c.name === n)?.values as Float64Array;
    const geo = table.columns.find((c) => c.name === 'geo')?.values as string[];
    const pop = col('population');
    const perCapitaMax = (n: string) => Math.max(...Array.from(col(n), (v, i) => v / pop[i]));
    data.geos.forEach((g, gi) => {
      const p = pop[geo.indexOf(g)];
      expect(data.population?.[gi]).toBe(p);
      expect(data.yMax[gi]).toBeCloseTo(p * perCapitaMax('sales'), 6);
      data.channels.forEach((ch, c) => expect(data.xMax[gi][c]).toBeCloseTo(p * perCapitaMax(ch), 6));
    });
    const own = await build(sim.csv, { ...GEO_SPEC, columns: { ...GEO_SPEC.columns, population: [] } });
    data.geos.forEach((g, gi) => {
      const rows = geo.flatMap((x, i) => (x === g ? [i] : []));
      expect(own.data.yMax[gi]).toBe(Math.max(...rows.map((i) => col('sales')[i])));
      expect(own.data.xMax[gi][0]).toBe(Math.max(...rows.map((i) => col('tv')[i])));
    });
  });

  it('one geo gives exactly the national MMM: same parameters, same log density', async () => {
    const one = simulateGeoMmm({ geos: 1, weeks: 80, seed: 3 });
    const national = await build(one.csv, { ...GEO_SPEC, columns: { ...GEO_SPEC.columns, geo: [], population: [] } });
    for (const columns of [GEO_SPEC.columns, { ...GEO_SPEC.columns, population: [] }]) {
      const geo = await build(one.csv, { ...GEO_SPEC, columns });
      expect(geo.data.geos).toEqual(['G01']);
      expect(geo.prepared.model.names).toEqual(national.prepared.model.names);
      const rng = createRng(2);
      const dim = national.prepared.model.dim;
      const theta = tf.tensor2d(Array.from({ length: 3 * dim }, () => 0.8 * rng.normal()), [3, dim]);
      const a = Array.from(national.prepared.model.logDensity(theta).dataSync());
      const b = Array.from(geo.prepared.model.logDensity(theta).dataSync());
      theta.dispose();
      // The same float32 ops on the same scaled data (population cancels in one geo's scales up to rounding).
      a.forEach((v, k) => expect(Math.abs(b[k] - v)).toBeLessThan(1e-6 * Math.abs(v) + 1e-4));
    }
  });
});
