/**
 * Designing a geo experiment read by TBR (tbr.ts), after GeoLift's market selection and power
 * analysis: from pre-period geo data, candidate treatment sets are drawn (stratified random or
 * matched markets), and each is scored, for test lengths of 2-12 weeks, by
 *
 * - its minimum detectable lift (MDE) at 80% power: the TBR power analysis (tbr-power.ts: the
 *   pre-period fit's parameter uncertainty plus AR(1) noise fitted on its residuals) of the
 *   candidate's treatment and control totals over the whole history, as the analysis of the real
 *   test would see them (its noise measured on the history's second half, below), and the
 *   false-positive rate it implies; the reading's threshold there is
 *   the closed form below (exact for the conjugate posterior, where a TBR run takes it from draws);
 * - a backtest over historical windows: the intended analysis (the TBR reading: positive with
 *   posterior probability >= 0.9) run on every window of the test's length that has at least as
 *   many points before it as it has, fitted on the points before it, once as observed (no lift:
 *   its false positives) and once with the MDE injected (the share detected).
 *
 * The reading is taken in closed form: with its default priors, weak on the scaled axis, the TBR
 * posterior is the conjugate flat-prior one, under which the cumulative effect is Student-t with
 * n - 2 degrees of freedom about observed minus predicted, scale s sqrt(L + L^2/n + G^2/Sxx)
 * (G the test's summed control departure from its pre-period mean). The unit tests check it on the
 * geo fixture against the numbers tbr.test.ts checks the fitted model against.
 *
 * Candidates are built (matched markets) and ranked on the first half of the history, and the MDE
 * reported for each takes its noise from the second half: ranked and scored on the same rows, the
 * best of many sets would be picked partly for noise that happened to be low there and detect fewer
 * than 80% of tests at its MDE (BENCHMARKS.md).
 *
 * Why the MDE comes from the power analysis and not from the windows' own quantile (GeoLift's way):
 * a few months of history give a handful of heavily overlapping windows for a 2-3 week test and none
 * for longer ones, too few for an 80% quantile; the power analysis is checked by simulation to
 * detect ~80% of tests at its MDE, and the backtest shows whether the history agrees.
 */
import { CancelledError, InputError } from '../../api/errors';
import type { Progress } from '../../api/types';
import { labelColumn, numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { DAY_MS } from '../../data/time';
import { normalQuantile } from '../../engine/diagnostics';
import { createRng, type Rng } from '../../engine/rng';
import { MIN_PRE_POINTS, POWER_ALPHA, POWER_TARGET } from './tbr';
import { powerPointsFor, preperiodFit, residualDegrees, residualVariance, type Ar1 } from './tbr-power';
import { formatTime, parseTimePoint, requireEvenSpacing, timeColumn, type TimeKind } from './time-axis';

/** How candidate treatment sets are drawn. */
export type CandidateMethod = 'stratified' | 'matched';

/** Test lengths (weeks) scored when none are given. */
export const DESIGN_WEEKS = [2, 3, 4, 6, 8, 10, 12];

/** What to design. */
export interface GeoDesignConfig {
  /** Number of treatment geos; without it (and without a budget) a fifth of the geos, at least 1. */
  treatmentGeos?: number;
  /** Largest acceptable expected cost (needs costPerUnit): then sets of every size are drawn and those over it dropped. */
  budget?: number;
  method?: CandidateMethod;
  /** Candidate sets drawn per size (default 20). */
  candidates?: number;
  /** Test lengths in weeks (default 2, 3, 4, 6, 8, 10, 12). */
  weeks?: readonly number[];
  /** Planned test length (weeks) when no expected lift is given (default 4). */
  plannedWeeks?: number;
  /** The lift the campaign is expected to cause (0.05 = 5%): the recommended length is the shortest that detects it. */
  expectedLift?: number;
  /** Spend per incremental unit of outcome (1 / iROAS): prices a design's detectable effect. */
  costPerUnit?: number;
  seed?: number;
}

/** Pre-period data: one outcome (and spend) series per geo on a common, evenly spaced time axis. */
export interface GeoPanel {
  geos: string[];
  times: Float64Array;
  timeKind: TimeKind;
  /** Points per week: 7 for daily data, 1 for weekly. */
  perWeek: number;
  /** outcome[g][t]. */
  outcome: Float64Array[];
  spend?: Float64Array[];
  /** Geos left out because they lack rows for some dates (how many, the first). */
  incomplete?: { geo: string; missing: number; first: string }[];
}

/** One test length's score of a candidate. */
export interface LengthScore {
  weeks: number;
  periods: number;
  /** Minimum detectable lift at 80% power (fraction of the treatment geos' expected outcome). */
  mde: number;
  /** The same from the first half of the history alone: what candidates are ranked by (see scoreCandidate). */
  selectionMde: number;
  /** The same as an incremental outcome over the test (outcome units). */
  mdeEffect: number;
  /** Probability that a test with no effect is read as positive, from the power analysis. */
  falsePositiveRate: number;
  /** Historical windows of this length the backtest ran on (0: the history is too short). */
  windows: number;
  /** Share of the historical windows read as positive with no lift injected. */
  backtestFalsePositive?: number;
  /** Share of the historical windows in which the MDE, injected, was detected. */
  backtestPower?: number;
  /** Spend that buys the MDE's effect (mdeEffect * costPerUnit); absent without costPerUnit. */
  cost?: number;
}

/** A candidate treatment set with its scores. */
export interface GeoCandidate {
  treatment: string[];
  /** Treatment geos' share of the total outcome over the history. */
  share: number;
  /** Mean outcome of the treatment geos per period. */
  baseline: number;
  /** Treatment geos' mean spend per period; absent without a spend column. */
  spendPerPeriod?: number;
  /** Correlation of the treatment and control totals over the history. */
  correlation: number;
  /** Lag-1 correlation of the TBR regression's residuals the power analysis assumes. */
  noiseLag1: number;
  scores: LengthScore[];
}

/** The design: every candidate scored, and the one recommended. */
export interface GeoDesign {
  method: CandidateMethod;
  geos: number;
  periods: number;
  perWeek: number;
  weeks: number[];
  /** Best first (smallest MDE at the recommended length). */
  candidates: GeoCandidate[];
  recommended: {
    /** Index into candidates (0). */
    candidate: number;
    weeks: number;
    score: LengthScore;
    /** Spend the recommendation is expected to cost: the expected lift's effect (or the MDE's) times costPerUnit. */
    expectedCost?: number;
    /** Why this length. */
    reason: string;
  };
  summary: string;
  warnings: string[];
}

/**
 * Reads the pre-period panel (rows dated before `before`, all without it) from a table with roles
 * `geo`, `date`, `outcome` and optional `spend`,
 * with a specific message for a missing value, repeated dates, uneven dates; geos lacking some dates are
 * left out (`incomplete`), and fewer than 3 complete geos are refused.
 */
export function geoPanel(table: Table, columns: Record<string, string | string[]>, before?: string): GeoPanel {
  const geo = labelColumn(table, roleColumn(columns, 'geo'), 'geo');
  const time = timeColumn(table, roleColumn(columns, 'date'), 'date');
  const end = before ? parseTimePoint(before, time, 'before') : Infinity;
  const outcomeName = roleColumn(columns, 'outcome');
  const y = numberColumn(table, outcomeName, 'outcome').values;
  const spendName = roleColumn(columns, 'spend', true);
  const spend = spendName ? numberColumn(table, spendName, 'spend').values : undefined;
  const rowsOf = new Map<string, Map<number, number>>();
  for (let i = 0; i < table.rows; i++) {
    const row = `Row ${i + 1}`;
    if (geo[i] === '') throw new InputError(`${row}: the geo is missing.`);
    if (!Number.isFinite(time.values[i])) throw new InputError(`${row}: the date is missing.`);
    if (time.values[i] >= end) continue;
    if (!Number.isFinite(y[i])) throw new InputError(`${row}: the outcome "${outcomeName}" is missing.`);
    if (spend && !Number.isFinite(spend[i])) throw new InputError(`${row}: the spend "${spendName}" is missing.`);
    let rows = rowsOf.get(geo[i]);
    if (!rows) rowsOf.set(geo[i], (rows = new Map()));
    const earlier = rows.get(time.values[i]);
    if (earlier !== undefined) throw new InputError(`Geo "${geo[i]}" has two rows for ${formatTime(time.values[i], time.kind)} (rows ${earlier + 1} and ${i + 1}): one row per geo and date.`);
    rows.set(time.values[i], i);
  }
  const times = Float64Array.from(new Set(time.values.filter((t) => t < end))).sort();
  if (times.length === 0) throw new InputError(`No date of column "${time.name}" is before ${before}: the design needs the pre-period's rows.`);
  requireEvenSpacing(times, time.kind, time.name);
  // A geo without a row for some dates cannot enter a total whose dates all sum the same geos: it is
  // left out (named in `incomplete`); the design is refused when too few complete geos remain.
  const incomplete: GeoPanel['incomplete'] = [];
  for (const [g, rows] of rowsOf) {
    if (rows.size < times.length) {
      const missing = [...times].filter((t) => !rows.has(t));
      incomplete.push({ geo: g, missing: missing.length, first: formatTime(missing[0], time.kind) });
      rowsOf.delete(g);
    }
  }
  if (rowsOf.size < 3) {
    const first = incomplete[0];
    throw new InputError(
      `Only ${rowsOf.size} of the ${rowsOf.size + incomplete.length} geos have a row for every one of the ${times.length} dates; a design needs at least 3.` +
        (first ? ` Geo "${first.geo}" has no row for ${first.missing} of them (first ${first.first}): fill the missing rows (0 if nothing was sold).` : ''),
    );
  }
  const step = times.length > 1 ? times[1] - times[0] : 0;
  const daily = time.kind === 'date' && Math.abs(step - DAY_MS) < DAY_MS / 2;
  const weekly = time.kind === 'date' ? Math.abs(step - 7 * DAY_MS) < DAY_MS / 2 : true;
  if (!daily && !weekly) throw new InputError(`Column "${time.name}" steps by ${Math.round(step / DAY_MS)} days: a geo test is designed on daily or weekly data.`);
  const geos = [...rowsOf.keys()];
  const series = (v: Float64Array) => geos.map((g) => Float64Array.from(times, (t) => v[rowsOf.get(g)!.get(t)!]));
  return { geos, times, timeKind: time.kind, perWeek: daily ? 7 : 1, outcome: series(y), ...(spend ? { spend: series(spend) } : {}), incomplete };
}

/** Student-t quantile for nu >= 3 (Abramowitz & Stegun 26.7.5; within 1e-3 of the exact value at p = 0.9 for nu >= 5). */
export function studentTQuantile(p: number, nu: number): number {
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}

/** The pre-period TBR regression of y on (1, x - mean x) over rows [from, to), in closed form. */
export interface TbrLeastSquares {
  n: number;
  ybar: number;
  xbar: number;
  slope: number;
  sxx: number;
  rss: number;
}

/** Least-squares TBR fit of y on the centred x over rows [from, to). */
export function tbrLeastSquares(y: ArrayLike<number>, x: ArrayLike<number>, from: number, to: number): TbrLeastSquares {
  const n = to - from;
  let ybar = 0;
  let xbar = 0;
  for (let i = from; i < to; i++) {
    ybar += y[i];
    xbar += x[i];
  }
  ybar /= n;
  xbar /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    sxx += (x[i] - xbar) ** 2;
    sxy += (x[i] - xbar) * (y[i] - ybar);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let rss = 0;
  for (let i = from; i < to; i++) rss += (y[i] - ybar - slope * (x[i] - xbar)) ** 2;
  return { n, ybar, xbar, slope, sxx, rss };
}

/**
 * The TBR reading in closed form (see the file comment) of a test over rows [start, end) fitted on
 * `fit`: the cumulative observed-minus-predicted `gap` and the `threshold` it must exceed for the
 * posterior probability positive to reach 1 - alpha.
 */
export function tbrReading(fit: TbrLeastSquares, y: ArrayLike<number>, x: ArrayLike<number>, start: number, end: number, alpha = POWER_ALPHA): { gap: number; threshold: number; scale: number } {
  const L = end - start;
  let gap = 0;
  let G = 0;
  for (let t = start; t < end; t++) {
    gap += y[t] - fit.ybar - fit.slope * (x[t] - fit.xbar);
    G += x[t] - fit.xbar;
  }
  const s = Math.sqrt(fit.rss / (fit.n - 2));
  const scale = s * Math.sqrt(L + (L * L) / fit.n + (fit.sxx > 0 ? (G * G) / fit.sxx : 0));
  return { gap, threshold: studentTQuantile(1 - alpha, fit.n - 2) * scale, scale };
}

/** Treatment and control totals of a set, on the axis scaled by the treatment total's mean. */
function totals(panel: GeoPanel, treated: ReadonlySet<number>): { y: Float64Array; x: Float64Array; scale: number } {
  const n = panel.times.length;
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  panel.outcome.forEach((series, g) => {
    const into = treated.has(g) ? y : x;
    for (let t = 0; t < n; t++) into[t] += series[t];
  });
  let scale = 0;
  for (const v of y) scale += v / n;
  if (scale > 0) {
    for (let t = 0; t < n; t++) {
      y[t] /= scale;
      x[t] /= scale;
    }
  }
  return { y, x, scale };
}

/** `count` geos, one drawn from each of `count` strata of the geos sorted by size. */
function stratifiedSet(order: readonly number[], count: number, rng: Rng): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const lo = Math.floor((k * order.length) / count);
    const hi = Math.floor(((k + 1) * order.length) / count);
    out.push(order[lo + Math.floor(rng.uniform() * (hi - lo))]);
  }
  return out;
}

/**
 * A matched-market set: from a random first geo, geos are added one at a time, each the one whose
 * addition leaves the treatment total best predicted by the control total (smallest residual
 * variance of the TBR regression over the first n rows, relative to the treatment total).
 */
function matchedSet(panel: GeoPanel, order: readonly number[], count: number, rng: Rng, n: number): number[] {
  const first = order[Math.floor(rng.uniform() * order.length)];
  const chosen = new Set([first]);
  // Running totals: adding geo g moves its series from the control total to the treatment total.
  const y = Float64Array.from(panel.outcome[first]);
  const x = new Float64Array(n);
  panel.outcome.forEach((series, g) => {
    if (g !== first) for (let t = 0; t < n; t++) x[t] += series[t];
  });
  const ty = new Float64Array(n);
  const tx = new Float64Array(n);
  while (chosen.size < count) {
    let best = -1;
    let bestNoise = Infinity;
    for (const g of order) {
      if (chosen.has(g)) continue;
      const series = panel.outcome[g];
      let mean = 0;
      for (let t = 0; t < n; t++) {
        ty[t] = y[t] + series[t];
        tx[t] = x[t] - series[t];
        mean += ty[t] / n;
      }
      // Residual variance relative to the treatment total's mean (the power analysis's scaled axis).
      const noise = mean > 0 ? tbrLeastSquares(ty, tx, 0, n).rss / (mean * mean) : Infinity;
      if (noise < bestNoise) {
        bestNoise = noise;
        best = g;
      }
    }
    if (best < 0) break;
    chosen.add(best);
    for (let t = 0; t < n; t++) {
      y[t] += panel.outcome[best][t];
      x[t] -= panel.outcome[best][t];
    }
  }
  return [...chosen];
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * The power analysis of the totals' rows [from, to) for each length in `periods` (minimum detectable
 * effect on the scaled axis, false-positive rate), with the reading's threshold in closed form: the
 * conjugate posterior's Student-t quantile of the cumulative counterfactual about its mean, for a
 * control departing by g (tbrReading's scale). `noise`: AR(1) noise estimated on other rows (the
 * reading's s then its expectation under that noise), else the residuals' own.
 */
function powerOf(y: Float64Array, x: Float64Array, from: number, to: number, periods: readonly number[], noise?: Ar1) {
  const fit = tbrLeastSquares(y, x, from, to);
  const n = to - from;
  const control = Float64Array.from(x.subarray(from, to), (v) => v - fit.xbar);
  const s = noise ? Math.sqrt((noise.variance * residualDegrees({ n, sxx: fit.sxx, x: control }, noise.phi)) / (n - 2)) : Math.sqrt(fit.rss / (n - 2));
  const t = studentTQuantile(1 - POWER_ALPHA, n - 2);
  const threshold = (L: number, g: number) => t * s * Math.sqrt(L + (L * L) / n + (fit.sxx > 0 ? (g * g) / fit.sxx : 0));
  return powerPointsFor(y.subarray(from, to), control, periods, POWER_TARGET, threshold, noise);
}

/** The AR(1) noise of the TBR regression of rows [from, to) (bias-corrected lag-1 correlation, marginal variance). */
function noiseOf(y: Float64Array, x: Float64Array, from: number, to: number): Ar1 {
  const fit = tbrLeastSquares(y, x, from, to);
  const pre = preperiodFit(y.subarray(from, to), Float64Array.from(x.subarray(from, to), (v) => v - fit.xbar));
  return { phi: pre.phi, variance: residualVariance(pre, pre.phi) };
}

/**
 * Scores one treatment set for each length: the minimum detectable lift by which candidates are
 * ranked (`selectionMde`: the power analysis of the history's first `split` rows), the one reported
 * (the whole history's power analysis with the noise estimated on the rows after `split`, which
 * picking the best-ranked set has not looked at), and the backtest over historical windows.
 */
export function scoreCandidate(panel: GeoPanel, treatment: readonly number[], periods: readonly number[], split: number, costPerUnit?: number): GeoCandidate {
  const perWeek = panel.perWeek;
  const treated = new Set(treatment);
  const { y, x, scale } = totals(panel, treated);
  const n = y.length;
  const selection = powerOf(y, x, 0, split, periods).points;
  const noise = noiseOf(y, x, split, n);
  const { points } = powerOf(y, x, 0, n, periods, noise);
  const phi = noise.phi;
  let total = 0;
  panel.outcome.forEach((s) => s.forEach((v) => (total += v)));
  let spendPerPeriod: number | undefined;
  if (panel.spend) {
    spendPerPeriod = 0;
    for (const g of treatment) for (const v of panel.spend[g]) spendPerPeriod += v / n;
  }
  const scores = periods.map((L, k): LengthScore => {
    // The effect is a lift over the expected treatment total, 1 per period on the scaled axis.
    const mde = points[k].minimumDetectableEffect / L;
    const score: LengthScore = {
      weeks: L / perWeek,
      periods: L,
      mde,
      selectionMde: selection[k].minimumDetectableEffect / L,
      mdeEffect: mde * L * scale,
      falsePositiveRate: points[k].falsePositiveRate,
      windows: 0,
    };
    if (costPerUnit !== undefined) score.cost = score.mdeEffect * costPerUnit;
    // Windows [s, s + L) with at least max(L, MIN_PRE_POINTS) points before them to fit on.
    let positives = 0;
    let detected = 0;
    for (let s = Math.max(L, MIN_PRE_POINTS); s + L <= n; s++) {
      const before = tbrLeastSquares(y, x, 0, s);
      const { gap, threshold } = tbrReading(before, y, x, s, s + L);
      if (gap > threshold) positives++;
      if (gap + mde * L * before.ybar > threshold) detected++;
      score.windows++;
    }
    if (score.windows > 0) {
      score.backtestFalsePositive = positives / score.windows;
      score.backtestPower = detected / score.windows;
    }
    return score;
  });
  let treatedTotal = 0;
  for (const v of y) treatedTotal += v * scale;
  return {
    treatment: treatment.map((g) => panel.geos[g]).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    share: treatedTotal / total,
    baseline: scale,
    ...(spendPerPeriod !== undefined ? { spendPerPeriod } : {}),
    correlation: correlation(y, x),
    noiseLag1: phi,
    scores,
  };
}

/** Waits for the event loop, so that a cancel sent to the worker reaches it between candidates. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/** Longest stretch of work between two breaths (ms): a cancel waits at most about this long. */
const BREATH_MS = 50;

const positiveOrUndefined = (v: number | undefined, name: string) => {
  if (v === undefined) return undefined;
  if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${name} must be a positive number; got ${v}.`);
  return v;
};

/**
 * Draws and scores candidate treatment sets (see the file comment) and recommends one; reports
 * progress per candidate and stops with CancelledError when `signal` aborts. Deterministic for a seed.
 */
export async function designGeoTest(panel: GeoPanel, config: GeoDesignConfig = {}, ctx: { onProgress?: (p: Progress) => void; signal?: AbortSignal } = {}): Promise<GeoDesign> {
  const G = panel.geos.length;
  const n = panel.times.length;
  const method = config.method ?? 'stratified';
  if (method !== 'stratified' && method !== 'matched') throw new InputError(`The candidate method must be "stratified" or "matched"; got "${String(method)}".`);
  const budget = positiveOrUndefined(config.budget, 'The budget');
  const costPerUnit = positiveOrUndefined(config.costPerUnit, 'The cost per incremental unit');
  const expectedLift = positiveOrUndefined(config.expectedLift, 'The expected lift');
  if (budget !== undefined && costPerUnit === undefined) throw new InputError('A budget needs the cost per incremental unit of outcome (1 / iROAS) to price the designs.');
  const perCount = Math.round(config.candidates ?? 20);
  if (!(perCount >= 1 && perCount <= 1000)) throw new InputError(`The number of candidates must be from 1 to 1000; got ${config.candidates}.`);
  const plannedWeeks = config.plannedWeeks ?? 4;
  const weeks = [...new Set([...(config.weeks ?? DESIGN_WEEKS), plannedWeeks])].sort((a, b) => a - b);
  for (const w of weeks) if (!(Number.isInteger(w) && w >= 1 && w <= 52)) throw new InputError(`Test lengths are whole weeks from 1 to 52; got ${w}.`);
  if (G < 3) throw new InputError(`A geo test needs at least 3 geos (treatment and control); the data has ${G}.`);
  if (n < 2 * MIN_PRE_POINTS) throw new InputError(`The pre-period has ${n} time points; a design needs at least ${2 * MIN_PRE_POINTS} to fit the treatment-on-control regression.`);
  let sizes: number[];
  if (config.treatmentGeos !== undefined) {
    const k = config.treatmentGeos;
    if (!(Number.isInteger(k) && k >= 1)) throw new InputError(`The number of treatment geos must be a whole number of at least 1; got ${k}.`);
    if (k > G - 2) throw new InputError(`${k} treatment geos leave ${G - k} control geos of the ${G} in the data; a design needs at least 2 control geos.`);
    sizes = [k];
  } else if (budget !== undefined) {
    const largest = Math.floor(G / 2);
    sizes = [...new Set(Array.from({ length: Math.min(8, largest) }, (_, i) => Math.max(1, Math.round(((i + 1) * largest) / Math.min(8, largest)))))];
  } else sizes = [Math.max(1, Math.round(G / 5))];

  const mean = panel.outcome.map((s) => s.reduce((a, b) => a + b, 0) / n);
  const order = mean.map((_, g) => g).sort((a, b) => mean[b] - mean[a]);
  const rng = createRng(config.seed ?? 1);
  const total = sizes.length * perCount;
  const seen = new Set<string>();
  const candidates: GeoCandidate[] = [];
  const periods = weeks.map((w) => w * panel.perWeek);
  // Sets are built and ranked on the first half of the history and their reported noise estimated on
  // the second: the best of many sets ranked on the same rows that estimate its noise would have
  // been picked partly for noise that happened to be low there, and detect less than 80% at its MDE.
  const split = Math.floor(n / 2);
  let done = 0;
  let breathed = Date.now();
  for (const k of sizes) {
    for (let c = 0; c < perCount; c++) {
      const set = method === 'matched' ? matchedSet(panel, order, k, rng, split) : stratifiedSet(order, k, rng);
      const key = [...set].sort((a, b) => a - b).join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        const candidate = scoreCandidate(panel, set, periods, split, costPerUnit);
        if (candidate.baseline > 0) candidates.push(candidate);
      }
      ctx.onProgress?.({ phase: 'design', iteration: ++done, total });
      if (Date.now() - breathed > BREATH_MS) {
        await breathe();
        breathed = Date.now();
      }
      if (ctx.signal?.aborted) throw new CancelledError();
    }
  }
  const warnings: string[] = [];
  const left = panel.incomplete ?? [];
  if (left.length) {
    const named = left.slice(0, 5).map((g) => `"${g.geo}" (${g.missing} missing, first ${g.first})`).join(', ');
    warnings.push(`${left.length} geo${left.length > 1 ? 's lack' : ' lacks'} rows for some dates and ${left.length > 1 ? 'are' : 'is'} left out of the design: ${named}${left.length > 5 ? ', ...' : ''}. Fill the missing rows (0 if nothing was sold) to include them.`);
  }
  if (!candidates.length) throw new InputError('No candidate set has positive outcome over the pre-period: a geo test needs sales in the treatment geos.');

  const at = (c: GeoCandidate, w: number) => c.scores.find((s) => s.weeks === w)!;
  const affordable = (c: GeoCandidate, w: number) => budget === undefined || (at(c, w).cost ?? 0) <= budget;
  const bestAt = (w: number) => candidates.filter((c) => affordable(c, w)).sort((a, b) => at(a, w).selectionMde - at(b, w).selectionMde)[0];
  let chosenWeeks = plannedWeeks;
  let reason: string;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  if (expectedLift !== undefined) {
    const fits = weeks.find((w) => {
      const best = bestAt(w);
      return best !== undefined && at(best, w).mde <= expectedLift;
    });
    if (fits !== undefined) {
      chosenWeeks = fits;
      reason = `the shortest test whose minimum detectable lift is at most the expected ${pct(expectedLift)}`;
    } else {
      chosenWeeks = weeks[weeks.length - 1];
      reason = `no length detects the expected ${pct(expectedLift)} lift with 80% power; the longest scored test comes closest`;
      warnings.push(`Even ${chosenWeeks} weeks cannot detect a ${pct(expectedLift)} lift with 80% power: more treatment geos, a longer test or a bigger campaign is needed.`);
    }
  } else reason = `the planned length (no expected lift given)`;
  let best = bestAt(chosenWeeks);
  if (!best) {
    warnings.push(`No candidate's detectable effect costs less than the budget ${budget} at ${chosenWeeks} weeks; the cheapest is shown.`);
    best = [...candidates].sort((a, b) => (at(a, chosenWeeks).cost ?? 0) - (at(b, chosenWeeks).cost ?? 0))[0];
  }
  const kept = budget === undefined ? candidates : candidates.filter((c) => c === best || affordable(c, chosenWeeks));
  kept.sort((a, b) => (a === best ? -1 : b === best ? 1 : at(a, chosenWeeks).selectionMde - at(b, chosenWeeks).selectionMde));
  const score = at(best, chosenWeeks);
  const expectedCost = costPerUnit === undefined ? undefined : (expectedLift !== undefined ? Math.max(expectedLift, score.mde) : score.mde) * chosenWeeks * panel.perWeek * best.baseline * costPerUnit;
  const backtested = (w: number) => Math.max(w * panel.perWeek, MIN_PRE_POINTS) + w * panel.perWeek <= n;
  if (!weeks.every(backtested)) {
    const longest = weeks.filter(backtested).pop();
    warnings.push(
      longest === undefined
        ? `The history (${n} points) is too short for a backtest of any scored length: only the power analysis scores the designs.`
        : `The history (${n} points) backtests tests of up to ${longest} weeks; longer ones are scored by the power analysis alone.`,
    );
  }
  if (score.windows >= 5 && score.backtestFalsePositive! >= 0.5) {
    warnings.push(
      `The history disagrees with the power analysis for the recommended design: with no lift, ${pct(score.backtestFalsePositive!)} of the ${score.windows} historical ${chosenWeeks}-week windows were read as positive (the treatment geos drifted above their prediction there). Overlapping windows make this rough; compare the other candidates' backtests, try matched markets, or use a longer history.`,
    );
  }
  if (score.windows >= 5 && score.backtestPower! < 0.5) {
    warnings.push(
      `The history disagrees with the power analysis for the recommended design: a ${pct(score.mde)} lift would have been detected in only ${pct(score.backtestPower!)} of the ${score.windows} historical ${chosenWeeks}-week windows (the treatment geos drifted below their prediction there). Overlapping windows make this rough; compare the other candidates' backtests, try matched markets, or use a longer history.`,
    );
  }
  if (score.falsePositiveRate > 2 * POWER_ALPHA) warnings.push(`The recommended design's noise is autocorrelated (lag-1 ${best.noiseLag1.toFixed(2)}): a no-effect test would read positive ${pct(score.falsePositiveRate)} of the time, not ${pct(POWER_ALPHA)}.`);
  const recommended = { candidate: 0, weeks: chosenWeeks, score, ...(expectedCost !== undefined ? { expectedCost } : {}), reason };
  const design: GeoDesign = { method, geos: G, periods: n, perWeek: panel.perWeek, weeks, candidates: kept, recommended, summary: '', warnings };
  design.summary = designSummary(design, expectedLift);
  return design;
}

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Plain-language summary of a design. */
function designSummary(d: GeoDesign, expectedLift: number | undefined): string {
  const best = d.candidates[d.recommended.candidate];
  const s = d.recommended.score;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const money = (v: number) => WHOLE.format(v);
  const parts = [
    `Treat ${best.treatment.length} of the ${d.geos} geos (${best.treatment.join(', ')}; ${pct(best.share)} of the outcome) for ${d.recommended.weeks} weeks and keep the others as control: ${d.recommended.reason}.`,
    `Such a test detects a lift of ${pct(s.mde)} (${money(s.mdeEffect)} extra outcome over the test) 80% of the time, and reads a campaign with no effect as positive ${pct(s.falsePositiveRate)} of the time.`,
  ];
  if (s.windows > 0) {
    parts.push(`Run on the ${s.windows} historical windows of that length, the same analysis read no lift as positive in ${pct(s.backtestFalsePositive!)} of them and detected a lift of that size in ${pct(s.backtestPower!)} (windows overlap, so these shares are rough).`);
  }
  if (d.recommended.expectedCost !== undefined) {
    parts.push(`At the given cost per incremental unit, producing ${expectedLift !== undefined && expectedLift >= s.mde ? 'the expected lift' : 'a detectable lift'} costs about ${money(d.recommended.expectedCost)}.`);
  }
  return parts.join(' ');
}
