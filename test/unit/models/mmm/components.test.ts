/**
 * MMM components: each descriptor's prior keys are exactly the parameters its function reads
 * (PyMC-Marketing's `default_priors` = `function` signature check), the tensor forms agree with the
 * float64 forms, and both agree with scipy/numpy reference values (pasted below), plus Fourier
 * features and the lift-test likelihood.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ADSTOCKS, ADSTOCK_KINDS, adstockWidth, applyAdstockF64, lagMatrix } from '../../../../src/models/mmm/adstock';
import { ADSTOCK_COMPONENTS } from '../../../../src/models/mmm/adstock-tensor';
import { SATURATIONS, SATURATION_KINDS } from '../../../../src/models/mmm/saturation';
import { SATURATION_COMPONENTS } from '../../../../src/models/mmm/saturation-tensor';
import { dayOfYear } from '../../../../src/data/time';
import { yearlyFourier } from '../../../../src/models/mmm/fourier';
import { liftTestLogLikelihood, liftTestLogLikelihoodF64, parseLiftTests, resolveLiftTests, scaleLiftTests } from '../../../../src/models/mmm/lift-tests';
import { lgammaF64 } from '../../../../src/engine/special-f64';
import { createRng } from '../../../../src/engine/rng';

/** Calls `fn` with a params object that records which keys are read (values from `value`). */
function keysRead(fn: (p: Record<string, unknown>) => unknown, value: (key: string) => unknown): string[] {
  const read = new Set<string>();
  const proxy = new Proxy({} as Record<string, unknown>, {
    get(_, key) {
      if (typeof key === 'string') read.add(key);
      return typeof key === 'string' ? value(key) : undefined;
    },
  });
  fn(proxy);
  return [...read].sort();
}

describe('component descriptors', () => {
  it('prior keys are exactly the parameters each function reads (tensor and float64 forms)', () => {
    for (const kind of ADSTOCK_KINDS) {
      const c = ADSTOCKS[kind];
      expect(c.kind).toBe(kind);
      expect(c.prefix).toBe('adstock');
      expect(Object.keys(c.defaultPriors), kind).toEqual(c.parameters);
      const keys = Object.keys(c.defaultPriors).sort();
      const tensorKeys = tf.tidy(() => keysRead((p) => ADSTOCK_COMPONENTS[kind].tensor(p as Record<string, tf.Tensor>, 4), () => tf.scalar(0.5)));
      expect(tensorKeys, kind).toEqual(keys);
      expect(keysRead((p) => c.f64(p as Record<string, number>, 4), () => 0.5), kind).toEqual(keys);
    }
    for (const kind of SATURATION_KINDS) {
      const c = SATURATIONS[kind];
      expect(c.kind).toBe(kind);
      expect(c.prefix).toBe('saturation');
      expect(Object.keys(c.defaultPriors), kind).toEqual(c.parameters);
      const keys = Object.keys(c.defaultPriors).sort();
      expect(keys).toContain(c.scaleParam);
      const tensorKeys = tf.tidy(() => keysRead((p) => SATURATION_COMPONENTS[kind].tensor(tf.scalar(0.3), p as Record<string, tf.Tensor>), () => tf.scalar(0.5)));
      expect(tensorKeys, kind).toEqual(keys);
      expect(keysRead((p) => c.f64(0.3, p as Record<string, number>), () => 0.5), kind).toEqual(keys);
    }
  });

  it('default priors are PyMC-Marketing’s', () => {
    expect(ADSTOCKS.geometric.defaultPriors).toEqual({ alpha: { dist: 'Beta', alpha: 1, beta: 3 } });
    expect(SATURATIONS.logistic.defaultPriors).toEqual({ lam: { dist: 'Gamma', alpha: 3, beta: 1 }, beta: { dist: 'HalfNormal', sigma: 2 } });
    // Gamma(mu=2, sigma=1) and Gamma(mu=3, sigma=1) in shape/rate: (4, 2) and (9, 3).
    expect(ADSTOCKS.weibull_pdf.defaultPriors).toEqual({ lam: { dist: 'Gamma', alpha: 4, beta: 2 }, k: { dist: 'Gamma', alpha: 9, beta: 3 } });
  });
});

describe('float64 and tensor forms agree', () => {
  // Parameters drawn uniformly from ranges that cover the default priors' bulk.
  const ADSTOCK_RANGES: Record<string, [number, number]> = { alpha: [0.02, 0.98], theta: [0, 4], lam: [0.3, 6], k: [0.3, 4] };
  const SATURATION_RANGES: Record<string, [number, number]> = { lam: [0.1, 8], beta: [0.1, 3], slope: [0.3, 4], kappa: [0.05, 2], alpha: [0.1, 4], b: [0.1, 2], c: [0.1, 2] };
  const draw = (rng: ReturnType<typeof createRng>, [lo, hi]: [number, number]) => lo + (hi - lo) * rng.uniform();

  it('adstock weights of every kind at 200 random points and lMax 1..12', () => {
    const rng = createRng(11);
    for (const kind of ADSTOCK_KINDS) {
      let worst = 0;
      for (let i = 0; i < 200; i++) {
        const lMax = 1 + Math.floor(12 * rng.uniform());
        const p = Object.fromEntries(ADSTOCKS[kind].parameters.map((n) => [n, draw(rng, ADSTOCK_RANGES[n])]));
        const want = ADSTOCKS[kind].f64(p, lMax);
        const got = tf.tidy(() => ADSTOCK_COMPONENTS[kind].tensor(Object.fromEntries(Object.entries(p).map(([n, v]) => [n, tf.scalar(v)])), lMax).dataSync());
        expect(got.length).toBe(want.length);
        want.forEach((w, l) => (worst = Math.max(worst, Math.abs(got[l] - w))));
      }
      // float32: each weight's relative error is about its exponent's size |log w| times 2^-24 per
      // rounding (a dozen chained), and w |log w| <= 1/e: 16 x 6e-8 / e < 1e-6 absolute.
      expect(worst, kind).toBeLessThan(1e-6);
    }
  });

  it('a flat Weibull PDF profile gives equal weights, and a steep one its peak, in both forms', () => {
    for (const [p, lMax, want] of [
      [{ lam: 2, k: 1.5 }, 1, [1]],
      // The density at t = 1..4 is e^-123 and less: it underflows float32 unless taken relative to its peak.
      [{ lam: 0.3, k: 4 }, 4, [1, 0, 0, 0]],
    ] as const) {
      const f64 = ADSTOCKS.weibull_pdf.f64(p, lMax);
      const tensor = tf.tidy(() => ADSTOCK_COMPONENTS.weibull_pdf.tensor({ lam: tf.scalar(p.lam), k: tf.scalar(p.k) }, lMax).dataSync());
      want.forEach((w, l) => {
        expect(f64[l]).toBeCloseTo(w, 12);
        expect(tensor[l]).toBeCloseTo(w, 6);
      });
    }
  });

  it('saturation of every kind at 200 random points', () => {
    const rng = createRng(12);
    for (const kind of SATURATION_KINDS) {
      let worst = 0;
      for (let i = 0; i < 200; i++) {
        const x = 3 * rng.uniform();
        const p = Object.fromEntries(SATURATIONS[kind].parameters.map((n) => [n, draw(rng, SATURATION_RANGES[n])]));
        const want = SATURATIONS[kind].f64(x, p);
        const got = tf.tidy(() => SATURATION_COMPONENTS[kind].tensor(tf.scalar(x), Object.fromEntries(Object.entries(p).map(([n, v]) => [n, tf.scalar(v)]))).dataSync()[0]);
        worst = Math.max(worst, Math.abs(got - want) / Math.max(1e-30, Math.abs(want)));
      }
      // float32: relative error about the largest intermediate argument (Hill: |slope log(x / kappa)|
      // up to ~30) times 2^-24, doubled for the rounding of the inputs: 4e-6.
      expect(worst, kind).toBeLessThan(4e-6);
    }
  });
});

describe('adstock weights', () => {
  // numpy / scipy.stats.weibull_min in float64 (L = 6): geometric alpha 0.35; delayed alpha 0.6,
  // theta 1.5; Weibull PDF (min-max, normalised) and CDF (cumprod of survival, 7 weights) with
  // lam 2.5, k 1.7, as PyMC-Marketing's transformers define them.
  const REF = {
    geometric: { p: { alpha: 0.35 }, w: [0.6511970731947545, 0.22791897561816407, 0.07977164146635742, 0.027920074513225094, 0.009772026079628782, 0.0034202091278700735] },
    delayed: { p: { alpha: 0.6, theta: 1.5 }, w: [0.13001868595917027, 0.3611630165532507, 0.3611630165532507, 0.13001868595917027, 0.016850421700308465, 0.0007861732748495915] },
    weibull_pdf: { p: { lam: 2.5, k: 1.7 }, w: [0.3230885667979805, 0.3270335885397111, 0.2145322942244445, 0.10256043695339108, 0.03278511348447283, 0] },
    weibull_cdf: {
      p: { lam: 2.5, k: 1.7 },
      w: [0.42826445008352143, 0.3469288536131656, 0.17500413148233301, 0.04476637096660004, 0.004845870951968329, 0.0001880809933585839, 2.241909053159233e-6],
    },
  } as const;

  it('float64 weights match the scipy reference to 1e-12', () => {
    for (const kind of ADSTOCK_KINDS) {
      const w = ADSTOCKS[kind].f64({ ...REF[kind].p }, 6);
      expect(w.length).toBe(adstockWidth(kind, 6));
      w.forEach((v, l) => expect(Math.abs(v - REF[kind].w[l]), `${kind}[${l}]`).toBeLessThan(1e-12));
    }
  });

  it('batched tensor weights match the reference for every element of a [2, 3, 1] parameter batch', () => {
    for (const kind of ADSTOCK_KINDS) {
      const p = REF[kind].p as Record<string, number>;
      const got = tf.tidy(() => {
        const params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tf.fill([2, 3, 1], v)]));
        const w = ADSTOCK_COMPONENTS[kind].tensor(params, 6);
        expect(w.shape).toEqual([2, 3, adstockWidth(kind, 6)]);
        return Array.from(w.dataSync());
      });
      // float32: exp/log/pow each ~6e-8 relative, a handful chained -> 2e-6 absolute on weights <= 1.
      got.forEach((v, i) => expect(Math.abs(v - REF[kind].w[i % REF[kind].w.length]), `${kind}`).toBeLessThan(2e-6));
    }
  });

  it('the lag matrix applies the weights as applyAdstockF64 does', () => {
    const x = [1, 0, 2, 0.5, 0, 3];
    const w = [0.5, 0.3, 0.2];
    const lag = lagMatrix(x, 3);
    const viaMatrix = x.map((_, t) => w.reduce((s, wl, l) => s + wl * lag[l * x.length + t], 0));
    const direct = applyAdstockF64(x, w);
    viaMatrix.forEach((v, t) => expect(v).toBeCloseTo(direct[t], 6));
    // Hand computed: t = 2 -> 0.5*2 + 0.3*0 + 0.2*1.
    expect(direct[2]).toBeCloseTo(1.2, 12);
  });
});

describe('saturation functions', () => {
  // numpy float64 at x = 0.7: logistic lam 2.2 beta 1.3; Hill slope 1.8 kappa 0.4 beta 0.9;
  // Michaelis-Menten alpha 2.1 lam 0.5; tanh b 0.8 c 0.6.
  const REF = {
    logistic: { p: { lam: 2.2, beta: 1.3 }, y: 0.8410082855742966 },
    hill: { p: { slope: 1.8, kappa: 0.4, beta: 0.9 }, y: 0.6592437648923821 },
    michaelis_menten: { p: { alpha: 2.1, lam: 0.5 }, y: 1.225 },
    tanh: { p: { b: 0.8, c: 0.6 }, y: 0.717862731015494 },
  } as const;
  it('float64 and tensor forms match the reference', () => {
    for (const kind of SATURATION_KINDS) {
      const p = REF[kind].p as Record<string, number>;
      expect(Math.abs(SATURATIONS[kind].f64(0.7, p) - REF[kind].y), kind).toBeLessThan(1e-14);
      const got = tf.tidy(() => SATURATION_COMPONENTS[kind].tensor(tf.tensor1d([0, 0.7]), Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tf.scalar(v)]))).dataSync());
      expect(Math.abs(got[0]), `${kind} at 0`).toBeLessThan(1e-7);
      // float32, a few ops: 1e-6 relative.
      expect(Math.abs(got[1] - REF[kind].y), kind).toBeLessThan(1e-6 * REF[kind].y + 1e-7);
    }
  });
});

describe('Fourier features', () => {
  it('follow PyMC-Marketing YearlyFourier: day of year / 365.25, sines then cosines', () => {
    const d = Date.UTC(2020, 2, 1); // 1 March 2020, day 61 of a leap year
    expect(dayOfYear(d)).toBe(61);
    const f = yearlyFourier([d], 2);
    expect(f.names).toEqual(['sin_1', 'sin_2', 'cos_1', 'cos_2']);
    const p = 61 / 365.25;
    expect(f.values[0][0]).toBeCloseTo(Math.sin(2 * Math.PI * p), 14);
    expect(f.values[1][0]).toBeCloseTo(Math.sin(4 * Math.PI * p), 14);
    expect(f.values[3][0]).toBeCloseTo(Math.cos(4 * Math.PI * p), 14);
  });
});

describe('lift tests', () => {
  it('read a dated test\'s spend from the data: during it, and over as many periods before it', () => {
    const week = 7 * 86_400_000;
    const dates = Array.from({ length: 8 }, (_, k) => Date.UTC(2024, 0, 1) + k * week);
    const spend = [Float64Array.from([1, 1, 2, 2, 2, 6, 6, 2])];
    // 2024-02-05 and 2024-02-12 are periods 5 and 6 (spend 6, 6); the two before are 2, 2.
    const [dated] = parseLiftTests([{ channel: 'x', start: '2024-02-05', end: '2024-02-12', deltaY: 9, sigma: 2 }], ['x']);
    expect(resolveLiftTests([dated], ['x'], dates, spend)).toEqual([{ channel: 'x', spendBefore: 2, spendAfter: 6, deltaY: 9, sigma: 2 }]);
    expect(() => parseLiftTests([{ channel: 'x', start: '2024-02-30', end: '2024-03-01', deltaY: 9, sigma: 2 }], ['x'])).toThrow(/config.liftTests\[0\].start must be a date like/);
    expect(() => parseLiftTests([{ channel: 'x', start: '2024-02-12', end: '2024-02-05', deltaY: 9, sigma: 2 }], ['x'])).toThrow(/end 2024-02-05 is before start 2024-02-12/);
    const resolve = (start: string, end: string, deltaY = 9) => resolveLiftTests(parseLiftTests([{ channel: 'x', start, end, deltaY, sigma: 2 }], ['x']), ['x'], dates, spend);
    expect(() => resolve('2025-01-01', '2025-02-01')).toThrow(/no period of the data falls between 2025-01-01 and 2025-02-01/);
    expect(() => resolve('2024-01-01', '2024-01-08')).toThrow(/starts at the data's first period/);
    // Periods 2..4 (spend 2) against 0..1 (1, 1 : only two before): up, so a negative lift is refused.
    expect(() => resolve('2024-01-15', '2024-01-29', -3)).toThrow(/spend per period read from the data: 1 before, 2 during 2024-01-15..2024-01-29\): deltaY \(-3\) must be non-zero and have the sign/);
  });

  it('validate input and give the Gamma(mu = |lift|, sigma) log density, tensor = float64', () => {
    expect(() => parseLiftTests([{ channel: 'z', spendBefore: 1, spendAfter: 2, deltaY: 1, sigma: 1 }], ['x'])).toThrow(/channel "z" is not one of/);
    expect(() => parseLiftTests([{ channel: 'x', spendBefore: 1, spendAfter: 2, deltaY: -1, sigma: 1 }], ['x'])).toThrow(/sign of spendAfter - spendBefore/);
    expect(() => parseLiftTests([{ channel: 'x', spendBefore: 1, spendAfter: 2, deltaY: 1, sigma: 0 }], ['x'])).toThrow(/sigma must be > 0/);
    const tests = parseLiftTests(
      [
        { channel: 'b', spendBefore: 10, spendAfter: 15, deltaY: 40, sigma: 8 },
        { channel: 'a', spendBefore: 5, spendAfter: 2, deltaY: -30, sigma: 10 },
      ],
      ['a', 'b'],
    );
    const scaled = scaleLiftTests(resolveLiftTests(tests, ['a', 'b'], [], []), ['a', 'b'], [10, 20], 1000);
    expect(scaled.xAfter).toEqual([0.75, 0.2]);
    expect(scaled.deltaY).toEqual([0.04, 0.03]);
    // Hand-computed for logistic lam (2, 3), beta (0.1, 0.2): test 1 (channel b): mu = 0.2 (tanh(1.125) - tanh(0.75)).
    const params = [{ lam: 2, beta: 0.1 }, { lam: 3, beta: 0.2 }];
    const mu = 0.2 * (Math.tanh(1.125) - Math.tanh(0.75)) + 1e-6;
    const s2 = 0.008 ** 2;
    const gamma1 = (mu * mu / s2) * Math.log(mu / s2) - lgammaF64(mu * mu / s2) + (mu * mu / s2 - 1) * Math.log(0.04) - (mu / s2) * 0.04;
    const mu2 = Math.abs(0.1 * (Math.tanh(0.2) - Math.tanh(0.5))) + 1e-6;
    const t2 = 0.01 ** 2;
    const gamma2 = (mu2 * mu2 / t2) * Math.log(mu2 / t2) - lgammaF64(mu2 * mu2 / t2) + (mu2 * mu2 / t2 - 1) * Math.log(0.03) - (mu2 / t2) * 0.03;
    const f64 = liftTestLogLikelihoodF64('logistic', scaled, params);
    expect(f64).toBeCloseTo(gamma1 + gamma2, 10);
    const got = tf.tidy(() =>
      liftTestLogLikelihood(SATURATION_COMPONENTS.logistic, scaled, { lam: tf.tensor2d([[2, 3]]), beta: tf.tensor2d([[0.1, 0.2]]) }, 2).dataSync()[0],
    );
    // float32 lgamma ~1e-6 |lgamma| on shapes ~ 1..10: 1e-4 absolute.
    expect(Math.abs(got - f64)).toBeLessThan(1e-4 * Math.max(1, Math.abs(f64)));
  });
});
