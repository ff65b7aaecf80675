// The retention forecast from the bundled CDNOW transactions: open Cohorts, fit the hierarchical
// sBG (MAP + Laplace, to keep it fast), see the forecast chart and table, no NaN on screen, nothing
// sent off the machine; reload and reopen the stored run from Runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

async function assertForecastDrawn(page) {
  const results = page.locator('[data-testid="cohort-forecast-results"]');
  await results.waitFor({ timeout: 60_000 });
  const bands = await page.locator('[data-testid="chart-cohort-forecast"] svg path.band').count();
  const lines = await page.locator('[data-testid="chart-cohort-forecast"] svg path.line').count();
  const rows = await page.locator('[data-testid="cohort-forecast-row"]').count();
  assert.equal(rows, 3, 'CDNOW customers first bought in January-March 1997: three monthly cohorts');
  assert.equal(bands, rows + 1, 'a forecast band per cohort and one for a new cohort');
  assert.equal(lines, 3 * rows + 1, 'observed, fitted and forecast lines per cohort, and the new cohort');
  const d = await page.locator('[data-testid="chart-cohort-forecast"] svg path.band').first().getAttribute('d');
  assert.ok(d && d.length > 20 && !/NaN/.test(d), 'the first band has a shape');
  const text = await page.locator('[data-testid="run-view"]').innerText();
  assert.ok(!/NaN|Infinity|undefined/.test(text), 'no NaN on screen');
  assert.match(text, /Data up to 1998-06/);
}

test('retention forecast on the CDNOW sample: fit, chart, table, reload and reopen from Runs', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-cdnow-transactions.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'cdnow' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-cohorts"]').click();
  await page.locator('[data-testid="show-cohorts"]').click();
  await page.locator('[data-testid="chart-cohort-heatmap"]').waitFor({ timeout: 60_000 });
  // MCMC offers chains, warm-up and draws (the worker's defaults); MAP only a seed.
  const form = page.locator('[data-testid="forecast-form"]');
  assert.equal(await form.locator('[data-testid="draws"]').inputValue(), '250');
  await page.locator('[data-testid="forecast-method"]').selectOption('map');
  assert.equal(await form.locator('[data-testid="draws"]').count(), 0);
  await form.locator('[data-testid="seed"]').fill('3');
  await page.locator('[data-testid="forecast-horizon"]').fill('6');
  await page.locator('[data-testid="forecast-cohorts"]').click();
  await waitForResult(s, '[data-testid="cohort-forecast-results"]', FIT_TIMEOUT_MS);
  await assertForecastDrawn(page);
  // One cohort at a time.
  await page.locator('[data-testid="forecast-cohort"]').selectOption({ label: '1997-02' });
  assert.equal(await page.locator('[data-testid="chart-cohort-forecast"] svg path.band').count(), 2);

  const runs = await page.evaluate(() => window.studio.runs());
  assert.equal(runs[0].model, 'cohorts');
  const stored = await page.evaluate((id) => window.studio.run(id), runs[0].id);
  assert.equal(stored.spec.config.horizon, 6);
  assert.deepEqual(stored.spec.inference, { method: 'map', seed: 3 });
  assert.equal(stored.outputs.cohorts[0].forecast.mean.length, 7);

  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await assertForecastDrawn(page);
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
