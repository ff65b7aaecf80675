/**
 * The hurdle model's log density (tfjs, float32, batched) against the same density written out in
 * float64 here: Bernoulli buying on the log-odds, Gamma or log-normal spend of buyers with mean m,
 * centred segment deviations of the uplift, and every parameter's prior.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { simulateAbTest } from '../../../data/generate-abtest-sample.mjs';
import { parseCsvText } from '../../../../src/data/csv';
import { priorLogPdfF64 } from '../../../../src/engine/distributions';
import { lgammaF64 } from '../../../../src/engine/special-f64';
import { createRng } from '../../../../src/engine/rng';
import { ABTEST_PRIORS, hurdleModel, type SpendKind } from '../../../../src/models/abtest/hurdle';
import { readAbTest } from '../../../../src/models/abtest/input';

const LOG_2PI = Math.log(2 * Math.PI);

describe('hurdle log density', () => {
  it.each(['gamma', 'lognormal'] as const)('%s spend: equals the float64 density at random points', async (kind: SpendKind) => {
    const { csv } = simulateAbTest({ n: 300, seed: 4 });
    const { table } = await parseCsvText(csv, 'a.csv');
    const data = readAbTest(
      table,
      { dataset: 'a', model: 'abtest', columns: { customer: 'customer', group: 'group', revenue: 'revenue', covariates: ['prev_revenue'], segment: 'segment' } },
      'coupon',
    );
    const h = hurdleModel(data, { ...ABTEST_PRIORS }, kind);
    const m = h.model;
    const rng = createRng(8);
    const points = Array.from({ length: 3 }, () => Float32Array.from({ length: m.dim }, () => 0.6 * rng.normal()));
    const theta = tf.tensor2d(points.flatMap((p) => Array.from(p)), [3, m.dim]);
    const got = await m.modeDensity!(theta).data();
    const constrained = await m.constrain(theta).array();
    const revenue = data.revenue!;
    const buyers = Array.from({ length: data.n }, (_, i) => i).filter((i) => revenue[i] > 0);
    const scale = buyers.reduce((s, i) => s + revenue[i], 0) / buyers.length;
    const share = buyers.length / data.n;
    constrained.forEach((row, c) => {
      const v = (name: string) => row[m.names.indexOf(name)];
      const part = (prefix: string) => {
        const z = data.segments.map((s) => v(`${prefix}_uplift_z[${s}]`));
        const zMean = z.reduce((a, b) => a + b, 0) / z.length;
        return (i: number) => {
          const s = data.segments[data.segment[i]];
          const uplift = v(`${prefix}_uplift`) + v(`${prefix}_uplift_sd`) * (z[data.segment[i]] - zMean);
          return v(`${prefix}_intercept[${s}]`) + v(`${prefix}_beta[prev_revenue]`) * data.covariates[0][i] + data.treated[i] * uplift;
        };
      };
      const buy = part('buy');
      const spend = part('spend');
      let ll = 0;
      for (let i = 0; i < data.n; i++) {
        const eta = Math.log(share / (1 - share)) + buy(i);
        ll += data.converted[i] * eta - Math.log1p(Math.exp(eta));
      }
      for (const i of buyers) {
        const y = revenue[i] / scale;
        const mu = spend(i);
        if (kind === 'gamma') {
          const a = v('spend_shape');
          ll += a * Math.log(a) - lgammaF64(a) + (a - 1) * Math.log(y) - a * mu - (a * y) / Math.exp(mu);
        } else {
          const s = v('spend_sigma');
          ll += -0.5 * ((Math.log(y) - (mu - 0.5 * s * s)) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI;
        }
      }
      // modeDensity drops constants of the log-normal (0.5 log 2 pi per buyer): add them back.
      if (kind === 'lognormal') ll += 0.5 * LOG_2PI * buyers.length;
      for (const p of m.parameters) {
        const prior = p.name.endsWith('_z') ? ({ dist: 'Normal', mu: 0, sigma: 1 } as const) : ABTEST_PRIORS[p.name];
        for (let k = 0; k < p.size; k++) ll += priorLogPdfF64(prior, row[p.offset + k]);
      }
      // float32 sums of ~400 terms of magnitude ~1: a relative 1e-5 of the total, at least 0.01.
      expect(Math.abs(got[c] - ll)).toBeLessThan(Math.max(0.01, 1e-5 * Math.abs(ll)));
    });
  });
});
