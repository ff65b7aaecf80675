// Geo-level MMM from the bundled geo sample, as a user: the geo role is guessed in the column
// mapping, a MAP fit on WASM, then the per-geo views: small multiples of each geo's fit, the geo
// filter redrawing the charts for one geo, the geo x channel table sorted by a click on its header,
// the heat map; the run's report has its geo section. MMM_GEO_KEEP=/some/dir keeps screenshots of the results there, to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

/** The numbers in a table column (the posterior means: the first number of "mean [low, high]"). */
async function columnMeans(page, column) {
  return page.locator('[data-testid="mmm-geo-table"] tbody tr').evaluateAll(
    (rows, k) => rows.map((r) => Number(r.children[k].textContent.replace(/,/g, '').split(' ')[0])),
    column,
  );
}

test('Geo MMM: geo role guessed, MAP fit, per-geo views, geo filter, sortable geo x channel table', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  await page.locator('[data-testid="sample-geo-mmm.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'geo-mmm' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-mmm"]').click();
  assert.equal(await page.locator('[data-role="geo"] select').inputValue(), 'geo', 'the geo role is guessed');
  const channels = await page.locator('[data-role="channels"] input:checked').count();
  assert.ok(channels >= 2, `channels guessed: ${channels}`);
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);

  const geos = await page.locator('[data-testid="mmm-geo"] option').evaluateAll((o) => o.slice(1).map((x) => x.value));
  assert.ok(geos.length >= 2, `geos in the filter: ${geos.length}`);
  // Small multiples: one fit per geo (the largest 12 at most), each drawn.
  const multiples = page.locator('[data-testid="mmm-geo-multiples"] figure');
  assert.equal(await multiples.count(), Math.min(12, geos.length));
  assert.ok((await multiples.first().locator('svg path').count()) >= 3, 'a small multiple draws its band and lines');
  // The geo x channel table and the heat map: one row and one cell per geo and channel.
  assert.equal(await page.locator('[data-testid="mmm-geo-table"] tbody tr').count(), geos.length * channels);
  assert.equal(await page.locator('[data-testid="chart-mmm-geo-heatmap"] rect.cell').count(), geos.length * channels);

  // The geo filter redraws the fit (and the channel table) for one geo.
  const fitTitle = () => page.locator('[data-testid="chart-mmm-fit"] figcaption span').innerText();
  const fitPath = () => page.locator('[data-testid="chart-mmm-fit"] svg path.line').last().getAttribute('d');
  const nationalTitle = await fitTitle();
  const nationalPath = await fitPath();
  const nationalTable = await page.locator('[data-testid="mmm-channels"] tbody').innerText();
  assert.match(nationalTitle, /national/);
  const pick = geos[geos.length - 1];
  await page.locator('[data-testid="mmm-geo"]').selectOption(pick);
  await page.waitForFunction((g) => document.querySelector('[data-testid="chart-mmm-fit"] figcaption span')?.textContent?.includes(g), pick);
  assert.notEqual(await fitPath(), nationalPath, 'the actual line is the geo’s');
  assert.notEqual(await page.locator('[data-testid="mmm-channels"] tbody').innerText(), nationalTable, 'the channel table is the geo’s');
  for (const chart of ['mmm-contributions', 'mmm-components', 'mmm-roas', 'mmm-response-curves']) {
    assert.match(await page.locator(`[data-testid="chart-${chart}"] figcaption span`).innerText(), new RegExp(pick), `${chart} is drawn for ${pick}`);
  }
  // A small multiple's button chooses its geo.
  await page.locator('[data-testid="mmm-geo-multiples"] button').first().click();
  assert.notEqual(await page.locator('[data-testid="mmm-geo"]').inputValue(), '');

  // Sorted by ROAS, largest first; a click on the header turns it around; a click on "geo" sorts by name.
  const ROAS = 5;
  const descending = await columnMeans(page, ROAS);
  assert.deepEqual(descending, [...descending].sort((a, b) => b - a));
  await page.locator('[data-testid="mmm-geo-table"] [data-sort="roas"]').click();
  const ascending = await columnMeans(page, ROAS);
  assert.deepEqual(ascending, [...descending].sort((a, b) => a - b));
  assert.equal(await page.locator('[data-testid="mmm-geo-table"] th[aria-sort="ascending"]').innerText(), 'ROAS ▲');
  await page.locator('[data-testid="mmm-geo-table"] [data-sort="geo"]').click();
  const names = await page.locator('[data-testid="mmm-geo-table"] tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));

  // The report has the geo section: the ROAS table by geo and channel, the heat map and the largest geos' fit.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="download-report"]').click()]);
  const report = readFileSync(await download.path(), 'utf8');
  const section = report.slice(report.indexOf('<section id="mmm-geo"'), report.indexOf('</section>', report.indexOf('<section id="mmm-geo"')));
  assert.match(section, new RegExp(`fitted on ${geos.length} geos`));
  assert.equal((section.match(/<tr><td>/g) ?? []).length, geos.length, 'one ROAS row per geo');
  assert.equal((section.match(/<svg/g) ?? []).length, 1 + Math.min(6, geos.length), 'the heat map and the largest geos’ fits');

  const text = await page.locator('[data-testid="mmm-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');
  if (process.env.MMM_GEO_KEEP) {
    mkdirSync(process.env.MMM_GEO_KEEP, { recursive: true });
    // The results in screen-high slices (a full page of them is too tall to look at in one image).
    const box = await page.locator('[data-testid="mmm-results"]').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { y: r.top + window.scrollY, height: r.height };
    });
    const width = (await page.viewportSize()).width;
    for (let y = box.y, k = 1; y < box.y + box.height; y += 1400, k++) {
      const clip = { x: 0, y, width, height: Math.min(1400, box.y + box.height - y) };
      await page.screenshot({ path: join(process.env.MMM_GEO_KEEP, `mmm-geo-${k}.png`), fullPage: true, clip });
    }
  }
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
