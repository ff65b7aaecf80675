// After one visit the studio starts and fits offline (service worker precache, the WASM binaries
// included), however it is served: by a plain static server under a sub-path (the harness's), and by
// `vite preview` (which sends `Vary: Origin`: a cache lookup that honoured it missed every module
// script offline), at the root and under a sub-path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { preview } from 'vite';
import { launchBrowser, openStudio, startServer } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** `vite preview` of dist/ (the project's own config and headers) on a free port, at `base`. */
async function startPreview(base) {
  const server = await preview({ base, logLevel: 'warn', preview: { port: 0, strictPort: true, open: false } });
  const [url] = server.resolvedUrls.local;
  return { url, close: () => server.close() };
}

/**
 * `promise`, or a failure after `ms` that says what the page showed and logged: offline, a file
 * missing from the cache leaves the worker never answering, and the test must fail, not hang.
 */
async function within(s, what, promise, ms = 120_000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(async () => reject(new Error(`${what}: no answer in ${ms / 1000} s\n--- page diagnosis ---\n${await s.diagnose()}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Visits the studio at `url`, goes offline, reloads, and checks it computes, loads a sample and fits. */
async function worksOffline(url) {
  const s = await openStudio(browser, url);
  const { page } = s;
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Reload once so the page is controlled by the worker, then cut the network.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await s.context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined, undefined, { timeout: 60_000 });
  await within(s, 'the WASM backend offline', page.evaluate(() => window.studio.setBackend('wasm')));
  const { values } = await within(s, 'a computation offline', page.evaluate(() => window.studio.selfTest()));
  assert.ok(Math.abs(values[0] - 58) < 1e-4);
  await page.locator('[data-testid="sample-mmm-weekly.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'mmm-weekly' }).waitFor({ timeout: 60_000 });
  const fit = page.evaluate(async () => {
    const [dataset] = (await window.studio.datasets()).filter((d) => d.name === 'mmm-weekly.csv');
    const result = await window.studio.fit({
      dataset: dataset.id,
      model: 'mmm',
      columns: { date: 'date', target: 'y', channels: ['x1', 'x2'] },
      inference: { method: 'map' },
    });
    return { backend: result.backend, r2: result.outputs.metrics.r2.mean };
  });
  const run = await within(s, 'a MAP fit offline', fit);
  assert.equal(run.backend, 'wasm');
  assert.ok(run.r2 > 0.5, `R² ${run.r2}`);
  assert.deepEqual(s.foreignRequests(), []);
  await s.context.close();
}

test('works offline after the first visit: static server, under a sub-path', async () => {
  const server = await startServer();
  try {
    await worksOffline(server.url);
  } finally {
    await server.close();
  }
});

for (const base of ['/', '/studio/sub/']) {
  test(`works offline after the first visit: vite preview at ${base}`, async () => {
    const server = await startPreview(base);
    try {
      await worksOffline(server.url);
    } finally {
      await server.close();
    }
  });
}
