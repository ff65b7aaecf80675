// A run's report: fit BG/NBD on the bundled CDNOW sample (MAP on WASM, quick), click "Download
// report", and open the downloaded file from file:// in a fresh, offline context whose every
// request is refused: its sections and SVG charts are there, and it asked for nothing. The same
// document comes from `studio.report(runId)`.
// REPORT_KEEP=/some/dir keeps the report and a full-page screenshot of it there, to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

const SECTIONS = ['data', 'model', 'verdict', 'headline', 'clv-tracking', 'clv-customers', 'clv-segments', 'diagnostics', 'careful'];

test('Download report: one offline HTML file with the run’s sections and charts, opened with the network off', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  await page.locator('[data-testid="sample-cdnow-transactions.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'cdnow' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="next-clv"]').click();
  await page.locator('[data-role="customer"] select').selectOption('customer_id');
  await page.locator('[data-role="amount"] select').selectOption('amount');
  await page.locator('[data-config="calibrationEnd"] input').fill('1997-09-30');
  await page.locator('[data-config="calibrationEnd"] input').dispatchEvent('change');
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="clv-results"]', FIT_TIMEOUT_MS);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="download-report"]').click()]);
  assert.match(download.suggestedFilename(), /^report-bgnbd-\d{4}-\d\d-\d\d-[\w-]+\.html$/);
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  try {
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const html = readFileSync(file, 'utf8');
    // The button and the API give the same document (but for the ids of the heat maps' gradients,
    // numbered through the page's life so that two charts never share one).
    const runId = await page.locator('[data-testid="run-view"]').getAttribute('data-run-id');
    const gradients = (text) => text.replace(/heatmap-gradient-\d+/g, 'heatmap-gradient');
    assert.equal(gradients(await page.evaluate((id) => window.studio.report(id), runId)), gradients(html));
    assert.ok(!/<script/i.test(html), 'no script');
    assert.deepEqual([...new Set(html.match(/https?:\/\/[^\s"'<>)]*/g))], ['http://www.w3.org/2000/svg'], 'no URL but the SVG namespace');

    // A fresh context, offline, refusing every request: the report must need none.
    const context = await s.context.browser().newContext({ offline: true });
    const requested = [];
    context.on('request', (r) => requested.push(r.url()));
    await context.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const viewer = await context.newPage();
    const errors = [];
    viewer.on('pageerror', (e) => errors.push(String(e)));
    viewer.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const url = pathToFileURL(file).href;
    await viewer.goto(url);
    const found = await viewer.evaluate(() => [...document.querySelectorAll('section[data-section]')].map((el) => el.getAttribute('data-section')));
    assert.deepEqual(found, SECTIONS);
    const charts = await viewer.evaluate(() =>
      [...document.querySelectorAll('figure.chart svg')].map((svg) => ({ shapes: svg.querySelectorAll('path, rect').length, width: svg.getBoundingClientRect().width })),
    );
    assert.ok(charts.length >= 5, `${charts.length} charts`);
    for (const c of charts) assert.ok(c.shapes > 3 && c.width > 100, `a drawn chart: ${JSON.stringify(c)}`);
    const text = await viewer.locator('body').innerText();
    assert.match(text, /BG\/NBD .* on cdnow-transactions\.csv/);
    assert.match(text, /approximate/);
    assert.match(text, /Average P\(alive\)/);
    assert.ok(!/NaN|Infinity|undefined/.test(text), 'no NaN in the report');
    // It prints: the print stylesheet starts the chart sections on a new page.
    await viewer.emulateMedia({ media: 'print' });
    assert.equal(await viewer.locator('[data-section="clv-tracking"]').evaluate((el) => getComputedStyle(el).breakBefore), 'page');
    await viewer.emulateMedia({ media: 'screen' });
    const keep = process.env.REPORT_KEEP;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(file, join(keep, 'report.html'));
      await viewer.screenshot({ path: join(keep, 'report.png'), fullPage: true });
    }
    assert.deepEqual(requested.filter((u) => u !== url), [], 'the report made no request');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
