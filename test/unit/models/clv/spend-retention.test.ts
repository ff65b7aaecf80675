/**
 * Gamma-Gamma, BG/BB and sBG maximum likelihood against the published answers
 * (test/fixtures/README.md). float32 likelihoods carry ~1e-6 relative noise, and the published
 * values are rounded to 3-4 digits: parameters are compared to 1% (sBG, BG/BB) and the LL to 0.1.
 * Maximum likelihood is the mode under flat priors without the bijectors' Jacobian: each fit asks
 * for HalfFlat priors explicitly (the defaults are proper, see default-priors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../fixtures/read.mjs';
import { parseCsvText } from '../../../../src/data/csv';
import { findMap } from '../../../../src/engine/map';
import { gammaGammaModel, gammaGammaLogLikF64, gammaGammaExpectedSpend } from '../../../../src/models/clv/gammagamma';
import { bgbbModel, bgbbLogLikF64, bgbbPAlive } from '../../../../src/models/clv/bgbb';
import { sbgModel, sbgLogLikF64, sbgSurvival } from '../../../../src/models/clv/sbg';
import { withoutJacobian } from './fixtures';

/** HalfFlat priors on every named parameter: the likelihood alone. */
const flat = (...names: string[]) => ({ priors: Object.fromEntries(names.map((n) => [n, { dist: 'HalfFlat' }])) });

const rel = (got: number, want: number) => Math.abs(got / want - 1);

describe('Gamma-Gamma on CDNOW', () => {
  it('reproduces p = 6.2488, q = 3.7446, v = 15.4477, LL = -4055.92', async () => {
    const { table } = await parseCsvText(readFixture('cdnow_customers_summary_with_transactions.csv'), 'gg.csv');
    const prepared = gammaGammaModel.prepare(table, { dataset: 'g', model: 'gammagamma', columns: { customer: 'ID', frequency: 'x', recency: 't_x', T: 'T', monetary: 'zbar' }, config: flat('p', 'q', 'v') });
    const fit = await findMap(withoutJacobian(prepared.model));
    const [p, q, v] = fit.constrained;
    expect(rel(p, 6.2488)).toBeLessThan(0.01);
    expect(rel(q, 3.7446)).toBeLessThan(0.01);
    expect(rel(v, 15.4477)).toBeLessThan(0.01);
    expect(fit.logDensity).toBeCloseTo(-4055.92, 0);
    // float64 reference at the published values; and the conditional spend formula (eq. 5).
    const rows = readFixture('cdnow_customers_summary_with_transactions.csv').trim().split('\n').slice(1).map((l) => l.split(',').map(Number)).filter((r) => r[1] > 0);
    const ll = rows.reduce((s, r) => s + gammaGammaLogLikF64({ p: 6.2488, q: 3.7446, v: 15.4477 }, r[1], r[4]), 0);
    expect(ll).toBeCloseTo(-4055.92, 1);
    const pp = { p: 6.2488, q: 3.7446, v: 15.4477 };
    const popMean = (pp.p * pp.v) / (pp.q - 1);
    const w = (pp.q - 1) / (pp.p * 2 + pp.q - 1);
    expect(gammaGammaExpectedSpend(pp, 2, 40)).toBeCloseTo(w * popMean + (1 - w) * 40, 10);
  });
});

describe('BG/BB on donations', () => {
  it('reproduces alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33225.6', async () => {
    const { table } = await parseCsvText(readFixture('donations.csv'), 'donations.csv');
    const prepared = bgbbModel.prepare(table, { dataset: 'd', model: 'bgbb', columns: { frequency: 'frequency', recency: 'recency', periods: 'periods', weights: 'weights' }, config: flat('alpha', 'beta', 'gamma', 'delta') });
    const fit = await findMap(withoutJacobian(prepared.model));
    const [alpha, beta, gamma, delta] = fit.constrained;
    expect(rel(alpha, 1.204)).toBeLessThan(0.01);
    expect(rel(beta, 0.75)).toBeLessThan(0.01);
    expect(rel(gamma, 0.657)).toBeLessThan(0.01);
    expect(rel(delta, 2.783)).toBeLessThan(0.01);
    expect(fit.logDensity).toBeCloseTo(-33225.6, 0);
    const rows = readFixture('donations.csv').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const p = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
    const ll = rows.reduce((s, r) => s + r[3] * bgbbLogLikF64(p, r[0], r[1], r[2]), 0);
    expect(ll).toBeCloseTo(-33225.6, 0);
    // Someone who gave in all 6 years is almost surely alive; a one-time early donor much less so.
    expect(bgbbPAlive(p, 6, 6, 6)).toBeGreaterThan(0.9);
    expect(bgbbPAlive(p, 1, 1, 6)).toBeLessThan(0.3);
  });
});

describe('sBG (Fader & Hardie 2007)', () => {
  const series = {
    regular: [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1],
    highEnd: [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1],
  };
  const csv = (cohorts: [string, number[]][]) =>
    'cohort,period,alive\n' + cohorts.flatMap(([c, s]) => s.map((v, t) => `${c},${t},${Math.round(v * 10)}`)).join('\n') + '\n';

  it.each([
    ['regular', series.regular, 0.704, 1.182, -1680.3],
    ['highEnd', series.highEnd, 0.668, 3.806, -1611.2],
  ] as const)('%s: alpha, beta and LL', async (name, s, alpha, beta, ll) => {
    const { table } = await parseCsvText(csv([[name, [...s]]]), `${name}.csv`);
    const prepared = sbgModel.prepare(table, { dataset: name, model: 'sbg', columns: { period: 'period', alive: 'alive' }, config: flat('alpha', 'beta') });
    const fit = await findMap(withoutJacobian(prepared.model));
    expect(rel(fit.constrained[0], alpha)).toBeLessThan(0.01);
    expect(rel(fit.constrained[1], beta)).toBeLessThan(0.01);
    expect(fit.logDensity).toBeCloseTo(ll, 0);
    expect(sbgLogLikF64({ alpha, beta }, s.map((v) => Math.round(v * 10)))).toBeCloseTo(ll, 0);
  });

  it('fits both cohorts at once with per-cohort parameters and projects survival', async () => {
    const { table } = await parseCsvText(csv([['regular', series.regular], ['highEnd', series.highEnd]]), 'both.csv');
    const prepared = sbgModel.prepare(table, { dataset: 'b', model: 'sbg', columns: { period: 'period', alive: 'alive', cohort: 'cohort' }, config: flat('alpha', 'beta') });
    expect(prepared.model.names).toEqual(['alpha[regular]', 'alpha[highEnd]', 'beta[regular]', 'beta[highEnd]']);
    const fit = await findMap(withoutJacobian(prepared.model));
    expect(rel(fit.constrained[0], 0.704)).toBeLessThan(0.01);
    expect(rel(fit.constrained[3], 3.806)).toBeLessThan(0.01);
    // Year-12 survival of the regular cohort (projection) from the published parameters.
    expect(sbgSurvival({ alpha: 0.704, beta: 1.182 }, 7)).toBeCloseTo(0.241, 1);
  });

  it('rejects gaps, growth and duplicates with the row', async () => {
    const bad = async (text: string, re: RegExp) => {
      const { table } = await parseCsvText(text, 'bad.csv');
      expect(() => sbgModel.prepare(table, { dataset: 'x', model: 'sbg', columns: { period: 'period', alive: 'alive' } })).toThrow(re);
    };
    await bad('period,alive\n0,100\n2,50\n', /period 1 is missing/);
    await bad('period,alive\n0,100\n1,120\n', /Row 2: 120 customers alive at period 1, more than the 100/);
    await bad('period,alive\n0,100\n0,90\n', /Row 2: period 0 appears twice/);
  });
});
