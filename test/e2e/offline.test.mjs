// After one visit the studio works offline (service worker precache, the WASM binaries included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStudio } from './harness.mjs';

const studio = useStudio();

test('works offline after the first load, under a sub-path', async () => {
  const s = await studio.open();
  await s.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // Reload once so the page is controlled by the worker, then cut the network.
  await s.page.reload();
  await s.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await s.context.setOffline(true);
  await s.page.reload();
  await s.page.waitForFunction(() => window.studio !== undefined, undefined, { timeout: 60_000 });
  await s.page.evaluate(() => window.studio.setBackend('wasm'));
  const { values } = await s.page.evaluate(() => window.studio.selfTest());
  assert.ok(Math.abs(values[0] - 58) < 1e-4);
  await s.page.locator('[data-testid^="sample-"]').first().click();
  await s.page.locator('[data-testid="preview"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(s.foreignRequests(), []);
  await s.context.close();
});
