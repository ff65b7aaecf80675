// A portal page (served with the Content-Security-Policy the README tells portals to send) embeds
// the studio with mountStudio(el) from the build's embed.js and drives the same API as window.studio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_TIMEOUT_MS, useStudio } from './harness.mjs';

const studio = useStudio();

test('mountStudio renders the studio into a host element and exposes the API', async () => {
  const portal = new URL('/portal.html', studio.url).href;
  const s = await studio.open(portal);
  await s.page.locator('#slot [data-testid="dropzone"]').waitFor();
  const info = await s.page.evaluate(() =>
    window.studio.loadCsv({ name: 'portal.csv', text: 'date,sales\n2024-01-01,1\n2024-01-08,2\n2024-01-15,3\n' }),
  );
  assert.equal(info.rows, 3);
  await s.page.locator('#slot [data-testid="dataset"]', { hasText: 'portal.csv' }).waitFor();
  assert.equal(typeof (await s.page.evaluate(() => window.studio.version)), 'string');
  await s.page.evaluate((id) => window.studio.deleteDataset(id), info.id);
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('an embedded studio loads its samples from the build, not the portal, and fits one', async () => {
  const portal = new URL('/portal.html', studio.url).href;
  const s = await studio.open(portal);
  await s.page.evaluate(() => window.studio.setBackend('wasm'));
  await s.page.locator('#slot [data-testid="sample-mmm-weekly.csv"]').click();
  await s.page.locator('#slot [data-testid="preview-title"]', { hasText: 'mmm-weekly' }).waitFor({ timeout: 60_000 });
  // The sample came from the build's folder (under the studio's sub-path), not from the portal's.
  const sampleRequests = s.requests.filter((u) => u.includes('mmm-weekly.csv'));
  assert.ok(sampleRequests.length > 0);
  for (const u of sampleRequests) assert.ok(u.startsWith(`${studio.url}samples/`), u);
  const run = await s.page.evaluate(async () => {
    const ds = (await window.studio.datasets()).find((d) => d.name.startsWith('mmm-weekly'));
    const r = await window.studio.fit({
      dataset: ds.id,
      model: 'mmm',
      columns: { date: 'date', target: 'y', channels: ['x1', 'x2'] },
      inference: { method: 'map' },
    });
    return { backend: r.backend, beta: r.parameters['saturation_beta[x1]']?.mean };
  });
  assert.equal(run.backend, 'wasm');
  assert.ok(Number.isFinite(run.beta) && run.beta > 0, `saturation_beta[x1] = ${run.beta}`);
  await s.page.locator('#slot [data-testid="nav-runs"]').click();
  await s.page.locator('#slot [data-testid="open-run"]').first().waitFor({ timeout: FIT_TIMEOUT_MS });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
