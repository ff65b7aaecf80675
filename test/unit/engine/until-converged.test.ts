/**
 * "Until converged" sampling: after the planned draws the chains continue from their last state
 * (adapted step size, trajectory length and metric) while a check fails, within a draw cap and a
 * time budget; the same seed gives the same draws.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { summarise } from '../../../src/engine/diagnostics';
import { compileModel } from '../../../src/engine/model';
import { sample, type ExtendOptions } from '../../../src/engine/sample';
import { extendRequest, ESS_MIN, RHAT_MAX } from '../../../src/models/verdict';

/** A 2-d Gaussian, sd 1 and 3, correlation 0.5. */
function gaussian2d() {
  const prec = tf.tensor2d([1 / 0.75, -0.5 / (3 * 0.75), -0.5 / (3 * 0.75), 1 / (9 * 0.75)], [2, 2]);
  return compileModel([{ name: 'x', prior: { dist: 'Flat' }, size: 2 }], ({ x }) => tf.mul(-0.5, tf.sum(tf.mul(tf.matMul(x, prec), x), 1)) as tf.Tensor1D);
}

/** The check a run makes (src/models/run-fit.ts): every parameter's R-hat, bulk ESS, divergences. */
const extendAsRunsDo = (budgetMs: number, maxDraws = 4000): ExtendOptions => {
  const now = performance.now();
  return { startedAt: now, deadline: now + budgetMs, maxDraws, check: (p, divergences) => extendRequest(summarise(p), divergences, p.draws) };
};

describe('until converged', () => {
  it('a run planned with 20 draws per chain extends until R-hat < 1.01 and bulk ESS >= 400, and says why', async () => {
    const model = gaussian2d();
    const messages: string[] = [];
    const run = () =>
      sample(model, { chains: 4, warmup: 100, draws: 20, seed: 11, extend: extendAsRunsDo(600_000), onProgress: (r) => r.message && messages.push(r.message) });
    const r = await run();
    expect(r.extension).toMatchObject({ stop: 'passed', warmups: 0 });
    expect(r.extension!.rounds).toBeGreaterThan(0);
    expect(r.posterior.draws).toBeGreaterThan(20);
    const s = summarise(r.posterior);
    for (const p of Object.values(s)) {
      expect(p.rhat).toBeLessThan(RHAT_MAX);
      expect(p.essBulk).toBeGreaterThanOrEqual(ESS_MIN);
    }
    // The first extension says what failed and what it does: "bulk ESS 61 at x[1]: sampling 125 more draws per chain (0:01 of 10:00 used)".
    expect(messages[0]).toMatch(/^(bulk ESS \d+|R-hat [\d.]+) at x\[\d\].*: sampling \d+ more draws per chain \(\d+:\d\d of 10:00 used\)$/);
    // Same seed, same draws (the budget did not bind).
    const again = await run();
    expect(again.posterior.draws).toBe(r.posterior.draws);
    expect(Array.from(again.posterior.values)).toEqual(Array.from(r.posterior.values));
  }, 120_000);

  it('stops when the budget runs out, keeping the planned draws; and at the draw cap', async () => {
    const model = gaussian2d();
    const none = await sample(model, { chains: 4, warmup: 50, draws: 20, seed: 3, extend: extendAsRunsDo(0) });
    expect(none.extension).toMatchObject({ stop: 'budget', rounds: 0 });
    expect(none.extension!.reason).toMatch(/bulk ESS|R-hat/);
    expect(none.posterior.draws).toBe(20);
    const capped = await sample(model, { chains: 4, warmup: 50, draws: 20, seed: 3, extend: extendAsRunsDo(600_000, 30) });
    expect(capped.extension).toMatchObject({ stop: 'cap', rounds: 1 });
    expect(capped.posterior.draws).toBe(30);
    // The planned draws are the unextended run's: extending only appends.
    const plain = await sample(model, { chains: 4, warmup: 50, draws: 20, seed: 3 });
    expect(plain.extension).toBeUndefined();
    const first20 = (v: Float64Array, draws: number) => Array.from({ length: 4 }, (_, c) => Array.from(v.subarray(c * draws * 2, (c * draws + 20) * 2))).flat();
    expect(first20(capped.posterior.values, 30)).toEqual(Array.from(plain.posterior.values));
  }, 120_000);

  it('a check asking for a fresh warm-up drops the draws so far and draws the planned number again', async () => {
    const model = gaussian2d();
    let calls = 0;
    const now = performance.now();
    const r = await sample(model, {
      chains: 4,
      warmup: 50,
      draws: 20,
      seed: 5,
      extend: { startedAt: now, deadline: now + 600_000, maxDraws: 4000, check: () => (calls++ === 0 ? { reason: '2 divergent transitions', draws: 20, warmup: true } : undefined) },
    });
    expect(r.extension).toMatchObject({ stop: 'passed', rounds: 1, warmups: 1 });
    expect(r.posterior.draws).toBe(20);
    expect(r.divergences).toBe(0);
  }, 120_000);
});
