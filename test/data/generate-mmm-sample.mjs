#!/usr/bin/env node
/**
 * Generates public/samples/mmm-weekly.csv: the PyMC-Marketing MMM example's data-generating process
 * as test/fixtures/README.md ("MMM simulated example") describes it. It reproduces the PROCESS
 * (and so the truth), not numpy's exact draws: the uniform and normal variates come from our own
 * seeded generator (Mulberry32 + Box-Muller), not `numpy.random.default_rng(327)`.
 *
 * Process: 179 weekly dates 2018-04-02 .. 2021-08-30; x1 ~ U(0,1), kept if > 0.9 else halved;
 * x2 ~ U(0,1), kept if > 0.8 else 0; geometric adstock normalised with l_max = 8 and alpha = (0.4,
 * 0.2); logistic saturation (1 - e^(-lam x)) / (1 + e^(-lam x)) with lam = (4, 3); beta = (3, 2);
 * intercept 2; trend (linspace(0, 50, n) + 10)^(1/4) - 1; seasonality 0.5 (-sin(4 pi doy / 365.5)
 * + cos(2 pi doy / 365.5)); event_1 (2019-05-13) adds 1.5, event_2 (2020-09-14) adds 2.5; noise
 * N(0, 0.25); y = 1000 x the sum.
 *
 * Usage: node test/data/generate-mmm-sample.mjs [seed]   (default seed 327; writes the CSV)
 * Also imported by the unit tests (simulateMmm) so the file and the generator stay in step.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DAY_MS = 86_400_000;

/** Mulberry32 uniform on [0, 1) and Box-Muller standard normals, seeded. */
export function createRng(seed) {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare;
  const normal = () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** Normalised geometric adstock of x with l_max lags. */
function geometricAdstock(x, alpha, lMax) {
  const w = Array.from({ length: lMax }, (_, l) => alpha ** l);
  const s = w.reduce((a, b) => a + b, 0);
  return x.map((_, t) => {
    let v = 0;
    for (let l = 0; l < lMax && l <= t; l++) v += (w[l] / s) * x[t - l];
    return v;
  });
}

const logistic = (x, lam) => (1 - Math.exp(-lam * x)) / (1 + Math.exp(-lam * x));

/**
 * The simulated data set and its truth. `truth.lamScaled` is lam on the max-scaled channel axis
 * (lam x max(x)), `truth.betaScaled` beta on the max-scaled target axis, `truth.share` each
 * channel's share of the total media contribution over all rows.
 */
export function simulateMmm(seed = 327) {
  const rng = createRng(seed);
  const start = Date.UTC(2018, 3, 2);
  const n = Math.round((Date.UTC(2021, 7, 30) - start) / (7 * DAY_MS)) + 1;
  const dates = Array.from({ length: n }, (_, i) => start + i * 7 * DAY_MS);
  const x1 = dates.map(() => {
    const u = rng.uniform();
    return u > 0.9 ? u : u / 2;
  });
  const x2 = dates.map(() => {
    const u = rng.uniform();
    return u > 0.8 ? u : 0;
  });
  const alpha = [0.4, 0.2];
  const lam = [4, 3];
  const beta = [3, 2];
  const media = [x1, x2].map((x, c) => geometricAdstock(x, alpha[c], 8).map((v) => beta[c] * logistic(v, lam[c])));
  const trend = dates.map((_, i) => Math.pow((50 * i) / (n - 1) + 10, 0.25) - 1);
  const doy = dates.map((d) => Math.floor((d - Date.UTC(new Date(d).getUTCFullYear(), 0, 1)) / DAY_MS) + 1);
  const season = doy.map((d) => 0.5 * (-Math.sin((4 * Math.PI * d) / 365.5) + Math.cos((2 * Math.PI * d) / 365.5)));
  const e1 = dates.map((d) => (d === Date.UTC(2019, 4, 13) ? 1 : 0));
  const e2 = dates.map((d) => (d === Date.UTC(2020, 8, 14) ? 1 : 0));
  const y = dates.map((_, t) => 1000 * (2 + trend[t] + season[t] + 1.5 * e1[t] + 2.5 * e2[t] + media[0][t] + media[1][t] + 0.25 * rng.normal()));
  const rows = dates.map((d, t) => `${new Date(d).toISOString().slice(0, 10)},${y[t].toFixed(4)},${x1[t].toFixed(6)},${x2[t].toFixed(6)},${e1[t]},${e2[t]}`);
  const totals = media.map((m) => m.reduce((a, b) => a + b, 0));
  const xMax = [Math.max(...x1), Math.max(...x2)];
  const yMax = Math.max(...y.map(Math.abs));
  return {
    csv: `date,y,x1,x2,event_1,event_2\n${rows.join('\n')}\n`,
    truth: {
      alpha,
      lam,
      lamScaled: lam.map((l, c) => l * xMax[c]),
      betaScaled: beta.map((b) => (1000 * b) / yMax),
      share: totals.map((v) => v / (totals[0] + totals[1])),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = process.argv[2] ? Number(process.argv[2]) : 327;
  const out = new URL('../../public/samples/mmm-weekly.csv', import.meta.url);
  writeFileSync(out, simulateMmm(seed).csv);
  console.log(`wrote ${fileURLToPath(out)} (seed ${seed})`);
}
