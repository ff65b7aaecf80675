/**
 * BG/NBD against Fader, Hardie & Lee (2005) on the CDNOW sample (published float64 MLE and
 * predictions, test/fixtures/README.md).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  bgnbdSpec,
  bgnbdConditionalExpected,
  bgnbdConditionalPmf,
  bgnbdExpected,
  bgnbdLogLikF64,
  bgnbdPAlive,
  bgnbdPmf,
  type BgNbdParams,
} from '../../../../src/models/clv/bgnbd';
import { countModelDefinition } from '../../../../src/models/clv/count-model';
import { mbgnbdConditionalExpected, mbgnbdExpected } from '../../../../src/models/clv/mbgnbd';
import { compileModel } from '../../../../src/engine/model';
import { findMap } from '../../../../src/engine/map';
import { parseCsvText } from '../../../../src/data/csv';
import { cdnowSummary, countData } from './fixtures';

const PUBLISHED: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };

describe('BG/NBD', () => {
  const { x, tx, T } = cdnowSummary();

  it('float64 log likelihood at the published MLE is -9582.43', () => {
    const ll = x.reduce((s, _, i) => s + bgnbdLogLikF64(PUBLISHED, x[i], tx[i], T[i]), 0);
    // The published parameters are rounded to 4-5 digits: the LL at them agrees to ~0.01.
    expect(ll).toBeCloseTo(-9582.43, 1);
  });

  it('batched log density equals the float64 implementation at random points', () => {
    const data = countData(x, tx, T);
    const ll = bgnbdSpec.logLikelihood(data);
    const points: BgNbdParams[] = [PUBLISHED, { r: 1.3, alpha: 0.7, a: 2.1, b: 0.4 }, { r: 0.05, alpha: 30, a: 0.2, b: 9 }];
    const got = tf.tidy(() => {
      const v = (k: keyof BgNbdParams) => tf.tensor2d(points.map((p) => p[k]), [points.length, 1]);
      return Array.from(ll({ r: v('r'), alpha: v('alpha'), a: v('a'), b: v('b') }).dataSync());
    });
    points.forEach((p, k) => {
      const want = x.reduce((s, _, i) => s + bgnbdLogLikF64(p, x[i], tx[i], T[i]), 0);
      // float32 sums of ~1000 terms of size ~10: relative 2e-6 of |LL|.
      expect(Math.abs(got[k] - want)).toBeLessThan(2e-6 * Math.abs(want) + 1e-3);
    });
  });

  it('maximum likelihood (flat priors, no Jacobian) reproduces the published MLE', async () => {
    const model = compileModel(
      bgnbdSpec.paramNames.map((name) => ({ name, prior: { dist: 'HalfFlat' } as const })),
      bgnbdSpec.logLikelihood(countData(x, tx, T)),
      { jacobian: false },
    );
    const fit = await findMap(model);
    const [r, alpha, a, b] = fit.constrained;
    // float32 log likelihood (~1e-3 absolute noise on -9582) and 4-digit published values: 0.5% relative.
    expect(r / PUBLISHED.r - 1).toBeCloseTo(0, 2);
    expect(alpha / PUBLISHED.alpha - 1).toBeCloseTo(0, 2);
    expect(a / PUBLISHED.a - 1).toBeCloseTo(0, 2);
    expect(b / PUBLISHED.b - 1).toBeCloseTo(0, 2);
    expect(fit.logDensity).toBeCloseTo(-9582.43, 0);
  });

  it('expected purchases are continuous through a = 1 (the limit of the (a - 1) division)', () => {
    // At a = 1 exactly the closed form divides 0 by 0; the limit must match a = 1 +- 1e-6 (where
    // the general form is still accurate) to ~1e-5.
    const at = (a: number) => ({ r: 1, alpha: 10, a, b: 4 });
    const close = (x: number, y: number) => expect(Math.abs(x / y - 1), `${x} vs ${y}`).toBeLessThan(1e-5);
    close(bgnbdExpected(at(1), 52), bgnbdExpected(at(1 + 1e-6), 52));
    close(bgnbdExpected(at(1), 52), bgnbdExpected(at(1 - 1e-6), 52));
    close(bgnbdConditionalExpected(at(1), 52, 3, 20, 40), bgnbdConditionalExpected(at(1 + 1e-6), 52, 3, 20, 40));
    close(mbgnbdExpected(at(1), 52), mbgnbdExpected(at(1 + 1e-6), 52));
    close(mbgnbdConditionalExpected(at(1), 52, 3, 20, 40), mbgnbdConditionalExpected(at(1 - 1e-6), 52, 3, 20, 40));
  });

  it('predictions match the paper', () => {
    // Published to 4-5 digits from rounded parameters: agreement to 1e-3 relative.
    [1, 3, 32, 78].forEach((t, i) => {
      const want = [0.0532, 0.1506, 1.0437, 1.8576][i];
      expect(Math.abs(bgnbdExpected(PUBLISHED, t) / want - 1)).toBeLessThan(1e-3);
    });
    expect(Math.abs(bgnbdConditionalExpected(PUBLISHED, 52, 26, 30.857, 31) / 25.757 - 1)).toBeLessThan(1e-3);
    expect(bgnbdPAlive(PUBLISHED, 26, 30.857, 31)).toBeCloseTo(0.9689, 4);
    // P(X(39) = 0) = 0.5738 in the paper's rounding of the parameters; (alpha/(alpha+t))^r = 0.57425 here.
    expect(bgnbdPmf(PUBLISHED, 39, 0)).toBeCloseTo(0.574, 3);
    // the pmf sums to one
    const total = Array.from({ length: 400 }, (_, n) => bgnbdPmf(PUBLISHED, 39, n)).reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(1, 6);
    // The conditional pmf is a distribution whose mean is the conditional expectation (eq. 10),
    // an independent check of both (truncation at n = 600 leaves < 1e-9 of mass).
    for (const [cx, ctx, cT] of [[26, 30.857, 31], [0, 0, 31], [3, 10, 38]]) {
      let mass = 0;
      let meanN = 0;
      for (let k = 0; k < 600; k++) {
        const pk = bgnbdConditionalPmf(PUBLISHED, 52, k, cx, ctx, cT);
        mass += pk;
        meanN += k * pk;
      }
      expect(mass).toBeCloseTo(1, 8);
      expect(meanN).toBeCloseTo(bgnbdConditionalExpected(PUBLISHED, 52, cx, ctx, cT), 6);
    }
    // stable at large x (no overflow of the 2F1)
    const big = bgnbdConditionalExpected(PUBLISHED, 52, 150, 77, 78);
    expect(Number.isFinite(big) && big > 0).toBe(true);
  });

  it('fits through the model definition from an RFM summary, with outputs and no NaN', async () => {
    const { text } = cdnowSummary();
    const { table } = await parseCsvText(text, 'cdnow.csv');
    const def = countModelDefinition(bgnbdSpec);
    const prepared = def.prepare(table, {
      dataset: 'cdnow',
      model: 'bgnbd',
      columns: { customer: 'ID', frequency: 'frequency', recency: 'recency', T: 'T' },
    });
    const fit = await findMap(prepared.model);
    expect(fit.converged).toBe(true);
    expect(() => def.prepare(table, { dataset: 'c', model: 'bgnbd', columns: { frequency: 'nope', recency: 'recency', T: 'T' } })).toThrow(
      /Column "nope" \(for frequency\) is not in the dataset/,
    );
  });
});
