#!/usr/bin/env node
/**
 * Generates public/samples/abtest.csv: a customer-level A/B test of a coupon with known truth.
 *
 * Process (per customer, half of them treated at random): segment new / regular / loyal with
 * probabilities 0.4 / 0.4 / 0.2; pre-period revenue prev = round(exp(3.5 + 0.5 N(0, 1)), 2);
 * buys with logit p = base[seg] + 0.015 (prev - 35) + treated × uplift[seg], base (-2.2, -1.6, -1.0),
 * uplift in log-odds (0.5, 0.3, 0) by default; a buyer spends Gamma(shape 2, mean m) with
 * log m = spend[seg] + 0.006 (prev - 35) + treated × spendUplift, spend (3.6, 3.9, 4.2),
 * spendUplift -0.05 (the coupon trims the basket); purchases = 1 + Poisson(0.6) for a buyer, else 0;
 * converted = 1 for a buyer; revenue rounded to cents.
 *
 * The truth is the model's estimand: the average over these customers of P(buy) and of
 * P(buy) × mean spend with minus without the coupon (per segment too), from the true parameters.
 *
 * Usage: node test/data/generate-abtest-sample.mjs   (writes the CSV and prints the truth)
 * Also imported by the unit tests (simulateAbTest), with other sizes, uplifts and seeds.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gamma, poisson } from './generate-ltv-sample.mjs';
import { createRng } from './generate-mmm-sample.mjs';

export const SEGMENTS = ['new', 'regular', 'loyal'];
const SEGMENT_P = [0.4, 0.4, 0.2];
const BASE = [-2.2, -1.6, -1.0];
const SPEND = [3.6, 3.9, 4.2];

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/**
 * Simulates `n` customers. `uplift` (log-odds per segment) and `spendUplift` (log mean spend) set the
 * truth; `segments: false` leaves the segment column out of the CSV.
 */
export function simulateAbTest({ n = 4000, seed = 2024, uplift = [0.5, 0.3, 0], spendUplift = -0.05, segments = true } = {}) {
  const rng = createRng(seed);
  const rows = [];
  const sum = { buy: [0, 0], rev: [0, 0] };
  const seg = SEGMENTS.map(() => ({ n: 0, buy: [0, 0], rev: [0, 0] }));
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const s = u < SEGMENT_P[0] ? 0 : u < SEGMENT_P[0] + SEGMENT_P[1] ? 1 : 2;
    const treated = rng.uniform() < 0.5 ? 1 : 0;
    const prev = Math.round(100 * Math.exp(3.5 + 0.5 * rng.normal())) / 100;
    const eta = BASE[s] + 0.015 * (prev - 35);
    const logM = SPEND[s] + 0.006 * (prev - 35);
    const p = [sigmoid(eta), sigmoid(eta + uplift[s])];
    const m = [Math.exp(logM), Math.exp(logM + spendUplift)];
    for (const t of [0, 1]) {
      sum.buy[t] += p[t];
      sum.rev[t] += p[t] * m[t];
      seg[s].buy[t] += p[t];
      seg[s].rev[t] += p[t] * m[t];
    }
    seg[s].n++;
    const buys = rng.uniform() < p[treated] ? 1 : 0;
    const revenue = buys ? Math.max(0.01, Math.round(100 * m[treated] * (gamma(rng, 2) / 2)) / 100) : 0;
    const purchases = buys ? 1 + poisson(rng, 0.6) : 0;
    rows.push([`c${String(i + 1).padStart(5, '0')}`, treated ? 'coupon' : 'control', SEGMENTS[s], prev.toFixed(2), buys, purchases, revenue.toFixed(2)]);
  }
  const header = ['customer', 'group', ...(segments ? ['segment'] : []), 'prev_revenue', 'converted', 'purchases', 'revenue'];
  const csv = [header, ...rows.map((r) => (segments ? r : [r[0], r[1], ...r.slice(3)]))].map((r) => r.join(',')).join('\n') + '\n';
  const truth = {
    conversionUplift: (sum.buy[1] - sum.buy[0]) / n,
    revenueUplift: (sum.rev[1] - sum.rev[0]) / n,
    bySegment: Object.fromEntries(SEGMENTS.map((name, k) => [name, { conversionUplift: (seg[k].buy[1] - seg[k].buy[0]) / seg[k].n, revenueUplift: (seg[k].rev[1] - seg[k].rev[0]) / seg[k].n }])),
  };
  return { csv, truth };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { csv, truth } = simulateAbTest();
  const out = new URL('../../public/samples/abtest.csv', import.meta.url);
  writeFileSync(out, csv);
  console.log(JSON.stringify(truth, null, 2));
}
