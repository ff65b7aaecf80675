/**
 * MBG/NBD against an independent float64 implementation in scipy (MLE by Nelder-Mead + BFGS on
 * the CDNOW summary, predictions with scipy.special.hyp2f1): MLE r = 0.524838, alpha = 6.182992,
 * a = 0.891356, b = 1.613999, LL = -9582.1327.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mbgnbdSpec, mbgnbdConditionalExpected, mbgnbdConditionalPmf, mbgnbdExpected, mbgnbdLogLikF64, mbgnbdPAlive } from '../../../../src/models/clv/mbgnbd';
import { compileModel } from '../../../../src/engine/model';
import { findMap } from '../../../../src/engine/map';
import { cdnowSummary, countData } from './fixtures';

const MLE = { r: 0.5248379753145562, alpha: 6.182991953875319, a: 0.8913560252071007, b: 1.6139990641881472 };

describe('MBG/NBD', () => {
  const { x, tx, T } = cdnowSummary();

  it('float64 likelihood and predictions equal the scipy reference', () => {
    const ll = x.reduce((s, _, i) => s + mbgnbdLogLikF64(MLE, x[i], tx[i], T[i]), 0);
    expect(ll).toBeCloseTo(-9582.132684899902, 6);
    expect(mbgnbdPAlive(MLE, 26, 30.857, 31)).toBeCloseTo(0.9654813539974448, 10);
    expect(mbgnbdPAlive(MLE, 0, 0, 31)).toBeCloseTo(0.4139017555925857, 10);
    expect(mbgnbdConditionalExpected(MLE, 52, 26, 30.857, 31)).toBeCloseTo(23.998180994178085, 8);
    expect(mbgnbdConditionalExpected(MLE, 52, 0, 0, 31)).toBeCloseTo(0.24681216212089416, 10);
    const want = [0.05306061956785454, 0.15079299551655057, 1.0366092905129436, 1.8036361516442236];
    [1, 3, 32, 78].forEach((t, i) => expect(mbgnbdExpected(MLE, t)).toBeCloseTo(want[i], 10));
    // conditional pmf: a distribution whose mean is the conditional expectation
    let mass = 0;
    let meanN = 0;
    for (let k = 0; k < 600; k++) {
      const pk = mbgnbdConditionalPmf(MLE, 52, k, 26, 30.857, 31);
      mass += pk;
      meanN += k * pk;
    }
    expect(mass).toBeCloseTo(1, 8);
    expect(meanN).toBeCloseTo(23.998180994178085, 6);
  });

  it('batched log density equals the float64 one, and the MLE is found', async () => {
    const data = countData(x, tx, T);
    const got = tf.tidy(() => {
      const v = (k: keyof typeof MLE) => tf.tensor2d([MLE[k]], [1, 1]);
      return mbgnbdSpec.logLikelihood(data)({ r: v('r'), alpha: v('alpha'), a: v('a'), b: v('b') }).dataSync()[0];
    });
    expect(Math.abs(got + 9582.132684899902)).toBeLessThan(0.05);
    const model = compileModel(
      mbgnbdSpec.paramNames.map((name) => ({ name, prior: { dist: 'HalfFlat' } as const })),
      mbgnbdSpec.logLikelihood(data),
      { jacobian: false },
    );
    const fit = await findMap(model);
    const names = ['r', 'alpha', 'a', 'b'] as const;
    // The float32 likelihood is ~1e-3 noisy and the surface is flat along (a, b), so L-BFGS stops
    // where the LL no longer improves at float32 resolution: the LL must match to 0.05, and each
    // parameter must sit within 0.25 posterior sd of the MLE. The sd of log(parameter) from the
    // Hessian at the mode: r 0.156, alpha 0.111, a 0.179, b 0.341 (a fixed 2% relative bound was
    // 0.13 sd for r but 0.06 sd for b, and failed by noise on r when the special functions changed).
    const sdLog = { r: 0.156, alpha: 0.111, a: 0.179, b: 0.341 };
    expect(Math.abs(fit.logDensity + 9582.132684899902)).toBeLessThan(0.05);
    names.forEach((n, i) => expect(Math.abs(Math.log(fit.constrained[i] / MLE[n])) / sdLog[n], n).toBeLessThan(0.25));
  });
});
