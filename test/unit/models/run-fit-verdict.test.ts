/**
 * A run's verdict and diagnostics through `runFit` (the worker's path) on an interrupted time
 * series with a placebo refit and a local level: the header's diagnostics and parameter table are
 * the main fit's, the placebo's are reported apart, sampler coordinates are marked internal, and a
 * run whose budget runs out is kept, marked unconverged, with a warning naming what failed.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../src/api/types';
import type { Table } from '../../../src/data/table';
import { createRng } from '../../../src/engine/rng';
import { runFit } from '../../../src/models/run-fit';
import { diagnosticWarnings } from '../../../src/ui/diagnostic-warnings';

const N = 48;
function series(): Table {
  const rng = createRng(2);
  return {
    rows: N,
    columns: [
      { name: 'month', type: 'date', values: Float64Array.from({ length: N }, (_, i) => Date.UTC(2019, i, 1)) },
      { name: 'sales', type: 'number', values: Float64Array.from({ length: N }, (_, i) => 20 + 0.2 * i + rng.normal() + (i >= 36 ? 3 : 0)) },
    ],
  };
}
const spec = (inference: FitSpec['inference']): FitSpec => ({
  dataset: 'sim',
  model: 'its',
  columns: { date: 'month', outcome: 'sales' },
  config: { treatmentStart: '2022-01-01', seasonality: 0, structural: true },
  inference,
});

describe('run verdict and main-fit diagnostics', () => {
  it('keeps the placebo refit out of the parameters and diagnostics, and flags sampler coordinates', async () => {
    const run = await runFit(series(), 'sim', spec({ method: 'map', seed: 1 }), 'r1', 'cpu');
    const names = Object.keys(run.parameters);
    expect(names.some((n) => n.startsWith('placebo_'))).toBe(false);
    const placebo = run.blocks?.placebo;
    expect(placebo).toBeDefined();
    expect(Object.keys(placebo!.parameters).every((n) => n.startsWith('placebo_'))).toBe(true);
    expect(placebo!.parameters.placebo_sigma).toBeDefined();
    // The random walk's innovations are sampler coordinates; sigma and sigma_level are not.
    expect(run.parameters['level_z[0]'].internal).toBe(true);
    expect(placebo!.parameters['placebo_level_z[0]'].internal).toBe(true);
    expect(run.parameters.sigma.internal).toBeUndefined();
    expect(run.parameters.sigma_level.internal).toBeUndefined();
    // The worst statistics are the main fit's own.
    const main = Object.values(run.parameters);
    expect(run.diagnostics.essBulkMin).toBe(Math.min(...main.map((p) => p.essBulk)));
    expect(placebo!.diagnostics.essBulkMin).toBe(Math.min(...Object.values(placebo!.parameters).map((p) => p.essBulk)));
    if (run.model !== 'its') throw new Error(`an its run, got ${run.model}`);
    expect(run.verdict).toBe(run.outputs.placebo && (run.outputs.placebo as { coversZero: boolean }).coversZero ? 'approximate' : 'placebo-failed');
  }, 60_000);

  it('a run whose budget runs out is kept, marked unconverged, and its warning says what failed and what to try', async () => {
    const run = await runFit(series(), 'sim', spec({ method: 'mcmc', chains: 4, warmup: 30, draws: 20, seed: 1, budgetSeconds: 0.001 }), 'r2', 'cpu');
    expect(run.verdict).toBe('unconverged');
    expect(run.diagnostics.draws).toBe(20);
    expect(run.diagnostics.extension).toMatchObject({ stop: 'budget', rounds: 0, plannedDraws: 20, budgetSeconds: 0.001 });
    const warning = diagnosticWarnings(run)[0];
    expect(warning).toMatch(/^Not converged: sampling stopped with 20 of a planned 20 draws per chain because its time budget \(0\.001 s\) ran out; still failing: .*(R-hat|bulk ESS|divergent).* Try a larger budget/);
  }, 60_000);

  it('untilConverged: false takes exactly the planned draws; bad settings are refused by name', async () => {
    const run = await runFit(series(), 'sim', spec({ method: 'mcmc', chains: 4, warmup: 30, draws: 20, seed: 1, untilConverged: false }), 'r3', 'cpu');
    expect(run.diagnostics.draws).toBe(20);
    expect(run.diagnostics.extension).toBeUndefined();
    expect(run.verdict).toBe('unconverged');
    await expect(runFit(series(), 'sim', spec({ budgetSeconds: 0 }), 'r4', 'cpu')).rejects.toThrow('inference.budgetSeconds must be a number of seconds above 0 and at most 3600, got 0.');
    await expect(runFit(series(), 'sim', spec({ untilConverged: 'yes' as unknown as boolean }), 'r5', 'cpu')).rejects.toThrow('inference.untilConverged must be true or false, got "yes".');
  }, 60_000);
});
