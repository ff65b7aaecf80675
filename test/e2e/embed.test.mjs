// A portal page embeds the studio with mountStudio(el) from the build's embed.js and drives the
// same API as window.studio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStudio } from './harness.mjs';

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
