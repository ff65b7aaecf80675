/** The run verdict: one rule from a run's method, main-fit diagnostics and placebo outputs. */
import { describe, expect, it } from 'vitest';
import type { ParameterSummary, RunDiagnostics, RunResult } from '../../../src/api/types';
import { extendRequest, runVerdict, verdictOf, type JudgedRun } from '../../../src/models/verdict';

const good: RunDiagnostics = { chains: 8, draws: 250, rhatMax: 1.004, essBulkMin: 900, essTailMin: 700, divergences: 0, notComputable: [] };
type Judged = JudgedRun;
const run = (diagnostics: Partial<RunDiagnostics>, method: 'mcmc' | 'map' = 'mcmc', outputs: Record<string, unknown> = {}): Judged => ({
  spec: { dataset: 'd', model: 'its', columns: {}, inference: { method } },
  diagnostics: { ...good, ...diagnostics },
  outputs,
});

describe('runVerdict', () => {
  it('converged: worst R-hat < 1.01, bulk ESS >= 400, no divergence, every R-hat computable', () => {
    expect(runVerdict(run({}))).toBe('converged');
    expect(runVerdict(run({ rhatMax: 1.0099, essBulkMin: 400 }))).toBe('converged');
  });

  it('unconverged: any criterion failing', () => {
    expect(runVerdict(run({ rhatMax: 1.01 }))).toBe('unconverged');
    expect(runVerdict(run({ rhatMax: 1.2 }))).toBe('unconverged');
    expect(runVerdict(run({ essBulkMin: 399 }))).toBe('unconverged');
    expect(runVerdict(run({ divergences: 1 }))).toBe('unconverged');
    expect(runVerdict(run({ notComputable: ['sigma'] }))).toBe('unconverged');
    // Chains that ran off to infinity (an improper posterior), however well they agree.
    expect(runVerdict(run({ runaway: ['alpha'] }))).toBe('unconverged');
    // No finite R-hat at all (Math.max of nothing), as a run stored before notComputable was kept.
    expect(runVerdict(run({ rhatMax: -Infinity, notComputable: undefined }))).toBe('unconverged');
  });

  it('approximate: a MAP run, whatever its (Laplace) R-hat', () => {
    expect(runVerdict(run({ rhatMax: 1.3, essBulkMin: 10 }, 'map'))).toBe('approximate');
  });

  it('placebo-failed: the placebo refit found an effect (its HDI excludes 0), for MCMC and MAP alike', () => {
    const failed = { placebo: { coversZero: false } };
    expect(runVerdict(run({}, 'mcmc', failed))).toBe('placebo-failed');
    expect(runVerdict(run({}, 'map', failed))).toBe('placebo-failed');
    expect(runVerdict(run({}, 'mcmc', { placebo: { coversZero: true } }))).toBe('converged');
    // An unconverged fit's placebo means nothing either way.
    expect(runVerdict(run({ rhatMax: 1.1 }, 'mcmc', failed))).toBe('unconverged');
  });

  it('old runs: derived from what was stored, never throwing on missing fields', () => {
    const old = { spec: { dataset: 'd', model: 'bgnbd', columns: {} }, diagnostics: { chains: 4, draws: 100, rhatMax: 1.002, essBulkMin: 500, essTailMin: 500, divergences: 0 }, outputs: {} } as Judged;
    expect(verdictOf(old)).toBe('converged');
    expect(verdictOf({ ...old, verdict: 'unconverged' })).toBe('unconverged');
    expect(verdictOf({ ...old, diagnostics: undefined as unknown as RunDiagnostics, outputs: undefined as unknown as Record<string, unknown> })).toBe('unconverged');
    expect(verdictOf({ ...old, diagnostics: { ...old.diagnostics, rhatMax: null as unknown as number } })).toBe('unconverged');
  });
});

describe('extendRequest', () => {
  const p = (rhat: number, essBulk: number): ParameterSummary => ({ mean: 0, sd: 1, hdiLow: -1, hdiHigh: 1, rhat, essBulk, essTail: essBulk });

  it('passes a converged set, and asks for enough draws to reach the bulk ESS with 10% to spare', () => {
    expect(extendRequest({ a: p(1.001, 800) }, 0, 100)).toBeUndefined();
    expect(extendRequest({ a: p(1.001, 200), b: p(1.002, 900) }, 0, 100)).toEqual({ reason: 'bulk ESS 200 at a', draws: 120 });
  });

  it('doubles the draws for a failing or non-computable R-hat, and names the worst', () => {
    expect(extendRequest({ a: p(1.001, 800), sigma: p(1.034, 800) }, 0, 250)).toEqual({ reason: 'R-hat 1.034 at sigma', draws: 250 });
    expect(extendRequest({ z: p(NaN, NaN) }, 0, 40)?.reason).toBe('R-hat not computable at z');
  });

  it('asks for a fresh warm-up on divergences (more draws cannot remove them)', () => {
    expect(extendRequest({ a: p(1.001, 800) }, 3, 100)).toEqual({ reason: '3 divergent transitions', draws: 100, warmup: true });
  });
});
