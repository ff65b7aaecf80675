/**
 * The default priors of sBG, BG/BB and Gamma-Gamma (HalfCauchy, proper): on the published data sets
 * their posterior sits on the maximum-likelihood answer (spend-retention.test.ts), and on an exactly
 * geometric cohort, where the likelihood is bounded along the homogeneous ray and flat priors run off
 * to infinity, the posterior is proper: a finite mode, and chains that agree on a wide posterior.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../fixtures/read.mjs';
import { parseCsvText } from '../../../../src/data/csv';
import { runFit } from '../../../../src/models/run-fit';
import type { InferenceSpec, ModelName, RunResult } from '../../../../src/api/types';

async function fit(csv: string, model: ModelName, columns: Record<string, string>, inference: InferenceSpec, config?: Record<string, unknown>): Promise<RunResult> {
  const { table } = await parseCsvText(csv, `${model}.csv`);
  return runFit(table, 'd', { dataset: 'd', model, columns, inference, ...(config ? { config } : {}) }, 'run', 'cpu');
}

/** Every parameter's posterior mean within `k` posterior sd of the published MLE. */
function expectNearMle(run: RunResult, mle: Record<string, number>, k = 2) {
  for (const [name, want] of Object.entries(mle)) {
    const p = run.parameters[name];
    expect(Math.abs(p.mean - want) / p.sd, `${name}: mean ${p.mean} sd ${p.sd}, MLE ${want}`).toBeLessThan(k);
  }
}

const survivors = (s: readonly number[]) => 'period,alive\n' + s.map((v, t) => `${t},${v}`).join('\n') + '\n';
const SBG_COLUMNS = { period: 'period', alive: 'alive' };
const MCMC: InferenceSpec = { method: 'mcmc', chains: 8, warmup: 300, draws: 300, seed: 1 };
const MAP: InferenceSpec = { method: 'map', seed: 1 };

describe('default priors on the published data', () => {
  it.each([
    ['regular', [1000, 631, 468, 382, 326, 289, 262, 241], { alpha: 0.704, beta: 1.182 }],
    ['highEnd', [1000, 869, 743, 653, 593, 551, 517, 491], { alpha: 0.668, beta: 3.806 }],
  ] as const)('sBG %s: MCMC posterior means within 2 sd of the MLE', async (_, s, mle) => {
    const run = await fit(survivors(s), 'sbg', SBG_COLUMNS, MCMC);
    // Sampled until converged (the default): the studio's criteria, not a looser one.
    expect(run.verdict).toBe('converged');
    expect(run.diagnostics.rhatMax).toBeLessThan(1.01);
    expectNearMle(run, mle);
  }, 120_000);

  it('Gamma-Gamma on CDNOW and BG/BB on the donations: posterior means within 2 sd of the MLE', async () => {
    const gg = await fit(readFixture('cdnow_customers_summary_with_transactions.csv'), 'gammagamma', { customer: 'ID', frequency: 'x', recency: 't_x', T: 'T', monetary: 'zbar' }, MAP);
    expectNearMle(gg, { p: 6.2488, q: 3.7446, v: 15.4477 });
    const bgbb = await fit(readFixture('donations.csv'), 'bgbb', { frequency: 'frequency', recency: 'recency', periods: 'periods', weights: 'weights' }, MAP);
    expectNearMle(bgbb, { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 });
  }, 120_000);
});

describe('an exactly geometric cohort (churn 0.2 every period)', () => {
  const geometric = Array.from({ length: 8 }, (_, t) => Math.round(1000 * 0.8 ** t));
  const flat = { priors: { alpha: { dist: 'HalfFlat' }, beta: { dist: 'HalfFlat' } } };

  it('under flat priors the mode runs off (flagged), under the defaults it is finite', async () => {
    const improper = await fit(survivors(geometric), 'sbg', SBG_COLUMNS, MAP, flat);
    expect(improper.diagnostics.laplace!.runaway).toEqual(['alpha', 'beta']);
    const run = await fit(survivors(geometric), 'sbg', SBG_COLUMNS, MAP);
    expect(run.diagnostics.laplace!.runaway).toEqual([]);
    expect(run.parameters.alpha.mode).toBeLessThan(100);
    expect(run.parameters.beta.mode).toBeLessThan(400);
  }, 120_000);

  it('MCMC under the defaults: the chains agree on a posterior wide along the ray, the mean churn pinned', async () => {
    const run = await fit(survivors(geometric), 'sbg', SBG_COLUMNS, MCMC);
    expect(run.verdict).toBe('converged');
    expect(run.diagnostics.rhatMax).toBeLessThan(1.01);
    expect(run.diagnostics.runaway ?? []).toEqual([]);
    const { alpha, beta } = run.parameters;
    // Wide: the data say only that the population is nearly homogeneous (alpha + beta large).
    expect(alpha.sd / alpha.mean).toBeGreaterThan(0.5);
    expect(alpha.hdiHigh / alpha.hdiLow).toBeGreaterThan(5);
    // ...and the mean churn alpha / (alpha + beta) is that of the data.
    const churn = alpha.mean / (alpha.mean + beta.mean);
    expect(Math.abs(churn - 0.2)).toBeLessThan(0.03);
    expect(alpha.hdiHigh).toBeLessThan(1e4);
  }, 120_000);
});
