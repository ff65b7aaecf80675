/**
 * Lift-test design from a fitted MMM (the idea of PyMC-Marketing's experiment designer): for each
 * channel, how much a lift test that moves the channel's spend per period from its historical mean
 * x0 to x1 for L periods would narrow the 94% interval of the channel's ROAS, by preposterior
 * simulation from the posterior draws the run stores (`outputs.optimizerDraws`):
 *
 *   1. pick a posterior draw j as the truth and simulate the test's measured lift per period,
 *      y ~ Gamma(mean |mu_j|, sd se), mu_d = yMax (f(x1 / xMax, p_d) - f(x0 / xMax, p_d)) being draw d's
 *      lift per period on its saturation curve f (steady state: adstock weights sum to 1);
 *   2. update the posterior by importance reweighting its draws with the same Gamma likelihood the
 *      refit would add (lift-tests.ts), w_d ∝ Gamma(y | |mu_d|, se);
 *   3. measure the reweighted 94% HDI width of the channel's ROAS draws;
 *
 * and average the width over the simulated results. The narrowing is 1 - E[width after] / width
 * now. A test's standard error per period is `noise * sqrt(2 / L)`: the difference of two means of L
 * periods (the test market and its counterfactual, each with per-period noise `noise`, by default
 * the MMM's residual sd). Reweighting only moves mass among the stored draws (at most 200), so a
 * test more precise than they can resolve concentrates the weights on a few draws; the effective
 * sample size of the weights (Kish) is reported with each channel so the UI can say so.
 */
import { InputError } from '../../api/errors';
import { gammaVariate, createRng, type Rng } from '../../engine/rng';
import { lgammaF64 } from '../../engine/special-f64';
import { drawCount, type ResponseModel } from './response';
import { SATURATIONS } from './saturation';

/** Probability mass of the interval whose width is measured (the studio's 94% HDI). */
export const DESIGN_INTERVAL = 0.94;
/** Below this mean effective sample size of the weights, the narrowing is an upper bound. */
export const MIN_DESIGN_ESS = 20;

/** A measurement model of a lift test's result: how to simulate it and its log likelihood. */
export interface LiftMeasurement {
  /** A simulated measured lift given the true lift `mean` (> 0) and the test's standard error `sd`. */
  simulate(mean: number, sd: number, rng: Rng): number;
  /** Log density of a measured lift `y` given the true lift `mean` and `sd` (up to a constant in mean). */
  logDensity(y: number, mean: number, sd: number): number;
}

/** Floor on a lift (as lift-tests.ts MIN_LIFT, in target units here): a Gamma mean must be > 0. */
const MIN_MEAN = 1e-12;

/** The MMM's lift-test likelihood (lift-tests.ts): |measured lift| ~ Gamma(mean, sd). */
export const GAMMA_LIFT: LiftMeasurement = {
  simulate(mean, sd, rng) {
    const m = Math.max(mean, MIN_MEAN);
    const shape = (m * m) / (sd * sd);
    // A tiny shape can underflow the variate to 0, where log y is -infinity.
    return Math.max((gammaVariate(rng, shape) * sd * sd) / m, Number.MIN_VALUE);
  },
  logDensity(y, mean, sd) {
    const m = Math.max(mean, MIN_MEAN);
    const shape = (m * m) / (sd * sd);
    const rate = m / (sd * sd);
    return shape * Math.log(rate) - lgammaF64(shape) + (shape - 1) * Math.log(y) - rate * y;
  },
};

/** A normal measurement (y ~ Normal(mean, sd)); conjugate with a normal posterior, for checking the update. */
export const NORMAL_LIFT: LiftMeasurement = {
  simulate: (mean, sd, rng) => mean + sd * rng.normal(),
  logDensity: (y, mean, sd) => -0.5 * ((y - mean) / sd) ** 2,
};

/** Self-normalised importance weights from log weights (sum 1; max-shifted so none overflows). */
export function normalisedWeights(logWeights: readonly number[]): number[] {
  const max = Math.max(...logWeights);
  if (!Number.isFinite(max)) return logWeights.map(() => 1 / logWeights.length);
  const w = logWeights.map((l) => (Number.isFinite(l) ? Math.exp(l - max) : 0));
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

/** Kish's effective sample size of normalised weights, 1 / sum w^2. */
export function weightsEss(weights: readonly number[]): number {
  return 1 / weights.reduce((s, w) => s + w * w, 0);
}

/**
 * Shortest interval holding `prob` of the weighted draws: over the draws sorted by value, the
 * shortest run [i, j] whose weights sum to at least `prob`. With equal weights it holds
 * ceil(prob n) draws (engine `hdi` holds floor(prob n) + 1).
 */
export function weightedHdi(values: readonly number[], weights: readonly number[], prob = DESIGN_INTERVAL): [number, number] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const v = order.map((i) => values[i]);
  const cum = [0];
  order.forEach((i, k) => cum.push(cum[k] + weights[i]));
  const need = prob * cum[cum.length - 1] * (1 - 1e-12);
  let best: [number, number] = [v[0], v[v.length - 1]];
  let j = 0;
  for (let i = 0; i < v.length; i++) {
    if (j < i) j = i;
    while (j < v.length && cum[j + 1] - cum[i] < need) j++;
    if (j >= v.length) break;
    if (v[j] - v[i] < best[1] - best[0]) best = [v[i], v[j]];
  }
  return best;
}

/** One channel's preposterior result. */
export interface ExpectedNarrowing {
  /** Width of the 94% interval of the quantity now (its draws, equally weighted). */
  widthNow: number;
  /** Expected width after the test (mean over the simulated results). */
  widthAfter: number;
  /** 1 - widthAfter / widthNow (0: the test teaches nothing; 1: it pins the quantity down). */
  narrowing: number;
  /** Mean over the simulated results of the weights' effective sample size. */
  ess: number;
}

/**
 * Preposterior expected 94% interval width of `values` (one per posterior draw) after a test whose
 * true result under draw d is `means[d]` (> 0) and whose standard error is `sd`: `simulations`
 * results, the s-th simulated from draw s mod D (so every draw is the truth equally often), each
 * followed by importance reweighting of every draw with `measurement`'s likelihood.
 */
export function expectedNarrowing(values: readonly number[], means: readonly number[], sd: number, simulations: number, rng: Rng, measurement: LiftMeasurement = GAMMA_LIFT): ExpectedNarrowing {
  const D = values.length;
  const [lo, hi] = weightedHdi(values, new Array<number>(D).fill(1 / D));
  const widthNow = hi - lo;
  let widthSum = 0;
  let essSum = 0;
  for (let s = 0; s < simulations; s++) {
    const y = measurement.simulate(means[s % D], sd, rng);
    const w = normalisedWeights(means.map((m) => measurement.logDensity(y, m, sd)));
    const [a, b] = weightedHdi(values, w);
    widthSum += b - a;
    essSum += weightsEss(w);
  }
  const widthAfter = widthSum / simulations;
  return { widthNow, widthAfter, narrowing: widthNow > 0 ? 1 - widthAfter / widthNow : 0, ess: essSum / simulations };
}

/** What to design: one test shape applied to each channel in turn. */
export interface LiftDesignOptions {
  /** Relative change of the channel's spend per period during the test (0.5 = +50%, -1 = switched off). */
  spendChange: number;
  /** Test length in the MMM's periods. */
  periods: number;
  /** Noise sd per period of the outcome (target units), e.g. the MMM's residual sd. */
  noise: number;
  /** Simulated test results per channel (default 400). */
  simulations?: number;
  seed?: number;
}

/** The designed test of one channel. */
export interface ChannelLiftDesign extends ExpectedNarrowing {
  channel: string;
  /** Spend per period before and during the test (spend units). */
  spendBefore: number;
  spendAfter: number;
  /** Extra spend over the test, (spendAfter - spendBefore) * periods (negative: spend withheld). */
  extraSpend: number;
  /** Posterior mean and sd of the lift per period the test would measure (target units). */
  expectedLift: number;
  expectedLiftSd: number;
  /** The test's standard error per period, noise * sqrt(2 / periods). */
  standardError: number;
  /** ROAS 94% interval now and its expected width after the test. */
  roasNow: [number, number];
}

/** Every channel's design, ranked by narrowing (largest first); `recommended` is the first. */
export interface LiftDesign {
  channels: ChannelLiftDesign[];
  recommended: string;
  options: Required<LiftDesignOptions>;
}

/**
 * Designs a lift test for each channel of a fitted MMM (see the file comment): `model` is the run's
 * `outputs.optimizerDraws`, `roasDraws[channel]` the channel's ROAS in the same draws (its
 * `contributionDraws` over its spend).
 */
export function designLiftTests(model: ResponseModel, roasDraws: Readonly<Record<string, readonly number[]>>, options: LiftDesignOptions): LiftDesign {
  const o: Required<LiftDesignOptions> = { simulations: 400, seed: 1, ...options };
  if (!Number.isFinite(o.spendChange) || o.spendChange === 0 || o.spendChange < -1) {
    throw new InputError(`The spend change must be a non-zero fraction of at least -1 (switched off), got ${o.spendChange}.`);
  }
  if (!Number.isInteger(o.periods) || o.periods < 1) throw new InputError(`The test length must be a whole number of periods >= 1, got ${o.periods}.`);
  if (!(o.noise > 0) || !Number.isFinite(o.noise)) throw new InputError(`The noise per period must be a positive number, got ${o.noise}.`);
  if (!Number.isInteger(o.simulations) || o.simulations < 1) throw new InputError(`The number of simulations must be a whole number >= 1, got ${o.simulations}.`);
  const f = SATURATIONS[model.saturation].f64;
  const D = drawCount(model);
  const se = o.noise * Math.sqrt(2 / o.periods);
  const rngs = createRng(o.seed).split(model.channels.length);
  const channels = model.channels.map((channel, c): ChannelLiftDesign => {
    const roas = roasDraws[channel];
    if (!roas || roas.length !== D) throw new InputError(`Channel "${channel}": expected ${D} ROAS draws (one per stored draw), got ${roas?.length ?? 0}.`);
    const x0 = model.meanSpend[c];
    if (!(x0 > 0)) throw new InputError(`Channel "${channel}" has no spend in the fitted period: a relative spend change of it is zero.`);
    const x1 = x0 * (1 + o.spendChange);
    const lift = model.saturationParams.map((p) => model.yMax * (f(x1 / model.xMax[c], p[c]) - f(x0 / model.xMax[c], p[c])));
    const means = lift.map(Math.abs);
    const mean = lift.reduce((s, v) => s + v, 0) / D;
    const sd = Math.sqrt(lift.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, D - 1));
    const n = expectedNarrowing(roas, means, se, o.simulations, rngs[c]);
    const [lo, hi] = weightedHdi(roas, new Array<number>(D).fill(1 / D));
    return {
      channel,
      spendBefore: x0,
      spendAfter: x1,
      extraSpend: (x1 - x0) * o.periods,
      expectedLift: mean,
      expectedLiftSd: sd,
      standardError: se,
      roasNow: [lo, hi],
      ...n,
    };
  });
  channels.sort((a, b) => b.narrowing - a.narrowing);
  return { channels, recommended: channels[0].channel, options: o };
}
