/**
 * A MAP run reports the mode, not the mean of its Laplace draws, and says how far the Laplace
 * approximation can be trusted (Pareto k of the importance ratios, the optimiser's state). With
 * flat priors the mode of BG/NBD on the CDNOW summary is the published MLE (Fader, Hardie & Lee
 * 2005: r 0.2426, alpha 4.4135, a 0.7929, b 2.4258), where the Laplace draws' means sit at
 * a = 0.93, b = 3.01 (a's posterior is skewed).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseCsvText } from '../../../src/data/csv';
import { runFit } from '../../../src/models/run-fit';
import { compileModel } from '../../../src/engine/model';
import { laplaceFit } from '../../../src/engine/laplace';
import { createRng } from '../../../src/engine/rng';
import { normalLogPdf } from '../../../src/engine/distributions';
import { diagnosticWarnings } from '../../../src/ui/diagnostic-warnings';
import { readFixture } from '../../fixtures/read.mjs';

const PUBLISHED = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };

describe('MAP means the mode', () => {
  it('BG/NBD with flat priors: each parameter mode is the MLE; the Laplace check is reported', async () => {
    const { table } = await parseCsvText(readFixture('cdnow_customers_summary.csv'), 'cdnow.csv');
    const flat = { dist: 'HalfFlat' };
    const run = await runFit(
      table,
      'cdnow',
      {
        dataset: 'cdnow',
        model: 'bgnbd',
        columns: { frequency: 'frequency', recency: 'recency', T: 'T' },
        config: { priors: { r: flat, alpha: flat, a: flat, b: flat } },
        inference: { method: 'map', seed: 1 },
      },
      'run-map',
      'cpu',
    );
    // float32 log likelihood and 4-digit published values: 0.5% relative (as the MLE test).
    for (const [name, want] of Object.entries(PUBLISHED)) {
      expect(run.parameters[name].mode! / want - 1, name).toBeCloseTo(0, 2);
    }
    // The Laplace draws' mean of b is well above its mode: the mean is not what MAP reports.
    expect(run.parameters.b.mean).toBeGreaterThan(run.parameters.b.mode! * 1.1);
    const check = run.diagnostics.laplace!;
    expect(check.converged).toBe(true);
    expect(check.runaway).toEqual([]);
    expect(Number.isFinite(check.paretoK)).toBe(true);
  });

  it("Neal's funnel: the mode runs off to a boundary, and the run says so instead of a confident answer", async () => {
    // Neal's funnel: v ~ N(0, 3), x_1..9 | v ~ N(0, e^(v/2)). At x = 0 the density grows as v falls until
    // the prior stops it at v = -40.5: a "mode" of no posterior mass, e^-20 wide in x.
    const model = compileModel(
      [
        { name: 'v', prior: { dist: 'Normal', mu: 0, sigma: 3 } },
        { name: 'x', prior: { dist: 'Flat' }, size: 9 },
      ],
      ({ v, x }) => tf.sum(normalLogPdf(x, 0, tf.exp(tf.mul(0.5, v))), 1) as tf.Tensor1D,
    );
    const fit = await laplaceFit(model, { n: 1000, normal: createRng(3).normal });
    expect(fit.check.runaway).toContain('v');
    const warnings = diagnosticWarnings({
      spec: { dataset: 'd', model: 'its', columns: {}, inference: { method: 'map' } },
      diagnostics: { chains: 4, draws: 250, rhatMax: 1, essBulkMin: 1000, essTailMin: 1000, divergences: 0, laplace: fit.check },
      parameters: {},
    });
    expect(warnings.join(' ')).toMatch(/v ran off to a boundary: the posterior has no proper mode there\. Sample it/);
  });

  it('a Laplace approximation of a skewed posterior gets a higher Pareto k than of a Gaussian one', async () => {
    const gaussian = compileModel([{ name: 'x', prior: { dist: 'Normal', mu: 1, sigma: 2 }, size: 2 }], () => tf.zeros([1]) as tf.Tensor1D);
    // Gamma(1.2, 1) on the log scale is far from Gaussian.
    const skewed = compileModel([{ name: 's', prior: { dist: 'Gamma', alpha: 1.2, beta: 1 } }], (values) => tf.mul(0, tf.sum(values.s, 1)) as tf.Tensor1D);
    const kGauss = (await laplaceFit(gaussian, { n: 2000, normal: createRng(4).normal })).check.paretoK;
    const kSkew = (await laplaceFit(skewed, { n: 2000, normal: createRng(4).normal })).check.paretoK;
    expect(kGauss).toBeLessThan(0.5);
    expect(kSkew).toBeGreaterThan(kGauss);
  });
});
