/**
 * What BG/NBD, MBG/NBD and Pareto/NBD share: default priors (proper, time-unit aware), small-data
 * fits that stay finite, a clear error for a posterior that runs off to infinity, and stable
 * likelihoods and predictions for very heavy buyers (large x, where a 2F1 series could overflow).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseCsvText } from '../../../../src/data/csv';
import { runFit } from '../../../../src/models/run-fit';
import { findModel } from '../../../../src/models/registry';
import { createPosterior } from '../../../../src/engine/posterior';
import { createRng } from '../../../../src/engine/rng';
import { bgnbdSpec } from '../../../../src/models/clv/bgnbd';
import { mbgnbdSpec } from '../../../../src/models/clv/mbgnbd';
import { paretonbdSpec } from '../../../../src/models/clv/paretonbd';
import { countModelPriors, type CountModelSpec } from '../../../../src/models/clv/count-model';
import type { CountModelOutputs } from '../../../../src/models/clv/count-outputs';
import { histogram } from '../../../../src/models/summaries';
import type { FitSpec } from '../../../../src/api/types';
import { rfmFromSpec } from '../../../../src/models/clv/rfm-input';
import { cdnowSummary, countData } from './fixtures';

const MODELS = [bgnbdSpec, mbgnbdSpec, paretonbdSpec] as unknown as CountModelSpec<Record<string, number>>[];

/** The first n customers of the CDNOW calibration summary as a table. */
async function smallCdnow(n: number) {
  const { text } = cdnowSummary();
  const lines = text.trim().split('\n');
  return (await parseCsvText(lines.slice(0, n + 1).join('\n') + '\n', 'small.csv')).table;
}

function nonFinitePaths(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
  return [];
}

describe('histogram', () => {
  it('bins the finite values; a fixed lower edge (0 for CLV) replaces a minimum of 1e-10', () => {
    expect(histogram([1e-10, 1, 2, NaN, 4], 4).edges[0]).toBe(1e-10);
    expect(histogram([1e-10, 1, 2, NaN, 4], 4, 0)).toEqual({ edges: [0, 1, 2, 3, 4], counts: [1, 1, 1, 1] });
  });
});

describe('count models: priors', () => {
  it('defaults: half-Cauchy (shapes at scale 5, time scales at 10 weeks in the time unit); Weibull(2, ...) for the Pareto/NBD', () => {
    expect(countModelPriors(bgnbdSpec.paramNames, bgnbdSpec.timeScaleParams, 'weeks')).toEqual({
      r: { dist: 'HalfCauchy', beta: 5 },
      alpha: { dist: 'HalfCauchy', beta: 10 },
      a: { dist: 'HalfCauchy', beta: 5 },
      b: { dist: 'HalfCauchy', beta: 5 },
    });
    const days = countModelPriors(paretonbdSpec.paramNames, paretonbdSpec.timeScaleParams, 'days');
    expect(days.alpha).toEqual({ dist: 'HalfCauchy', beta: 70 });
    expect(days.beta).toEqual({ dist: 'HalfCauchy', beta: 70 });
    expect(days.s).toEqual({ dist: 'HalfCauchy', beta: 5 });
    // PyMC-Marketing's ParetoNBDModel defaults, the time scales in the data's unit.
    expect(paretonbdSpec.priorFamily).toBe('Weibull');
    expect(countModelPriors(paretonbdSpec.paramNames, paretonbdSpec.timeScaleParams, 'weeks', 'Weibull')).toEqual({
      r: { dist: 'Weibull', alpha: 2, beta: 1 },
      alpha: { dist: 'Weibull', alpha: 2, beta: 10 },
      s: { dist: 'Weibull', alpha: 2, beta: 1 },
      beta: { dist: 'Weibull', alpha: 2, beta: 10 },
    });
    expect(countModelPriors(paretonbdSpec.paramNames, paretonbdSpec.timeScaleParams, 'days', 'Weibull').beta).toEqual({ dist: 'Weibull', alpha: 2, beta: 70 });
    expect(countModelPriors(mbgnbdSpec.paramNames, mbgnbdSpec.timeScaleParams, 'months').alpha).toEqual({ dist: 'HalfCauchy', beta: 70 / (365.25 / 12) });
  });

  it('fits 40 customers with the default priors to finite estimates and outputs; reports the priors used', async () => {
    const table = await smallCdnow(40);
    for (const model of ['bgnbd', 'mbgnbd', 'paretonbd'] as const) {
      const spec: FitSpec = {
        dataset: 's',
        model,
        columns: { frequency: 'frequency', recency: 'recency', T: 'T' },
        config: { priors: { r: { dist: 'HalfNormal', sigma: 2 } } },
        inference: { method: 'map', seed: 3 },
      };
      const run = await runFit(table, 's', spec, 'r', 'cpu');
      for (const [name, p] of Object.entries(run.parameters)) {
        // Proper priors keep the mode and its Laplace draws in a sane range (HalfFlat runs off to 1e38 here).
        expect(p.mean, `${model} ${name}`).toBeGreaterThan(0);
        expect(p.mean, `${model} ${name}`).toBeLessThan(1e3);
      }
      const out = run.outputs as unknown as CountModelOutputs;
      expect(out.priors!.r).toEqual({ dist: 'HalfNormal', sigma: 2 });
      expect(out.priors!.alpha).toEqual(model === 'paretonbd' ? { dist: 'Weibull', alpha: 2, beta: 10 } : { dist: 'HalfCauchy', beta: 10 });
      expect(out.customers.pAlive.mean.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Blank by design only: impossible heatmap cells and the repeat spend (not given here).
      expect(nonFinitePaths(out).filter((p) => !p.startsWith('.heatmaps') && !p.startsWith('.customers.monetary'))).toEqual([]);
      expect(run.outputs.warnings).toBeUndefined();
    }
  });

  it('a posterior that runs off to infinity (flat priors, little data) is a clear error, not a hang or NaN', async () => {
    const table = await smallCdnow(40);
    const flat = { dist: 'HalfFlat' };
    const spec: FitSpec = {
      dataset: 's',
      model: 'bgnbd',
      columns: { frequency: 'frequency', recency: 'recency', T: 'T' },
      config: { priors: { r: flat, alpha: flat, a: flat, b: flat } },
    };
    const prepared = findModel('bgnbd').prepare(table, spec);
    // With flat priors the mode of these 40 customers is at r ~ 4e5, alpha ~ 2e7, a ~ 1e13, b ~ 3e38
    // (the homogeneous limit): draws like these must be refused with a message.
    const runaway = createPosterior(['r', 'alpha', 'a', 'b'], 1, 2, Float64Array.from([4e5, 2e7, 1e13, 3e38, 0.3, 7, 0.5, 1]));
    expect(() => prepared.outputs(runaway)).toThrow(/BG\/NBD: the posterior of alpha runs off to 2.00e\+7.*Use proper priors/);
    const nan = createPosterior(['r', 'alpha', 'a', 'b'], 1, 1, Float64Array.from([0.3, NaN, 0.5, 1]));
    expect(() => prepared.outputs(nan)).toThrow(/the posterior of alpha runs off to NaN/);
    expect(() => findModel('bgnbd').prepare(table, { ...spec, config: { priors: { lambda: flat } } })).toThrow(/unknown prior 'lambda'/);
  });
});

describe('count models: heavy buyers (large x)', () => {
  // A daily-unit heavy buyer: 2,000 repeat purchase days over ~5.5 years, and a lapsed one.
  const rows = [
    [2000, 1999, 2000],
    [2000, 1000, 2000],
    [0, 0, 2000],
  ];
  const params: Record<string, Record<string, number>[]> = {
    bgnbd: [{ r: 0.24, alpha: 31, a: 0.79, b: 2.43 }, { r: 3, alpha: 0.5, a: 0.05, b: 40 }],
    mbgnbd: [{ r: 0.52, alpha: 43, a: 0.89, b: 1.61 }, { r: 3, alpha: 0.5, a: 0.05, b: 40 }],
    paretonbd: [{ r: 0.55, alpha: 74, s: 0.61, beta: 82 }, { r: 3, alpha: 0.5, s: 0.05, beta: 400 }],
  };

  it('float64 predictions are finite and in range; the float32 likelihood agrees with float64', () => {
    const x = rows.map((r) => r[0]);
    const tx = rows.map((r) => r[1]);
    const T = rows.map((r) => r[2]);
    const data = countData(x, tx, T);
    for (const m of MODELS) {
      for (const p of params[m.name]) {
        let want = 0;
        for (const [cx, ctx, cT] of rows) {
          const ll = m.logLikF64(p, cx, ctx, cT);
          const alive = m.pAlive(p, cx, ctx, cT);
          const e = m.conditionalExpected(p, 365, cx, ctx, cT);
          expect(Number.isFinite(ll), `${m.name} ll ${cx},${ctx}`).toBe(true);
          expect(alive >= 0 && alive <= 1, `${m.name} pAlive ${alive}`).toBe(true);
          expect(Number.isFinite(e) && e >= 0, `${m.name} E ${e}`).toBe(true);
          // A customer buying on 1999 of 2000 days and alive is expected to keep going: E ~ 365 P(alive).
          if (ctx === 1999) expect(e / (365 * alive), m.name).toBeGreaterThan(0.8);
          want += ll;
        }
        expect(Number.isFinite(m.expected(p, 3650))).toBe(true);
        const got = tf.tidy(() => {
          const v = Object.fromEntries(m.paramNames.map((k) => [k, tf.tensor2d([p[k]], [1, 1])]));
          return m.logLikelihood(data)(v).dataSync()[0];
        });
        // Terms of size ~1e4 (2000 log-rate terms) summed in float32: 1e-5 relative, plus the
        // Pareto/NBD's 24-node float32 quadrature (~1e-3 absolute).
        expect(Math.abs(got - want), `${m.name} ${JSON.stringify(p)}: ${got} vs ${want}`).toBeLessThan(1e-5 * Math.abs(want) + 2e-2);
      }
    }
  });
});

describe('count models: parameters per acquisition channel (config.perChannel)', () => {
  // 24 customers from "paid" and 16 from "organic", each with 1 to 4 purchases spread over 2023.
  const csv = ['customer_id,date,amount,channel'];
  for (let c = 0; c < 40; c++) {
    const channel = c < 24 ? 'paid' : 'organic';
    for (let k = 0; k <= c % 4; k++) csv.push(`c${c},2023-${String(1 + ((c + 3 * k) % 12)).padStart(2, '0')}-${String(1 + ((7 * c) % 27)).padStart(2, '0')},${10 + c},${channel}`);
  }
  const table = async () => (await parseCsvText(csv.join('\n') + '\n', 'tx.csv')).table;
  const spec: FitSpec = {
    dataset: 'tx',
    model: 'bgnbd',
    columns: { customer: 'customer_id', date: 'date', amount: 'amount', channel: 'channel' },
    config: { perChannel: true, priors: { r: { dist: 'HalfFlat' }, alpha: { dist: 'HalfFlat' }, a: { dist: 'HalfFlat' }, b: { dist: 'HalfFlat' } } },
  };

  it('each channel’s customers enter the likelihood with their own channel’s parameters', async () => {
    const t = await table();
    const { model } = findModel('bgnbd').prepare(t, spec);
    const channels = ['organic', 'paid'];
    expect(model.names).toEqual(['r', 'alpha', 'a', 'b'].flatMap((p) => channels.map((c) => `${p}[${c}]`)));
    const params: Record<string, { r: number; alpha: number; a: number; b: number }> = {
      organic: { r: 0.7, alpha: 3, a: 0.9, b: 2.5 },
      paid: { r: 1.6, alpha: 8, a: 0.4, b: 5 },
    };
    const constrained = (['r', 'alpha', 'a', 'b'] as const).flatMap((p) => channels.map((c) => params[c][p]));
    const theta = tf.tensor2d([constrained.map(Math.log)]);
    const got = (await model.logDensity(theta).data())[0];
    theta.dispose();
    // Float64 reference: each customer's BG/NBD log likelihood at their channel's parameters, plus
    // the log bijector's Jacobian (sum of the unconstrained coordinates; the priors are flat).
    const rfm = rfmFromSpec(t, spec);
    let want = constrained.reduce((s, v) => s + Math.log(v), 0);
    rfm.ids.forEach((_, i) => (want += bgnbdSpec.logLikF64(params[rfm.channel![i]], rfm.frequency[i], rfm.recency[i], rfm.T[i])));
    expect(got).toBeCloseTo(want, 1);
    expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-5);
  });

  it.each(['bgnbd', 'mbgnbd', 'paretonbd'] as const)('%s: the per-channel log density is the sum of the pooled models fitted to each channel alone', async (name) => {
    const t = await table();
    const config = { observationEnd: '2023-12-31' };
    const perChannel = findModel(name).prepare(t, { ...spec, model: name, config: { ...config, perChannel: true } }).model;
    const channels = ['organic', 'paid'];
    const rng = createRng(3);
    const theta = Array.from({ length: perChannel.dim }, () => 0.8 * rng.normal());
    const got = tf.tidy(() => perChannel.logDensity(tf.tensor2d([theta])).dataSync()[0]);
    let want = 0;
    for (const [k, ch] of channels.entries()) {
      const rows = [csv[0], ...csv.slice(1).filter((line) => line.endsWith(`,${ch}`))];
      const alone = findModel(name).prepare((await parseCsvText(rows.join('\n') + '\n', `${ch}.csv`)).table, { ...spec, model: name, config }).model;
      // Parameter-major layout: element k of every parameter belongs to channel k.
      const own = Array.from({ length: alone.dim }, (_, p) => theta[p * channels.length + k]);
      want += tf.tidy(() => alone.logDensity(tf.tensor2d([own])).dataSync()[0]);
    }
    expect(Math.abs(got - want)).toBeLessThan(1e-5 * Math.abs(want));
  });

  it('needs the channel column and enough customers with repeat purchases in every channel', async () => {
    const t = await table();
    const noChannel = { ...spec, columns: { customer: 'customer_id', date: 'date', amount: 'amount' } };
    expect(() => findModel('bgnbd').prepare(t, noChannel)).toThrow(/per channel \(config\.perChannel\) need the acquisition channel column/);
    const small = (await parseCsvText([...csv, 'z1,2023-01-05,10,tv', 'z1,2023-02-05,10,tv', 'z2,2023-03-01,5,tv'].join('\n') + '\n', 'tx.csv')).table;
    expect(() => findModel('bgnbd').prepare(small, spec)).toThrow(/Channel "tv" has 2 customers and 1 with a repeat purchase: BG\/NBD parameters per channel need at least 10 customers/);
    expect(() => findModel('bgnbd').prepare(t, { ...spec, config: { perChannel: 'yes' } })).toThrow(/config\.perChannel must be true or false/);
  });
});
