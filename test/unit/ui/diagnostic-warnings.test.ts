/** The diagnostics panel's warnings: thresholds as ArviZ's, and the parameter at fault named. */
import { describe, expect, it } from 'vitest';
import type { ParameterSummary, RunResult } from '../../../src/api/types';
import { COLLAPSED_ROWS, diagnosticWarnings, rhatFails, runWarnings, shownParameterRows } from '../../../src/ui/diagnostic-warnings';

const p = (rhat: number, essBulk: number, essTail: number): ParameterSummary => ({ mean: 0, sd: 1, hdiLow: -1, hdiHigh: 1, rhat, essBulk, essTail });

function run(method: 'mcmc' | 'map', parameters: Record<string, ParameterSummary>, divergences = 0): Pick<RunResult, 'spec' | 'diagnostics' | 'parameters'> {
  const all = Object.values(parameters).filter((q) => Number.isFinite(q.rhat));
  return {
    spec: { dataset: 'd', model: 'bgnbd', columns: {}, inference: { method } },
    diagnostics: {
      chains: 8,
      draws: 250,
      rhatMax: Math.max(...all.map((q) => q.rhat)),
      essBulkMin: Math.min(...all.map((q) => q.essBulk)),
      essTailMin: Math.min(...all.map((q) => q.essTail)),
      divergences,
      notComputable: Object.keys(parameters).filter((n) => !Number.isFinite(parameters[n].rhat)),
    },
    parameters,
  };
}

describe('diagnostic warnings', () => {
  it('are silent for a converged run', () => {
    expect(diagnosticWarnings(run('mcmc', { a: p(1.004, 900, 800), b: p(1.009, 401, 400) }))).toEqual([]);
  });

  it('name the worst parameter for each criterion, and count divergences', () => {
    const w = diagnosticWarnings(run('mcmc', { a: p(1.004, 900, 300), sigma: p(1.2244, 28, 500), z: p(1.05, 120, 700) }, 3));
    expect(w).toEqual([
      'R-hat up to 1.2244 at sigma (should be below 1.01): the chains disagree; run longer (more warm-up and draws).',
      'Bulk ESS as low as 28 at sigma (< 400): means are imprecise.',
      'Tail ESS as low as 300 at a (< 400): intervals are imprecise.',
      '3 divergent transitions: the posterior may be biased.',
    ]);
  });

  it('say first where R-hat could not be computed, name the worst finite one, and skip MAP runs', () => {
    const w = diagnosticWarnings(run('mcmc', { c: p(NaN, NaN, NaN), b: p(1.3, 500, 500) }));
    expect(w[0]).toBe('R-hat could not be computed for c (non-finite draws): the run cannot be checked there; its numbers are not an answer.');
    expect(w[1]).toMatch(/^R-hat up to 1\.3 at b /);
    expect(diagnosticWarnings(run('map', { b: p(1.3, 10, 10) }))).toEqual([]);
  });
});

describe('parameter table rows', () => {
  const ok: ParameterSummary = { mean: 0, sd: 1, hdiLow: -1, hdiHigh: 1, rhat: 1.001, essBulk: 900, essTail: 900 };
  const rows = Array.from({ length: 79 }, (_, i): [string, ParameterSummary] => [
    `w[${i}]`,
    i === 60 ? { ...ok, rhat: 1.02 } : i === 70 ? { ...ok, essTail: 120 } : ok,
  ]);

  it('a long table shows its first rows and every flagged one until expanded; a short one shows all', () => {
    const shown = shownParameterRows(rows, false).map(([n]) => n);
    expect(shown).toHaveLength(COLLAPSED_ROWS + 2);
    expect(shown.slice(-2)).toEqual(['w[60]', 'w[70]']);
    expect(shownParameterRows(rows, true)).toHaveLength(79);
    expect(shownParameterRows(rows.slice(0, 10), false)).toHaveLength(10);
  });

  it('a parameter whose R-hat is not computable (NaN, or null once stored) is flagged, never passed', () => {
    const odd = rows.map(([n, q], i): [string, ParameterSummary] => [n, i === 50 ? { ...q, rhat: NaN } : i === 55 ? { ...q, rhat: null as unknown as number } : q]);
    expect(shownParameterRows(odd, false).map(([n]) => n).slice(-4)).toEqual(['w[50]', 'w[55]', 'w[60]', 'w[70]']);
    // The verdict's rule: R-hat must be below 1.01 (src/models/verdict.ts).
    expect(rhatFails(1.0099)).toBe(false);
    expect(rhatFails(1.01)).toBe(true);
    expect(rhatFails(NaN)).toBe(true);
  });
});

describe('run warnings', () => {
  it("are the run's outputs.warnings (the run view lists them for every model)", () => {
    const w = 'Some outputs could not be computed (not finite) and are left blank: contributions.tv.mean.';
    expect(runWarnings({ outputs: { warnings: [w, 3] } })).toEqual([w]);
    expect(runWarnings({ outputs: {} })).toEqual([]);
  });
});
