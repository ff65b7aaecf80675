/**
 * CLV runs end to end through `runFit` (the worker's path) on the CDNOW sample as a transaction
 * log: a short MCMC whose posterior means sit near the published MLE, and outputs free of NaN.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../fixtures/read.mjs';
import { parseCsvText } from '../../../../src/data/csv';
import { runFit } from '../../../../src/models/run-fit';
import type { CountModelOutputs } from '../../../../src/models/clv/count-outputs';

async function cdnowSample() {
  const text = readFixture('CDNOW_sample.txt');
  return (await parseCsvText(text, 'CDNOW_sample.txt')).table;
}

function nulls(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulls(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nulls(v, `${path}.${k}`));
  return [];
}

describe('BG/NBD run on CDNOW', () => {
  it('MCMC posterior means are near the MLE; outputs are complete', async () => {
    const table = await cdnowSample();
    const run = await runFit(
      table,
      'cdnow',
      {
        dataset: 'cdnow',
        model: 'bgnbd',
        columns: { customer: 'column_1', date: 'column_3', amount: 'column_5' },
        config: { timeUnit: 'weeks', observationEnd: '1998-06-30', calibrationEnd: '1997-09-30' },
        inference: { method: 'mcmc', chains: 8, warmup: 150, draws: 100, seed: 4, untilConverged: false },
      },
      'run-1',
      'cpu',
    );
    // Posterior means sit within ~2 posterior sd of the MLE: the default half-Cauchy priors move
    // the mode by <= 0.12 sd on 2,357 customers, and the posterior is slightly skewed (mean !=
    // mode); 4 sd allows for the MCSE of a short run.
    const mle: Record<string, number> = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
    for (const [name, value] of Object.entries(mle)) {
      const p = run.parameters[name];
      expect(Math.abs(p.mean - value), `${name}: ${p.mean} ± ${p.sd}`).toBeLessThan(4 * p.sd);
    }
    expect(run.diagnostics.chains).toBe(8);
    // The trace keeps every draw here (8 chains x 100 draws): its pooled mean is the summary's.
    const trace = run.trace!;
    expect([trace.chains, trace.draws, trace.thin, trace.omitted]).toEqual([8, 100, 1, 0]);
    expect(Object.keys(trace.params)).toEqual(['r', 'alpha', 'a', 'b']);
    for (const name of Object.keys(mle)) {
      const draws = trace.params[name].flat();
      expect(draws.every((v) => v !== null && Number.isFinite(v))).toBe(true);
      const mean = (draws as number[]).reduce((s, v) => s + v, 0) / draws.length;
      expect(mean).toBeCloseTo(run.parameters[name].mean, 5);
      for (const row of trace.ranks[name].counts) expect(row.reduce((s, k) => s + k, 0)).toBe(100);
    }
    const out = run.outputs as unknown as CountModelOutputs;
    expect(out.customers.id.length).toBe(2357);
    expect(out.tracking!.actual.length).toBe(78);
    expect(out.calibrationHoldout!.bin[0]).toBe('0');
    expect(out.customers.clv!.mean.every((v) => v >= 0)).toBe(true);
    // Blank by design only: impossible heatmap cells (x = 0 with recency > 0) and the observed
    // repeat spend of one-time buyers.
    expect(nulls(out).filter((p) => !p.startsWith('.heatmaps') && !p.startsWith('.customers.monetary'))).toEqual([]);
    expect(run.outputs.warnings).toBeUndefined();
  }, 180_000);

  it('rejects data with no repeat buyers and transactions after the observation end', async () => {
    const { table } = await parseCsvText(
      'id,date,amount\n' + 'abcdefghij'.split('').map((c, i) => `${c},2024-01-0${1 + (i % 3)},${10 + i}`).join('\n') + '\n',
      'x.csv',
    );
    const spec = { dataset: 'x', model: 'bgnbd' as const, columns: { customer: 'id', date: 'date' }, inference: { method: 'map' as const } };
    await expect(runFit(table, 'x', spec, 'r', 'cpu')).rejects.toThrow(/No customer has a repeat purchase/);
    await expect(runFit(table, 'x', { ...spec, config: { observationEnd: '2024-01-02' } }, 'r', 'cpu')).rejects.toThrow(/after the observation end/);
  });
});

describe('inference settings that could not be checked', () => {
  it('refuses fewer than 4 draws per chain (R-hat needs them) before any work', async () => {
    const table = await cdnowSample();
    const spec = (draws: number) => ({
      dataset: 'cdnow',
      model: 'bgnbd' as const,
      columns: { customer: 'column_1', date: 'column_3' },
      inference: { method: 'mcmc' as const, chains: 4, warmup: 10, draws },
    });
    await expect(runFit(table, 'cdnow', spec(1), 'run-d1', 'cpu')).rejects.toThrow('inference.draws must be a whole number from 4 to 20000, got 1.');
    await expect(runFit(table, 'cdnow', spec(3), 'run-d3', 'cpu')).rejects.toThrow(/from 4 to 20000, got 3/);
  });
});
