#!/usr/bin/env node
/**
 * Generates the LTV/CAC sample: public/samples/acquisition-mmm.csv (weekly new customers and spend
 * per channel) and public/samples/acquisition-transactions.csv (every purchase of those customers,
 * with the channel that acquired each). Seeded (our Mulberry32 + Box-Muller, shared with
 * generate-mmm-sample.mjs), so the truth is known.
 *
 * Acquisition (the MMM's process, PyMC-Marketing's transforms): 104 weeks from 2023-01-02. Spend
 * per week: search 0 (30% of the weeks) or 500 + 2500 U; social 0 (half the weeks) or 1000 + 2000 U;
 * tv in alternating 6-week flights of 4000 + 4000 U, else 0 (rounded to cents). Weeks without a
 * channel's spend let the MMM tell it from the baseline. New customers of each channel in week
 * t ~ Poisson(beta_c logistic(lam_c adstock_t)), adstock_t the normalised geometric adstock
 * (l_max 8, alpha_c) of spend / max spend, logistic(v) = (1 - e^-v) / (1 + e^-v):
 *
 *   channel  alpha  lam  beta (customers/week)
 *   search   0.2    2.0  30
 *   social   0.4    3.0  20
 *   tv       0.6    1.5  20
 *
 * plus organic customers ~ Poisson(14 + 3 sin(2 pi day-of-year / 365.25)). `new_customers` is
 * their sum; the true incremental customers of a channel are the sum of its Poisson means over the
 * 104 weeks, and its true CAC is its spend over them (`truth.cac`).
 *
 * Purchases (BG/NBD, Fader, Hardie & Lee 2005, in weeks): each customer buys first on a uniform
 * day of the acquisition week, then at Poisson rate lambda ~ gamma(r, alpha) and drops out after
 * each repeat purchase with probability p ~ beta(a, b); a customer's mean spend is gamma (shape 4)
 * around the channel's mean, each purchase gamma (shape 6) around the customer's mean:
 *
 *   channel  r    alpha  a    b    mean spend
 *   search   1.0  10     1.1  4.0  60
 *   social   1.0  12     1.2  3.0  45
 *   tv       1.2  16     0.8  4.0  80
 *   organic  1.0  12     0.9  4.0  50
 *
 * Purchases are observed until 2025-06-29 (26 weeks after the last acquisition week). The true
 * 12-month value of a newly acquired customer (margin 1, 1% monthly discount; `truth.ltv` is
 * computed by the tests from these parameters) is mean spend x (1 + sum over months m of the
 * discounted expected repeat purchases in month m), the BG/NBD's E[X(t)].
 *
 * Usage: node test/data/generate-ltv-sample.mjs [seed]   (default seed 2024; writes both CSVs)
 * Also imported by the unit tests (simulateAcquisition), so the files and the generator stay in step.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from './generate-mmm-sample.mjs';

const DAY_MS = 86_400_000;
const WEEKS = 104;
const START = Date.UTC(2023, 0, 2);
const OBSERVATION_END = Date.UTC(2025, 5, 29);
const L_MAX = 8;

export const MEDIA = {
  search: { alpha: 0.2, lam: 2.0, beta: 30 },
  social: { alpha: 0.4, lam: 3.0, beta: 20 },
  tv: { alpha: 0.6, lam: 1.5, beta: 20 },
};

export const PURCHASES = {
  search: { r: 1.0, alpha: 10, a: 1.1, b: 4.0, spend: 60 },
  social: { r: 1.0, alpha: 12, a: 1.2, b: 3.0, spend: 45 },
  tv: { r: 1.2, alpha: 16, a: 0.8, b: 4.0, spend: 80 },
  organic: { r: 1.0, alpha: 12, a: 0.9, b: 4.0, spend: 50 },
};

/** Gamma(shape, 1) variate (Marsaglia & Tsang 2000). */
export function gamma(rng, shape) {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x;
    let v;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson variate by inversion (means here are below 60). */
export function poisson(rng, mean) {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

const logistic = (v) => (1 - Math.exp(-v)) / (1 + Math.exp(-v));

function adstock(x, alpha) {
  const w = Array.from({ length: L_MAX }, (_, l) => alpha ** l);
  const s = w.reduce((a, b) => a + b, 0);
  return x.map((_, t) => {
    let v = 0;
    for (let l = 0; l < L_MAX && l <= t; l++) v += (w[l] / s) * x[t - l];
    return v;
  });
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Both CSVs and the acquisition truth (incremental customers, spend and CAC per channel). */
export function simulateAcquisition(seed = 2024) {
  const rng = createRng(seed);
  const weeks = Array.from({ length: WEEKS }, (_, i) => START + i * 7 * DAY_MS);
  const cents = (v) => Math.round(v * 100) / 100;
  const spend = {
    search: weeks.map(() => (rng.uniform() < 0.3 ? 0 : cents(500 + 2500 * rng.uniform()))),
    social: weeks.map(() => (rng.uniform() < 0.5 ? 0 : cents(1000 + 2000 * rng.uniform()))),
    tv: weeks.map((_, i) => (Math.floor(i / 6) % 2 === 0 ? cents(4000 + 4000 * rng.uniform()) : 0)),
  };
  const channels = Object.keys(MEDIA);
  const means = Object.fromEntries(
    channels.map((ch) => {
      const { alpha, lam, beta } = MEDIA[ch];
      const max = Math.max(...spend[ch]);
      return [ch, adstock(spend[ch].map((v) => v / max), alpha).map((v) => beta * logistic(lam * v))];
    }),
  );
  means.organic = weeks.map((w) => {
    const doy = Math.floor((w - Date.UTC(new Date(w).getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    return 14 + 3 * Math.sin((2 * Math.PI * doy) / 365.25);
  });

  const sources = [...channels, 'organic'];
  const customers = [];
  const newCustomers = weeks.map((w, t) => {
    let total = 0;
    for (const ch of sources) {
      const n = poisson(rng, means[ch][t]);
      for (let k = 0; k < n; k++) customers.push({ channel: ch, first: w + Math.floor(7 * rng.uniform()) * DAY_MS });
      total += n;
    }
    return total;
  });

  const rows = [];
  customers.forEach((c, i) => {
    const id = `c${String(i + 1).padStart(5, '0')}`;
    const p = PURCHASES[c.channel];
    const lambda = gamma(rng, p.r) / p.alpha;
    const ga = gamma(rng, p.a);
    const dropout = ga / (ga + gamma(rng, p.b));
    const meanSpend = (p.spend * gamma(rng, 4)) / 4;
    const buy = (ms) => rows.push({ ms, line: `${id},${iso(ms)},${((meanSpend * gamma(rng, 6)) / 6).toFixed(2)},${c.channel}` });
    buy(c.first);
    let t = c.first;
    for (;;) {
      t += (-Math.log(1 - rng.uniform()) / lambda) * 7 * DAY_MS;
      if (t >= OBSERVATION_END + DAY_MS) break;
      buy(Math.floor(t / DAY_MS) * DAY_MS);
      if (rng.uniform() < dropout) break;
    }
  });
  rows.sort((x, y) => x.ms - y.ms);

  const sum = (a) => a.reduce((s, v) => s + v, 0);
  const incremental = Object.fromEntries(channels.map((ch) => [ch, sum(means[ch])]));
  const totalSpend = Object.fromEntries(channels.map((ch) => [ch, sum(spend[ch])]));
  return {
    mmmCsv:
      `date,new_customers,${channels.join(',')}\n` +
      weeks.map((w, t) => [iso(w), newCustomers[t], ...channels.map((ch) => spend[ch][t].toFixed(2))].join(',')).join('\n') +
      '\n',
    transactionsCsv: `customer_id,date,amount,channel\n${rows.map((r) => r.line).join('\n')}\n`,
    truth: {
      weeks: WEEKS,
      observationEnd: iso(OBSERVATION_END),
      customers: Object.fromEntries(sources.map((ch) => [ch, customers.filter((c) => c.channel === ch).length])),
      incremental,
      spend: totalSpend,
      cac: Object.fromEntries(channels.map((ch) => [ch, totalSpend[ch] / incremental[ch]])),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = process.argv[2] ? Number(process.argv[2]) : 2024;
  const sim = simulateAcquisition(seed);
  for (const [file, text] of [
    ['acquisition-mmm.csv', sim.mmmCsv],
    ['acquisition-transactions.csv', sim.transactionsCsv],
  ]) {
    const out = new URL(`../../public/samples/${file}`, import.meta.url);
    writeFileSync(out, text);
    console.log(`wrote ${fileURLToPath(out)} (${text.length} bytes, seed ${seed})`);
  }
  console.log(JSON.stringify(sim.truth, null, 1));
}
