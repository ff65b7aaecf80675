/**
 * Accuracy of the batched (float32) Pareto/NBD likelihood per customer, over alpha/beta from 1e-3
 * to 1e4, against an independent float64 reference: the likelihood's second term as the integral
 * over the dropout time it is (Fader & Hardie 2005 note, eq. 4),
 *   s \int_{t_x}^{T} (alpha + tau)^-(r+x) (beta + tau)^-(s+1) dtau,
 * by adaptive Simpson quadrature in tau itself (no change of variable, no 2F1), to 1e-11 relative.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { paretonbdSpec } from '../../../../src/models/clv/paretonbd';
import { lgammaF64, logAddExpF64 } from '../../../../src/engine/special-f64';
import { countData } from './fixtures';

/** log \int_a^b f, f > 0 given as log f, by adaptive Simpson on f / f(a) (f is largest at a here). */
function logIntegral(logF: (t: number) => number, a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  const scale = logF(a);
  const f = (t: number) => Math.exp(logF(t) - scale);
  const simpson = (lo: number, hi: number, flo: number, fmid: number, fhi: number) => ((hi - lo) / 6) * (flo + 4 * fmid + fhi);
  const recurse = (lo: number, hi: number, flo: number, fmid: number, fhi: number, whole: number, tol: number, depth: number): number => {
    const mid = (lo + hi) / 2;
    const fl = f((lo + mid) / 2);
    const fr = f((mid + hi) / 2);
    const left = simpson(lo, mid, flo, fl, fmid);
    const right = simpson(mid, hi, fmid, fr, fhi);
    if (depth <= 0 || Math.abs(left + right - whole) <= 15 * tol) return left + right + (left + right - whole) / 15;
    return recurse(lo, mid, flo, fl, fmid, left, tol / 2, depth - 1) + recurse(mid, hi, fmid, fr, fhi, right, tol / 2, depth - 1);
  };
  const fa = f(a);
  const fm = f((a + b) / 2);
  const fb = f(b);
  // Tolerance relative to the integral's size, which is at least (b - a) f(b) and at most (b - a) f(a).
  const whole = simpson(a, b, fa, fm, fb);
  return scale + Math.log(recurse(a, b, fa, fm, fb, whole, 1e-12 * Math.max(whole, (b - a) * fb), 60));
}

interface P {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** Reference log L of one customer (float64). */
function referenceLogLik({ r, alpha, s, beta }: P, x: number, tx: number, T: number): number {
  const head = lgammaF64(r + x) - lgammaF64(r) + r * Math.log(alpha) + s * Math.log(beta);
  const t1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const t2 = Math.log(s) + logIntegral((tau) => -(r + x) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau), tx, T);
  return head + logAddExpF64(t1, t2);
}

/** CDNOW-like customers (weeks): one-time buyers, light and heavy repeat buyers, t_x at and near T. */
const CUSTOMERS: [number, number, number][] = [
  [0, 0, 38.86],
  [0, 0, 27],
  [1, 1.71, 38.86],
  [2, 30.43, 38.86],
  [3, 5, 32.14],
  [7, 29.43, 35.29],
  [14, 35.86, 36],
  [26, 30.86, 31],
  [29, 38.86, 38.86],
];

/** (r, alpha, s, beta) over alpha / beta = 1e-3 .. 1e4, shapes 0.1 .. 5, alpha 0.5 .. 100 weeks. */
function grid(): P[] {
  const out: P[] = [];
  for (const r of [0.1, 0.55, 5]) {
    for (const s of [0.1, 0.6, 5]) {
      for (const alpha of [0.5, 10, 100]) {
        for (const ratio of [1e-3, 1e-2, 0.1, 1, 10, 200, 1e3, 1e4]) out.push({ r, alpha, s, beta: alpha / ratio });
      }
    }
  }
  return out;
}

describe('Pareto/NBD likelihood accuracy', () => {
  it('is within 1e-4 nats per customer of a float64 reference for alpha/beta from 1e-3 to 1e4', () => {
    const params = grid();
    const col = (k: keyof P) => tf.tensor2d(params.map((p) => p[k]), [params.length, 1]);
    let worst = { err: 0, at: '' };
    for (const [x, tx, T] of CUSTOMERS) {
      const got = tf.tidy(() => paretonbdSpec.logLikelihood(countData([x], [tx], [T]))({ r: col('r'), alpha: col('alpha'), s: col('s'), beta: col('beta') }).dataSync());
      params.forEach((p, i) => {
        const want = referenceLogLik(p, x, tx, T);
        const err = Math.abs(got[i] - want);
        // float32 carries ~1e-7 relative: allow that on the (up to ~200 nats) value itself.
        const excess = err - 2e-7 * Math.abs(want);
        if (!(excess <= worst.err)) worst = { err: Number.isFinite(excess) ? excess : Infinity, at: `${JSON.stringify(p)} x=${x} tx=${tx} T=${T}: got ${got[i]}, want ${want}` };
      });
    }
    expect(worst.err, worst.at).toBeLessThan(1e-4);
  });

  it('the reference reproduces the published CDNOW log likelihood', async () => {
    const { cdnowSummary } = await import('./fixtures');
    const { x, tx, T } = cdnowSummary();
    const MLE = { r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 };
    const ll = x.reduce((sum, _, i) => sum + referenceLogLik(MLE, x[i], tx[i], T[i]), 0);
    expect(ll).toBeCloseTo(-9594.973931133585, 5);
  });
});
