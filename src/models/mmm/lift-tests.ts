/**
 * Lift-test calibration as PyMC-Marketing's `lift_test.py` (`add_lift_measurements_to_likelihood_
 * from_saturation`): a test that moved a channel's spend per period from x to x + delta_x and
 * measured a change delta_y (standard error sigma) adds the observation
 *   |delta_y| ~ Gamma(mu = |f(x + delta_x) - f(x)|, sigma)
 * to the likelihood, f being the channel's saturation curve on the scaled axes (spend / the
 * channel's max, target / the target's max; sigma scaled like the target). As there, delta_x and
 * delta_y must have the same sign (saturation curves are increasing).
 *
 * In `config.liftTests` a test is `{ channel, spendBefore, spendAfter, deltaY, sigma }` in the
 * data's units: spend per period and target per period; or `{ channel, start, end, deltaY, sigma }`
 * with the test's first and last dates (YYYY-MM-DD, inclusive) in place of the spend, which is then
 * read from the data: during the test, the channel's mean spend over the periods dated start..end
 * (n of them); before it, its mean spend over the n periods just before (fewer at the data's start).
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import { lgamma } from '../../engine/special';
import { lgammaF64 } from '../../engine/special-f64';
import { SATURATIONS, type SaturationKind } from './saturation';
import type { SaturationComponent } from './saturation-tensor';

/** One measured lift, in the data's units (spend and target per period). */
export interface LiftTest {
  channel: string;
  spendBefore: number;
  spendAfter: number;
  deltaY: number;
  sigma: number;
}

/** A lift test given by its dates (epoch ms, UTC midnight, inclusive); its spend is read from the data. */
export interface DatedLiftTest {
  channel: string;
  start: number;
  end: number;
  deltaY: number;
  sigma: number;
}

/** A lift test as `config.liftTests` gives it: by its spend, or by its dates. */
export type LiftTestInput = LiftTest | DatedLiftTest;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Lift tests on the model's scaled axes, one entry per test. */
export interface ScaledLiftTests {
  /** Index of each test's channel among the model's channels. */
  channel: number[];
  /** Spend per period before / after, divided by the channel's max. */
  xBefore: number[];
  xAfter: number[];
  /** |delta y| and sigma divided by the target's max. */
  deltaY: number[];
  sigma: number[];
}

/** Floor on the Gamma mean: a zero model lift would make its shape 0 and the density -infinity. */
const MIN_LIFT = 1e-6;

/**
 * Validates `config.liftTests` (a list of `{ channel, spendBefore, spendAfter, deltaY, sigma }` or
 * `{ channel, start, end, deltaY, sigma }`); a dated test's spend is checked once read (`resolveLiftTests`).
 */
export function parseLiftTests(value: unknown, channels: readonly string[]): LiftTestInput[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError('config.liftTests must be a list of { channel, spendBefore, spendAfter, deltaY, sigma }.');
  return value.map((raw: unknown, i: number) => {
    const where = `config.liftTests[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new InputError(`${where} must be an object { channel, spendBefore, spendAfter, deltaY, sigma }.`);
    const r = raw as Record<string, unknown>;
    const channel = String(r.channel ?? '');
    if (!channels.includes(channel)) throw new InputError(`${where}: channel "${channel}" is not one of the channels (${channels.join(', ')}).`);
    const num = (k: string) => {
      const v = r[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}.${k} must be a finite number, got ${JSON.stringify(v)}.`);
      return v;
    };
    const date = (k: string) => {
      const v = r[k];
      const t = typeof v === 'string' && ISO_DATE.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
      if (!Number.isFinite(t) || new Date(t).getUTCDate() !== Number((v as string).slice(8))) throw new InputError(`${where}.${k} must be a date like 2024-03-04, got ${JSON.stringify(v)}.`);
      return t;
    };
    const deltaY = num('deltaY');
    const sigma = num('sigma');
    if (!(sigma > 0)) throw new InputError(`${where}.sigma must be > 0, got ${sigma}.`);
    if (r.start !== undefined && r.start !== null) {
      const t: DatedLiftTest = { channel, start: date('start'), end: date('end'), deltaY, sigma };
      if (t.end < t.start) throw new InputError(`${where}: end ${String(r.end)} is before start ${String(r.start)}.`);
      if (deltaY === 0) throw new InputError(`${where}: deltaY must be non-zero.`);
      return t;
    }
    return checkSpend({ channel, spendBefore: num('spendBefore'), spendAfter: num('spendAfter'), deltaY, sigma }, where);
  });
}

/** The spend checks of a test (spend given, or read from the data for a dated one). */
function checkSpend(t: LiftTest, where: string): LiftTest {
  if (t.spendBefore < 0 || t.spendAfter < 0) throw new InputError(`${where}: spend cannot be negative.`);
  if (t.spendAfter === t.spendBefore) throw new InputError(`${where}: spendAfter equals spendBefore; a lift test must change the spend.`);
  if (t.deltaY === 0 || Math.sign(t.deltaY) !== Math.sign(t.spendAfter - t.spendBefore)) {
    throw new InputError(`${where}: deltaY (${t.deltaY}) must be non-zero and have the sign of spendAfter - spendBefore (response curves increase with spend).`);
  }
  return t;
}

/**
 * Every test with its spend: a dated test's spend during and before it read from the channel's
 * spend per period `spend[c]` on the sorted period `dates` (see the file comment).
 */
export function resolveLiftTests(tests: readonly LiftTestInput[], channels: readonly string[], dates: readonly number[], spend: readonly ArrayLike<number>[]): LiftTest[] {
  return tests.map((t, i) => {
    if (!('start' in t)) return t;
    const where = `config.liftTests[${i}]`;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const first = dates.findIndex((d) => d >= t.start);
    let n = 0;
    while (first >= 0 && first + n < dates.length && dates[first + n] <= t.end) n++;
    if (n === 0) throw new InputError(`${where}: no period of the data falls between ${iso(t.start)} and ${iso(t.end)}.`);
    if (first === 0) throw new InputError(`${where}: the test starts at the data's first period, so there is no spend before it to compare with.`);
    const x = spend[channels.indexOf(t.channel)];
    const mean = (from: number, to: number) => {
      let s = 0;
      for (let k = from; k < to; k++) s += x[k];
      return s / (to - from);
    };
    const resolved = { channel: t.channel, spendBefore: mean(Math.max(0, first - n), first), spendAfter: mean(first, first + n), deltaY: t.deltaY, sigma: t.sigma };
    return checkSpend(resolved, `${where} (spend per period read from the data: ${resolved.spendBefore} before, ${resolved.spendAfter} during ${iso(t.start)}..${iso(t.end)})`);
  });
}

/** The tests on the model's scaled axes. */
export function scaleLiftTests(tests: readonly LiftTest[], channels: readonly string[], xMax: readonly number[], yMax: number): ScaledLiftTests {
  const channel = tests.map((t) => channels.indexOf(t.channel));
  return {
    channel,
    xBefore: tests.map((t, i) => t.spendBefore / xMax[channel[i]]),
    xAfter: tests.map((t, i) => t.spendAfter / xMax[channel[i]]),
    deltaY: tests.map((t) => Math.abs(t.deltaY) / yMax),
    sigma: tests.map((t) => t.sigma / yMax),
  };
}

/**
 * The lift tests' log likelihood, batched over chains: `params` are the saturation parameters,
 * each `[chains, channels]`; returns `[chains]`. Each test's parameters are picked with one matMul
 * against a constant one-hot `[channels, tests]` matrix (no gather).
 */
export function liftTestLogLikelihood(
  saturation: SaturationComponent,
  tests: ScaledLiftTests,
  params: Record<string, tf.Tensor2D>,
  channels: number,
): tf.Tensor1D {
  const K = tests.channel.length;
  const oneHot = new Float32Array(channels * K);
  tests.channel.forEach((c, k) => (oneHot[c * K + k] = 1));
  const pick = tf.tensor2d(oneHot, [channels, K]);
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.matMul(v, pick)]));
  const lift = tf.sub(saturation.tensor(tf.tensor2d(tests.xAfter, [1, K]), p), saturation.tensor(tf.tensor2d(tests.xBefore, [1, K]), p));
  const mu = tf.add(tf.abs(lift), MIN_LIFT);
  const invVar = tf.tensor2d(tests.sigma.map((s) => 1 / (s * s)), [1, K]);
  const shape = tf.mul(tf.square(mu), invVar);
  const rate = tf.mul(mu, invVar);
  const y = tf.tensor2d(tests.deltaY, [1, K]);
  const logY = tf.tensor2d(tests.deltaY.map(Math.log), [1, K]);
  // Gamma(y | shape, rate) = shape log rate - lgamma(shape) + (shape - 1) log y - rate y.
  const logp = tf.sub(tf.add(tf.sub(tf.mul(shape, tf.log(rate)), lgamma(shape)), tf.mul(tf.sub(shape, 1), logY)), tf.mul(rate, y));
  return tf.sum(logp, 1) as tf.Tensor1D;
}

/** The same log likelihood for one draw in float64: `params[c]` are channel c's saturation parameters. */
export function liftTestLogLikelihoodF64(kind: SaturationKind, tests: ScaledLiftTests, params: readonly Record<string, number>[]): number {
  const f = SATURATIONS[kind].f64;
  let total = 0;
  tests.channel.forEach((c, k) => {
    const mu = Math.abs(f(tests.xAfter[k], params[c]) - f(tests.xBefore[k], params[c])) + MIN_LIFT;
    const s2 = tests.sigma[k] ** 2;
    const shape = (mu * mu) / s2;
    const rate = mu / s2;
    const y = tests.deltaY[k];
    total += shape * Math.log(rate) - lgammaF64(shape) + (shape - 1) * Math.log(y) - rate * y;
  });
  return total;
}
