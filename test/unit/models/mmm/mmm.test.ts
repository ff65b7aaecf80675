/**
 * MMM model: the batched tfjs log likelihood (and the full log density with priors and Jacobians)
 * against an independent plain-TypeScript float64 implementation written here from the formulas,
 * at random points, for several adstock/saturation/likelihood combinations with controls, events,
 * trend, seasonality and lift tests; parameter names and priors; and the specific messages for bad
 * input.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { mmmLogLikelihood } from '../../../../src/models/mmm/likelihood';
import { buildMmm } from '../../../../src/models/mmm/mmm';
import type { MmmData } from '../../../../src/models/mmm/prepare';
import { lgammaF64 } from '../../../../src/engine/special-f64';
import { createRng } from '../../../../src/engine/rng';
import { simulateMmm, simulateThreeChannels } from './simulate';
import { findMap } from '../../../../src/engine/map';
import { findModel } from '../../../../src/models/registry';

const SIM_SPEC: FitSpec = {
  dataset: 'sim',
  model: 'mmm',
  columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] },
};

// ---- Independent float64 reference (formulas as PyMC-Marketing's transformers.py states them) ----

function weights(kind: string, p: Record<string, number>, L: number): number[] {
  let w: number[];
  if (kind === 'geometric') w = Array.from({ length: L }, (_, l) => p.alpha ** l);
  else if (kind === 'delayed') w = Array.from({ length: L }, (_, l) => p.alpha ** ((l - p.theta) ** 2));
  else if (kind === 'weibull_pdf') {
    const pdf = Array.from({ length: L }, (_, i) => (p.k / p.lam) * ((i + 1) / p.lam) ** (p.k - 1) * Math.exp(-(((i + 1) / p.lam) ** p.k)));
    const lo = Math.min(...pdf);
    const hi = Math.max(...pdf);
    w = pdf.map((v) => (v - lo) / (hi - lo));
  } else {
    w = [1];
    for (let i = 1; i <= L; i++) w.push(w[i - 1] * Math.exp(-((i / p.lam) ** p.k)));
  }
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

function saturate(kind: string, x: number, p: Record<string, number>): number {
  if (kind === 'logistic') return (p.beta * (1 - Math.exp(-p.lam * x))) / (1 + Math.exp(-p.lam * x));
  if (kind === 'hill') return x <= 0 ? 0 : p.beta * (1 - p.kappa ** p.slope / (p.kappa ** p.slope + x ** p.slope));
  if (kind === 'michaelis_menten') return (p.alpha * x) / (p.lam + x);
  return p.b * Math.tanh(x / (p.b * p.c));
}

/** Log likelihood at one constrained point `v` (flat names), float64. */
function referenceLogLik(data: MmmData, v: Record<string, number>): number {
  const { adstock, saturation, lMax, likelihood } = data.config;
  const chParams = (prefix: string, ch: string) => {
    const out: Record<string, number> = {};
    for (const [n, x] of Object.entries(v)) {
      const m = new RegExp(`^${prefix}_(\\w+)\\[(.*)\\]$`).exec(n);
      if (m && m[2] === ch) out[m[1]] = x;
    }
    return out;
  };
  let ll = 0;
  for (let t = 0; t < data.train; t++) {
    let mu = v.intercept;
    data.channels.forEach((ch, c) => {
      const w = weights(adstock, chParams('adstock', ch), lMax);
      let x = 0;
      for (let l = 0; l < w.length && l <= t; l++) x += w[l] * (data.media[c][t - l] / data.xMax[0][c]);
      mu += saturate(saturation, x, chParams('saturation', ch));
    });
    data.controls.forEach((z) => (mu += v[`gamma_control[${z.name}]`] * z.values[t]));
    data.fourier.names.forEach((n, j) => (mu += v[`gamma_fourier[${n}]`] * data.fourier.values[j][t]));
    const r = (data.y[t] / data.yMax[0] - mu) / v.sigma;
    if (likelihood === 'normal') ll += -0.5 * r * r - Math.log(v.sigma) - 0.5 * Math.log(2 * Math.PI);
    else ll += lgammaF64((v.nu + 1) / 2) - lgammaF64(v.nu / 2) - 0.5 * Math.log(v.nu * Math.PI) - Math.log(v.sigma) - ((v.nu + 1) / 2) * Math.log1p((r * r) / v.nu);
  }
  const lifts = data.liftTests;
  lifts.channel.forEach((c, k) => {
    const p = chParams('saturation', data.channels[c]);
    const mu = Math.abs(saturate(saturation, lifts.xAfter[k], p) - saturate(saturation, lifts.xBefore[k], p)) + 1e-6;
    const s2 = lifts.sigma[k] ** 2;
    const a = (mu * mu) / s2;
    const b = mu / s2;
    ll += a * Math.log(b) - lgammaF64(a) + (a - 1) * Math.log(lifts.deltaY[k]) - b * lifts.deltaY[k];
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
        if (n === 'intercept' || /^gamma_/.test(n)) return [n, 0.5 * z];
        if (n === 'sigma') return [n, 0.05 + 0.2 * rng.uniform()];
        if (n === 'nu') return [n, 2 + 10 * rng.uniform()];
        return [n, Math.exp(0.4 * z)]; // positive media parameters
      }),
    ),
  );
}

/** The model's likelihood at `points`, through the real tensor code path (constrained values by base name). */
function tensorLogLik(data: MmmData, names: readonly string[], parameters: readonly { name: string; offset: number; size: number }[], points: Record<string, number>[]): number[] {
  return tf.tidy(() => {
    const values = Object.fromEntries(
      parameters.map((p) => [p.name, tf.tensor2d(points.flatMap((pt) => names.slice(p.offset, p.offset + p.size).map((n) => pt[n])), [points.length, p.size])]),
    );
    return Array.from(mmmLogLikelihood(data)(values).dataSync());
  });
}

async function build(csv: string, spec: FitSpec) {
  const { table } = await parseCsvText(csv, 'data.csv');
  return buildMmm(table, spec);
}

describe('MMM log density', () => {
  const three = simulateThreeChannels();
  const THREE: FitSpec = { dataset: 'three', model: 'mmm', columns: { date: 'date', target: 'sales', channels: ['tv', 'search', 'social'], controls: ['price'] } };
  const cases: { label: string; csv: string; spec: FitSpec }[] = [
    { label: 'geometric + logistic, events, trend, seasonality', csv: simulateMmm(327).csv, spec: SIM_SPEC },
    { label: 'weibull_pdf + hill, Student-t', csv: simulateMmm(327).csv, spec: { ...SIM_SPEC, config: { adstock: 'weibull_pdf', saturation: 'hill', likelihood: 'studentt', yearlySeasonality: 1 } } },
    {
      label: 'weibull_cdf + michaelis_menten, control, lift tests',
      csv: three.csv,
      spec: {
        ...THREE,
        config: {
          adstock: 'weibull_cdf',
          saturation: 'michaelis_menten',
          lMax: 6,
          liftTests: [
            { channel: 'search', spendBefore: 40, spendAfter: 60, deltaY: 50, sigma: 20 },
            { channel: 'tv', spendBefore: 50, spendAfter: 30, deltaY: -80, sigma: 30 },
          ],
        },
      },
    },
    { label: 'delayed + tanh, holdout, no trend', csv: three.csv, spec: { ...THREE, config: { adstock: 'delayed', saturation: 'tanh', trend: false, holdoutWeeks: 20, yearlySeasonality: 3 } } },
  ];
  for (const { label, csv, spec } of cases) {
    it(`likelihood equals the float64 reference at random points: ${label}`, async () => {
      const { data, prepared } = await build(csv, spec);
      const model = prepared.model;
      const points = randomPoints(model.names, 5);
      const got = tensorLogLik(data, model.names, model.parameters, points);
      points.forEach((v, k) => {
        const ref = referenceLogLik(data, v);
        // float32: ~1e-6 relative per op on O(1) terms summed over <= 179 rows, then the sum
        // (|ll| up to ~1e5 when sigma is small): 2e-5 relative to |ll|, at least 1e-2 absolute.
        expect(Math.abs(got[k] - ref), `${label} point ${k}: ${got[k]} vs ${ref}`).toBeLessThan(2e-5 * Math.abs(ref) + 1e-2);
      });
    });
  }

  it('full log density = likelihood + default priors + log-Jacobians (independent float64 sum)', async () => {
    const { data, prepared } = await build(simulateMmm(327).csv, SIM_SPEC);
    const model = prepared.model;
    const rng = createRng(9);
    const theta = [0, 1, 2].map(() => Float32Array.from({ length: model.dim }, () => 0.8 * rng.normal()));
    const flat = tf.tensor2d(theta.flatMap((p) => Array.from(p)), [3, model.dim]);
    const got = Array.from(model.logDensity(flat).dataSync());
    const constrained = Array.from(model.constrain(flat).dataSync());
    flat.dispose();
    const P = model.constrainedDim;
    theta.forEach((u, k) => {
      const v = Object.fromEntries(model.names.map((n, j) => [n, constrained[k * P + j]]));
      const normal = (x: number, s: number) => -0.5 * (x / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
      let prior = 0;
      model.names.forEach((n, j) => {
        const x = v[n];
        if (n === 'intercept' || n.startsWith('gamma_control')) prior += normal(x, 2);
        else if (n.startsWith('gamma_fourier')) prior += -Math.log(2) - Math.abs(x);
        // Beta(1, 3) = 3 (1 - x)^2; logit Jacobian log x + log(1 - x).
        else if (n.startsWith('adstock_alpha')) prior += Math.log(3) + 2 * Math.log1p(-x) + Math.log(x) + Math.log1p(-x);
        // Gamma(3, 1) = x^2 e^-x / 2; log Jacobian of exp = u.
        else if (n.startsWith('saturation_lam')) prior += 2 * Math.log(x) - x - Math.log(2) + u[j];
        // HalfNormal(2) = 2 N(x | 0, 2); log Jacobian u.
        else if (n.startsWith('saturation_beta') || n === 'sigma') prior += Math.LN2 + normal(x, 2) + u[j];
        else throw new Error(`unexpected parameter ${n}`);
      });
      const ref = referenceLogLik(data, v) + prior;
      expect(Math.abs(got[k] - ref), `point ${k}: ${got[k]} vs ${ref}`).toBeLessThan(2e-5 * Math.abs(ref) + 1e-2);
    });
  });
});

describe('MMM parameters and priors', () => {
  it('names parameters as DESIGN.md and PyMC-Marketing do', async () => {
    const { prepared } = await build(simulateMmm(327).csv, SIM_SPEC);
    expect(prepared.model.names).toEqual([
      'intercept',
      'adstock_alpha[x1]',
      'adstock_alpha[x2]',
      'saturation_lam[x1]',
      'saturation_lam[x2]',
      'saturation_beta[x1]',
      'saturation_beta[x2]',
      'gamma_control[event_1]',
      'gamma_control[event_2]',
      'gamma_control[trend]',
      'gamma_fourier[sin_1]',
      'gamma_fourier[sin_2]',
      'gamma_fourier[cos_1]',
      'gamma_fourier[cos_2]',
      'sigma',
    ]);
  });

  it('merges user priors over the defaults and rejects an unknown prior key', async () => {
    const { priors } = await build(simulateMmm(327).csv, { ...SIM_SPEC, config: { priors: { saturation_lam: { dist: 'Gamma', alpha: 2, beta: 2 } } } });
    expect(priors.saturation_lam).toEqual({ dist: 'Gamma', alpha: 2, beta: 2 });
    expect(priors.intercept).toEqual({ dist: 'Normal', mu: 0, sigma: 2 });
    expect(priors.gamma_fourier).toEqual({ dist: 'Laplace', mu: 0, b: 1 });
    await expect(build(simulateMmm(327).csv, { ...SIM_SPEC, config: { priors: { saturation_kappa: { dist: 'HalfNormal', sigma: 1 } } } })).rejects.toThrow(
      /unknown prior 'saturation_kappa'/,
    );
    const { table } = await parseCsvText(simulateMmm(327).csv, 'data.csv');
    expect(() => findModel('mmm').prepare(table, { ...SIM_SPEC, config: { adstok: 'geometric' } })).toThrow(/config.adstok is not an option of the MMM; the options are adstock, lMax/);
  });
});

describe('MMM bad input', () => {
  const weeks = (n: number, row: (i: number) => string, header = 'date,y,x1') =>
    `${header}\n` + Array.from({ length: n }, (_, i) => `${new Date(Date.UTC(2020, 0, 6) + i * 7 * 86_400_000).toISOString().slice(0, 10)},${row(i)}`).join('\n') + '\n';
  const ONE: FitSpec = { dataset: 'b', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] } };
  const fails = async (csv: string, re: RegExp, spec: FitSpec = ONE) => expect(build(csv, spec)).rejects.toThrow(re);

  it('names negative spend, an all-zero channel, gaps, duplicates, too few rows and a NaN target', async () => {
    await fails(weeks(40, (i) => `${100 + i},${i === 5 ? -1 : 2}`), /Row 6: channel "x1" has negative spend \(-1\)/);
    await fails(weeks(40, (i) => `${100 + i},0`), /Channel "x1" is all zeros/);
    await fails('date,y,x1\n2020-01-06,1,1\n2020-01-13,2,1\n2020-01-27,3,1\n', /not evenly spaced: 2020-01-13 to 2020-01-27 \(row 3\) is 14 days/);
    await fails('date,y,x1\n2020-01-06,1,1\n2020-01-13,2,1\n2020-01-13,3,1\n', /the date 2020-01-13 appears twice/);
    await fails(weeks(10, (i) => `${100 + i},${i % 3}`), /Too few rows to fit: 10 periods for 10 parameters/);
    await fails(weeks(40, (i) => `${i === 7 ? '' : 100 + i},${i % 3}`), /Row 8: target "y" is missing or not a number/);
    await fails(weeks(40, (i) => `${100 + i},${i % 3},${i === 3 ? 2 : 0}`, 'date,y,x1,promo'), /Row 4: event column "promo" must hold 0 or 1, got 2/, {
      ...ONE,
      columns: { ...ONE.columns, events: ['promo'] },
    });
    await fails(weeks(40, (i) => `${100 + i},${i % 3}`), /holdoutWeeks \(30\) leaves too little to fit/, { ...ONE, config: { holdoutWeeks: 30 } });
  });

  it('refuses a target too large to compute with (1e308), naming the column and row', async () => {
    // It used to fit, with every output overflowing to null and the results page broken.
    await fails(weeks(40, (i) => `${i === 9 ? '1e308' : 100 + i},${i % 3}`), /Column "y" \(for target\) has 1e\+308 in data row 10: values beyond ±1e15 are too large/);
    await fails(weeks(40, (i) => `${100 + i},${i === 2 ? '-2e20' : i % 3}`), /Column "x1" \(for channel\) has -200000000000000000000 in data row 3/);
  });
});

describe('MMM mode', () => {
  it('L-BFGS converges on a year of daily data with 10 channels (37 parameters)', async () => {
    // It takes ~560 iterations here (~1,700 on three years): the optimiser's cap was 500, so the
    // sampler, which starts from the mode's Laplace approximation only when the mode converged,
    // fell back to spread starts and its chains never met (3 years daily: R-hat 6.1 -> 1.06).
    const rng = createRng(5);
    const channels = Array.from({ length: 10 }, (_, c) => `ch${c}`);
    const rows = [`date,y,${channels.join(',')}`];
    for (let d = 0; d < 365; d++) {
      const spend = channels.map(() => (rng.uniform() > 0.3 ? Math.round(1000 * rng.uniform()) : 0));
      const media = spend.reduce((a, x, c) => a + (0.5 + c / 10) * 3000 * (1 - Math.exp(-x / 800)), 0);
      const y = 5000 + media + 300 * Math.sin((2 * Math.PI * d) / 365) + 1700 * rng.normal();
      rows.push(`${new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10)},${y.toFixed(2)},${spend.join(',')}`);
    }
    const { table } = await parseCsvText(rows.join('\n'), 'daily.csv');
    const { model } = findModel('mmm').prepare(table, { dataset: 'daily', model: 'mmm', columns: { date: 'date', target: 'y', channels } });
    expect(model.dim).toBe(37);
    const mode = await findMap(model);
    expect(mode.converged).toBe(true);
  }, 60_000);
});
