// Chains across compute workers: with 2 workers an MCMC fit starts one helper beside the compute
// worker, runs half the chains there with one shared warm-up, and returns converged draws; the
// header shows the setting; a cancel ends the fit on both workers (none is replaced, nothing is
// stored) and the next fits run on both again, the same seed giving the same draws. Fits run on WASM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStudio } from './harness.mjs';

const studio = useStudio();

/** A small weekly MMM data set (60 weeks, one channel), loaded through the API; resolves to its id. */
function loadMmm(page) {
  return page.evaluate(async () => {
    const text =
      'date,y,x1\n' +
      Array.from({ length: 60 }, (_, k) => `${new Date(Date.UTC(2020, 0, 6 + 7 * k)).toISOString().slice(0, 10)},${100 + k + (k % 5) + 3 * ((k * 7) % 10)},${(k * 7) % 10}`).join('\n');
    return (await window.studio.loadCsv({ name: 'weekly.csv', text })).id;
  });
}

const spec = (dataset, inference) => ({ dataset, model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] }, inference });

test('a fit over 2 compute workers runs half its chains in a helper and returns converged draws; cancel stops both', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  await page.evaluate(() => window.studio.setWorkers(2));
  assert.deepEqual(await page.evaluate(() => window.studio.workers().then((w) => [w.count, w.automatic])), [2, false]);
  await page.locator('[data-testid="workers-choice"]').evaluate((el) => {
    if (el.value !== '2') throw new Error(`UI shows ${el.value}`);
  });
  const closed = [];
  page.on('worker', (w) => w.on('close', () => closed.push(w.url())));
  const id = await loadMmm(page);
  assert.equal(page.workers().length, 1, 'one compute worker before an MCMC fit');

  const run = await page.evaluate((sp) => window.studio.fit(sp), spec(id, { chains: 4, warmup: 200, draws: 250, seed: 3 }));
  assert.equal(page.workers().length, 2, 'the fit started one helper beside the compute worker');
  assert.equal(run.backend, 'wasm');
  assert.equal(run.diagnostics.chains, 4);
  assert.ok(run.diagnostics.rhatMax < 1.01, `R-hat ${run.diagnostics.rhatMax}`);
  assert.ok(run.diagnostics.essBulkMin >= 400, `bulk-ESS ${run.diagnostics.essBulkMin}`);
  assert.equal(run.verdict, 'converged');

  // Cancelled while sampling (each worker drawing its share, not talking): the fit ends as cancelled
  // without a worker being replaced (it stops only once both shares stopped), and stores nothing.
  const outcome = await page.evaluate(async (sp) => {
    const controller = new AbortController();
    const runsBefore = (await window.studio.runs()).length;
    const fit = window.studio.fit(sp, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'sampling' && p.iteration === 20) controller.abort();
      },
    });
    const result = await fit.then(
      () => 'finished',
      (e) => e.name,
    );
    await new Promise((r) => setTimeout(r, 500));
    return { result, runs: (await window.studio.runs()).length - runsBefore };
  }, spec(id, { chains: 4, warmup: 50, draws: 5000, untilConverged: false }));
  assert.equal(outcome.result, 'CancelledError');
  assert.equal(outcome.runs, 0);
  assert.deepEqual(closed, [], 'no worker was terminated and replaced');
  assert.equal(page.workers().length, 2);

  // Both workers still serve the next fits; the same seed and worker count give the same draws.
  const small = spec(id, { chains: 4, warmup: 50, draws: 20, untilConverged: false, seed: 5 });
  const [again, same] = [await page.evaluate((sp) => window.studio.fit(sp), small), await page.evaluate((sp) => window.studio.fit(sp), small)];
  assert.equal(again.diagnostics.chains, 4);
  assert.deepEqual(same.parameters, again.parameters);
  assert.deepEqual(same.trace, again.trace);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
