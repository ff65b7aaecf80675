// Reference posterior of the Prop 99 synthetic control (the model of src/models/causal/synthetic-control.ts:
// California's 1970-1988 cigarette sales / their mean = donors' / the same mean times simplex weights
// w ~ Dirichlet(alpha), plus N(0, sigma) noise, sigma ~ HalfNormal(1)), by an independent float64 sampler
// that shares no code with the engine: Metropolis moves that re-split a random donor pair's weight
// (half from the prior's conditional Beta(alpha, alpha), half a random walk on the split's logit) and a
// random walk on log sigma. Slow but simple; the posterior means it prints are what the HMC fit is
// checked against (BENCHMARKS.md quotes `4e7 8`: 8 chains x 4e7 moves, ~3 minutes in Node).
//
//   node test/data/prop99-reference-posterior.mjs [iterations per chain = 2e7] [chains = 4] [alpha = 0.1]
import { readFixture } from '../fixtures/read.mjs';
import { gamma } from './generate-ltv-sample.mjs';
import { createRng } from './generate-mmm-sample.mjs';

const iterations = Number(process.argv[2] ?? 2e7);
const chains = Number(process.argv[3] ?? 4);
const alpha = Number(process.argv[4] ?? 0.1);

const lines = readFixture('california_prop99.csv').trim().split('\n');
const head = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(',').map(Number));
const pre = rows.filter((r) => r[0] < 1989);
const post = rows.filter((r) => r[0] >= 1989);
const treated = head.indexOf('California');
const donors = head.map((_, i) => i).filter((i) => i !== 0 && i !== treated);
const n = pre.length;
const J = donors.length;
const scale = pre.reduce((s, r) => s + Math.abs(r[treated]), 0) / n;
const y = pre.map((r) => r[treated] / scale);
const X = donors.map((j) => pre.map((r) => r[j] / scale));

const rng = createRng(12345);
const { uniform, normal } = rng;

const keep = [];
for (let c = 0; c < chains; c++) {
  const g = Array.from({ length: J }, () => gamma(rng, alpha));
  const total = g.reduce((a, b) => a + b, 0);
  const w = g.map((v) => v / total);
  let sigma = 0.1;
  const fit = new Float64Array(n);
  const refit = () => {
    fit.fill(0);
    for (let j = 0; j < J; j++) for (let t = 0; t < n; t++) fit[t] += w[j] * X[j][t];
    let s = 0;
    for (let t = 0; t < n; t++) s += (y[t] - fit[t]) ** 2;
    return s;
  };
  let sse = refit();
  const sums = new Float64Array(J + 1);
  let kept = 0;
  for (let it = 0; it < iterations; it++) {
    const j = Math.floor(uniform() * J);
    let k = Math.floor(uniform() * (J - 1));
    if (k >= j) k++;
    const m = w[j] + w[k];
    let p;
    let logPriorRatio = 0;
    if (uniform() < 0.5) {
      const a = gamma(rng, alpha);
      p = a / (a + gamma(rng, alpha));
    } else {
      const p0 = w[j] / m;
      if (!(p0 > 0 && p0 < 1)) continue;
      p = 1 / (1 + Math.exp(-(Math.log(p0 / (1 - p0)) + 0.5 * normal())));
      // Beta(alpha, alpha) on the split, in logit coordinates: p^alpha (1 - p)^alpha.
      logPriorRatio = alpha * (Math.log(p * (1 - p)) - Math.log(p0 * (1 - p0)));
    }
    if (p > 0 && p < 1) {
      const dj = p * m - w[j];
      const dk = (1 - p) * m - w[k];
      let next = 0;
      for (let t = 0; t < n; t++) next += (y[t] - fit[t] - dj * X[j][t] - dk * X[k][t]) ** 2;
      if (Math.log(uniform()) < logPriorRatio - (next - sse) / (2 * sigma * sigma)) {
        for (let t = 0; t < n; t++) fit[t] += dj * X[j][t] + dk * X[k][t];
        w[j] += dj;
        w[k] += dk;
        sse = next;
      }
    }
    if (it % 5 === 0) {
      // log sigma random walk; HalfNormal(1) prior, Jacobian sigma.
      const proposal = sigma * Math.exp(0.3 * normal());
      const lp = (s) => -0.5 * s * s - n * Math.log(s) - sse / (2 * s * s) + Math.log(s);
      if (Math.log(uniform()) < lp(proposal) - lp(sigma)) sigma = proposal;
    }
    if (it % 20000 === 0) sse = refit();
    if (it >= iterations / 4 && it % 100 === 0) {
      for (let q = 0; q < J; q++) sums[q] += w[q];
      sums[J] += sigma;
      kept++;
    }
  }
  keep.push(Array.from(sums, (s) => s / kept));
}
const mean = (q) => keep.reduce((s, c) => s + c[q], 0) / chains;
const spread = (q) => Math.max(...keep.map((c) => c[q])) - Math.min(...keep.map((c) => c[q]));
const order = donors.map((_, q) => q).sort((a, b) => mean(b) - mean(a));
console.log(`alpha ${alpha}, ${chains} chains x ${iterations} moves (last 3/4 kept): posterior mean (range of chain means)`);
for (const q of order.slice(0, 10)) console.log(`${head[donors[q]].padEnd(14)} ${mean(q).toFixed(3)} (${spread(q).toFixed(3)})`);
console.log(`sigma          ${(mean(J) * scale).toFixed(2)} packs (${(spread(J) * scale).toFixed(2)})`);
// The average 1989-2000 gap is linear in the weights: its posterior mean is the gap at the mean weights.
const postMean = (col) => post.reduce((s, r) => s + r[col], 0) / post.length;
const gap = (c) => postMean(treated) - donors.reduce((s, col, q) => s + keep[c][q] * postMean(col), 0);
const gaps = keep.map((_, c) => gap(c));
console.log(`average gap 1989-2000: ${(gaps.reduce((a, b) => a + b, 0) / chains).toFixed(2)} packs (${(Math.max(...gaps) - Math.min(...gaps)).toFixed(2)})`);
