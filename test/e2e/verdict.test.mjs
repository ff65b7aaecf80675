// Every run carries a verdict, shown as a badge in the Runs list and the run's header: a MAP run is
// "approximate"; an MCMC run whose time budget runs out before it converges is kept, marked "not
// converged", with a notice over its results; a run stored before verdicts gets one on read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStudio } from './harness.mjs';

const studio = useStudio();

test('verdict badges in the Runs list and the run header; an old run without one gets it on read', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  const fitted = await page.evaluate(async () => {
    const text = await (await fetch(new URL('samples/cdnow-transactions.csv', document.baseURI))).text();
    const info = await window.studio.loadCsv({ name: 'cdnow.csv', text });
    const spec = (inference) => ({ dataset: info.id, model: 'bgnbd', columns: { customer: 'customer_id', date: 'date', amount: 'amount' }, config: { timeUnit: 'weeks' }, inference });
    const map = await window.studio.fit(spec({ method: 'map', seed: 1 }));
    // 4 chains x 20 draws cannot reach a bulk ESS of 400, and a 1 ms budget allows no extension.
    const messages = [];
    const mcmc = await window.studio.fit(spec({ method: 'mcmc', chains: 4, warmup: 40, draws: 20, seed: 1, budgetSeconds: 0.001 }), {
      onProgress: (p) => p.message && messages.push(p.message),
    });
    return { map: { id: map.id, verdict: map.verdict }, mcmc: { id: mcmc.id, verdict: mcmc.verdict, extension: mcmc.diagnostics.extension, draws: mcmc.diagnostics.draws }, messages };
  });
  assert.equal(fitted.map.verdict, 'approximate');
  assert.equal(fitted.mcmc.verdict, 'unconverged');
  assert.equal(fitted.mcmc.draws, 20);
  assert.equal(fitted.mcmc.extension.stop, 'budget');
  assert.deepEqual(fitted.messages, []);

  await page.locator('[data-testid="nav-runs"]').click();
  const rows = page.locator('[data-testid="run-row"]');
  await rows.nth(1).waitFor({ timeout: 30_000 });
  // Newest first: the MCMC run, then the MAP run.
  assert.equal(await rows.nth(0).locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'unconverged');
  assert.equal(await rows.nth(0).locator('[data-testid="verdict"]').innerText(), 'not converged');
  assert.equal(await rows.nth(1).locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'approximate');

  await rows.nth(0).locator('[data-testid="open-run"]').click();
  const header = page.locator('[data-testid="run-view"] [data-testid="run-header"]');
  await header.waitFor({ timeout: 30_000 });
  assert.equal(await header.locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'unconverged');
  assert.match(await page.locator('[data-testid="verdict-notice"]').innerText(), /not converged[\s\S]*not yet an answer/);
  assert.match(await page.locator('[data-testid="diagnostic-warnings"]').innerText(), /^Not converged: sampling stopped with 20 of a planned 20 draws per chain because its time budget \(0\.001 s\) ran out; still failing: /);
  await page.locator('[data-testid="clv-results"]').waitFor({ timeout: 30_000 });

  await rows.nth(1).locator('[data-testid="open-run"]').click();
  await page.locator(`[data-testid="run-view"][data-run-id="${fitted.map.id}"]`).waitFor({ timeout: 30_000 });
  assert.equal(await header.locator('[data-testid="verdict"]').getAttribute('data-verdict'), 'approximate');
  assert.equal(await page.locator('[data-testid="verdict-notice"]').count(), 0);

  // The list says how each run was fitted; a name and a note are kept across a reload.
  assert.equal(await rows.nth(0).locator('[data-testid="run-settings"]').innerText(), '4 chains × 20 draws, 40 warm-up');
  assert.match(await rows.nth(1).locator('[data-testid="run-settings"]').innerText(), /^MAP, [\d,]+ Laplace draws$/);
  await rows.nth(1).locator('[data-testid="run-name"]').fill('weekly MAP');
  await rows.nth(1).locator('[data-testid="run-name"]').dispatchEvent('change');
  await rows.nth(1).locator('[data-testid="run-note"]').fill('first look, before the holiday data');
  await rows.nth(1).locator('[data-testid="run-note"]').dispatchEvent('change');
  await page.waitForFunction(async () => (await window.studio.runs()).some((r) => r.name === 'weekly MAP' && r.note === 'first look, before the holiday data'));
  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  await rows.nth(1).waitFor({ timeout: 30_000 });
  assert.equal(await rows.nth(1).locator('[data-testid="run-name"]').inputValue(), 'weekly MAP');
  assert.equal(await rows.nth(1).locator('[data-testid="run-note"]').inputValue(), 'first look, before the holiday data');
  // Two runs of the same model side by side: the same parameters, each run's interval.
  await rows.nth(0).locator('[data-testid="compare-run"]').check();
  await rows.nth(1).locator('[data-testid="compare-run"]').check();
  const compare = page.locator('[data-testid="run-compare"]');
  await compare.waitFor({ timeout: 30_000 });
  assert.match(await compare.locator('thead').innerText(), /weekly MAP/);
  const parameterRows = await compare.locator('[data-testid="compare-parameter"]').allInnerTexts();
  assert.ok(parameterRows.some((t) => /^r\s/.test(t)), parameterRows.join(' | '));
  for (const t of parameterRows) assert.equal((t.match(/\[/g) ?? []).length, 2, `both runs' intervals: ${t}`);
  assert.match(await compare.innerText(), /Fitted with\s+4 chains × 20 draws, 40 warm-up\s+MAP/);

  // A run stored before verdicts were recorded: its verdict comes from its stored diagnostics.
  const old = await page.evaluate(async (id) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('marketing-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('runs', 'readwrite');
      const store = tx.objectStore('runs');
      const get = store.get(id);
      get.onsuccess = () => {
        const stored = get.result;
        delete stored.result.verdict;
        delete stored.result.diagnostics.extension;
        store.put(stored);
      };
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const summary = (await window.studio.runs()).find((r) => r.id === id);
    return { listed: summary.verdict, read: (await window.studio.run(id)).verdict };
  }, fitted.mcmc.id);
  assert.deepEqual(old, { listed: 'unconverged', read: 'unconverged' });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
