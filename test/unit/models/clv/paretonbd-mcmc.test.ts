/**
 * The Pareto/NBD's default priors (PyMC-Marketing's Weibull) give a posterior HMC samples: on the
 * CDNOW summary a short run converges around the published MLE. Under half-Cauchy priors the same
 * data left a tail along (s, beta) that 8 chains x 2,000 draws did not cross (BENCHMARKS.md).
 * On the WASM backend: the likelihood's hypergeometric series is ~25x slower on the pure-JS `cpu`
 * backend the other unit tests use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../../src/engine/backend';
import { sample } from '../../../../src/engine/sample';
import { summarise } from '../../../../src/engine/diagnostics';
import { parseCsvText } from '../../../../src/data/csv';
import { findModel } from '../../../../src/models/registry';
import { cdnowSummary } from './fixtures';

// Fader, Hardie & Lee (2005); the same values as paretonbd.test.ts.
const MLE = { r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 };

describe('Pareto/NBD sampled with its default priors', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('converges around the published MLE on the CDNOW summary', async () => {
    const { table } = await parseCsvText(cdnowSummary().text, 'cdnow.csv');
    const { model } = findModel('paretonbd').prepare(table, {
      dataset: 'cdnow',
      model: 'paretonbd',
      columns: { frequency: 'frequency', recency: 'recency', T: 'T' },
      config: { timeUnit: 'weeks' },
    });
    const run = await sample(model, { chains: 4, warmup: 150, draws: 150, seed: 1 });
    const summary = summarise(run.posterior);
    expect(run.divergences).toBe(0);
    for (const [name, mle] of Object.entries(MLE)) {
      const p = summary[name];
      // A short run: R-hat's own noise is ~0.01 here.
      expect(p.rhat, name).toBeLessThan(1.05);
      expect(p.essBulk, name).toBeGreaterThan(100);
      // The posterior sits on the MLE (the priors move it by well under one posterior sd).
      expect(Math.abs(p.mean - mle), name).toBeLessThan(p.sd);
    }
  });
});
