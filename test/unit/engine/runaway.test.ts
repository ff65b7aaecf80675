/**
 * Runaway detection (src/engine/runaway.ts): one rule for a MAP mode and for MCMC draws, and a fit
 * whose chains run off stores the parameters' names in its diagnostics and warns, naming them.
 */
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../../src/data/csv';
import { runFit } from '../../../src/models/run-fit';
import { runawayColumns, runawayDraws, runawayMessage, RUNAWAY_CONSTRAINED, RUNAWAY_UNCONSTRAINED } from '../../../src/engine/runaway';
import { createPosterior } from '../../../src/engine/posterior';
import { diagnosticWarnings } from '../../../src/ui/diagnostic-warnings';

describe('runaway columns', () => {
  it('names the columns with any value beyond the bound, infinities included, NaN not', () => {
    // rows: [a, b, c]
    const values = [1, -2, 3, 4, 25, NaN, -21, 0, 5];
    expect(runawayColumns(['a', 'b', 'c'], values, RUNAWAY_UNCONSTRAINED)).toEqual(['a', 'b']);
    expect(runawayColumns(['a', 'b'], [1, Infinity], 20)).toEqual(['b']);
    expect(runawayColumns(['a', 'b'], [1, NaN, 19.9, -19.9], 20)).toEqual([]);
  });

  it('reads a posterior on the constrained scale with the bound e^20', () => {
    expect(RUNAWAY_CONSTRAINED).toBeCloseTo(Math.exp(20), 0);
    // 2 chains x 2 draws of (alpha, beta): one draw of beta at 1e9.
    const p = createPosterior(['alpha', 'beta'], 2, 2, Float64Array.from([1, 2, 1.1, 2.2, 0.9, 1e9, 1, 3]));
    expect(runawayDraws(p)).toEqual(['beta']);
    expect(runawayDraws(createPosterior(['alpha'], 1, 2, Float64Array.from([4e8, -4e8])))).toEqual([]);
  });

  it('the message names the parameters and asks for a proper prior', () => {
    expect(runawayMessage(['alpha'])).toMatch(/^alpha ran off to infinity .*the data do not pin it down; give it a proper prior/);
    expect(runawayMessage(['a', 'b', 'c', 'd', 'e'])).toMatch(/^a, b, c and 2 more ran off to infinity/);
  });
});

describe('an MCMC run whose chains run off', () => {
  it('is stored with diagnostics.runaway naming the parameters, and warns', async () => {
    // BG/BB patterns that all have weight 0 say nothing, and alpha's prior sits around e^25 = 7e10:
    // draws where an improper posterior's chains end up, reached at once.
    const { table } = await parseCsvText('frequency,recency,periods,weights\n0,0,6,0\n1,1,6,0\n3,5,6,0\n6,6,6,0\n', 'none.csv');
    const spec = {
      dataset: 'g',
      model: 'bgbb' as const,
      columns: { frequency: 'frequency', recency: 'recency', periods: 'periods', weights: 'weights' },
      config: { priors: { alpha: { dist: 'LogNormal', mu: 25, sigma: 0.1 } } },
      // The planned draws only: chains that ran off never converge, so "until converged" (the default)
      // would keep drawing to its cap or budget, and the names are read from the draws either way.
      inference: { method: 'mcmc' as const, chains: 4, warmup: 30, draws: 20, seed: 1, untilConverged: false },
    };
    const run = await runFit(table, 'g', spec, 'r', 'cpu');
    expect(run.diagnostics.runaway).toEqual(['alpha']);
    expect(diagnosticWarnings(run)[0]).toMatch(/^alpha ran off to infinity/);
    // The same with the default (proper, sane) priors records none.
    const sane = await runFit(table, 'g', { ...spec, config: undefined }, 'r', 'cpu');
    expect(sane.diagnostics.runaway).toBeUndefined();
    expect(diagnosticWarnings(sane).some((w) => /ran off/.test(w))).toBe(false);
  }, 120_000);
});
