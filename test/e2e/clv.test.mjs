// CLV from the bundled CDNOW transactions: map columns, fit BG/NBD (MAP + Laplace in the UI; a short
// MCMC through the API on WASM, opened in the UI with its trace and rank plots), see the charts and
// the customer table, reload and reopen the runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

test('BG/NBD from the CDNOW sample: fit, charts, customer table, reload and reopen', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-cdnow-transactions.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'cdnow' }).waitFor({ timeout: 60_000 });
  // The page says what to do next with the sample, and its link opens that page.
  assert.equal((await page.locator('[data-testid="next-step"]').innerText()).replace(/\s+/g, ' ').trim(), 'CDNOW transactions loaded: open CLV or Cohorts to analyse it.');
  await page.locator('[data-testid="next-clv"]').click();
  await page.locator('[data-role="customer"] select').selectOption('customer_id');
  await page.locator('[data-role="amount"] select').selectOption('amount');
  await page.locator('[data-config="calibrationEnd"] input').fill('1997-09-30');
  await page.locator('[data-config="calibrationEnd"] input').dispatchEvent('change');
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="clv-results"]', FIT_TIMEOUT_MS);
  assert.match(await page.locator('[data-testid="trace-plots"]').innerText(), /independent draws each from the Laplace/);
  for (const chart of ['trace', 'rank', 'tracking-incremental', 'tracking-cumulative', 'calibration-holdout', 'p-alive-heatmap', 'expected-purchases-heatmap', 'clv-histogram']) {
    const paths = await page.locator(`[data-testid="chart-${chart}"] svg *`).count();
    assert.ok(paths > 5, `${chart} is drawn`);
  }
  assert.equal(await page.locator('[data-testid="customer-row"]').count(), 50);
  const text = await page.locator('[data-testid="clv-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');
  // Sorting by CLV puts the largest first.
  const firstClv = await page.locator('[data-testid="customer-row"] td').nth(6).innerText();
  await page.locator('[data-testid="sort-clv"]').click();
  const ascendingFirst = await page.locator('[data-testid="customer-row"] td').nth(6).innerText();
  assert.notEqual(firstClv, ascendingFirst);

  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await page.locator('[data-testid="clv-results"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('BG/NBD MCMC through the API on WASM reports diagnostics and progress; its trace and rank plots survive a reload', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  const result = await page.evaluate(async () => {
    const text = await (await fetch(new URL('samples/cdnow-transactions.csv', document.baseURI))).text();
    const info = await window.studio.loadCsv({ name: 'cdnow.csv', text });
    const phases = new Set();
    const run = await window.studio.fit(
      {
        dataset: info.id,
        model: 'bgnbd',
        columns: { customer: 'customer_id', date: 'date', amount: 'amount' },
        config: { timeUnit: 'weeks' },
        // Exactly the planned draws (the trace below is checked draw for draw).
        inference: { method: 'mcmc', chains: 8, warmup: 100, draws: 60, seed: 2, untilConverged: false },
      },
      { onProgress: (p) => phases.add(p.phase) },
    );
    const { chains, draws, thin, omitted, params, ranks } = run.trace;
    return {
      diagnostics: run.diagnostics,
      r: run.parameters.r,
      phases: [...phases],
      backend: run.backend,
      trace: { chains, draws, thin, omitted, names: Object.keys(params), bins: ranks.r.bins, rankRows: ranks.r.counts.map((row) => row.reduce((a, b) => a + b, 0)) },
      worst: Object.entries(run.parameters).sort((a, b) => b[1].rhat - a[1].rhat)[0][0],
    };
  });
  assert.equal(result.backend, 'wasm');
  assert.equal(result.diagnostics.chains, 8);
  assert.ok(result.r.mean > 0.1 && result.r.mean < 0.5, `r = ${result.r.mean}`);
  for (const phase of ['map', 'warmup', 'sampling']) assert.ok(result.phases.includes(phase), phase);
  assert.deepEqual(result.trace, { chains: 8, draws: 60, thin: 1, omitted: 0, names: ['r', 'alpha', 'a', 'b'], bins: 20, rankRows: Array(8).fill(60) });

  // Open the run in the UI: a line per chain, 20 rank bars per chain, the worst R-hat selected.
  const expectPlots = async (param) => {
    await page.locator('[data-testid="chart-trace"] path.line').nth(7).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="chart-trace"] path.line').count(), 8);
    assert.equal(await page.locator('[data-testid="chart-rank"] rect.bar').count(), 8 * 20);
    assert.equal(await page.locator('[data-testid="trace-param"]').inputValue(), param);
    assert.match(await page.locator('[data-testid="chart-trace"] figcaption').innerText(), new RegExp(`^Trace of ${param}\\s`));
    assert.ok(!/NaN|Infinity/.test(await page.locator('[data-testid="trace-plots"]').innerHTML()), 'no NaN in the plots');
  };
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await expectPlots(result.worst);
  const other = ['r', 'alpha', 'a', 'b'].find((p) => p !== result.worst);
  await page.locator('[data-testid="trace-param"]').selectOption(other);
  await expectPlots(other);

  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await expectPlots(result.worst);
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a long fit shows progress and can be cancelled from the UI; nothing is stored', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('cpu'));
  await page.locator('[data-testid="sample-cdnow-transactions.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'cdnow' }).waitFor({ timeout: 60_000 });
  const runsBefore = (await page.evaluate(() => window.studio.runs())).length;
  await page.locator('[data-testid="nav-clv"]').click();
  await page.locator('[data-role="customer"] select').selectOption('customer_id');
  await page.locator('[data-testid="warmup"]').fill('20000');
  await page.locator('[data-testid="fit"]').click();
  await page.locator('[data-testid="cancel"]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => /warm/i.test(document.querySelector('.studio')?.textContent ?? ''), undefined, { timeout: 120_000 });
  await page.locator('[data-testid="cancel"]').click();
  await page.locator('[data-testid="cancel"]').waitFor({ state: 'detached', timeout: 60_000 });
  const runsAfter = (await page.evaluate(() => window.studio.runs())).length;
  assert.equal(runsAfter, runsBefore, 'a cancelled fit stores nothing');
  assert.deepEqual(s.foreignRequests(), []);
  await s.context.close();
});
