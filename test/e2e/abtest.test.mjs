// The customer A/B test from the bundled coupon sample, drop to summary on WASM: the Causal page's
// form guesses every column, a MAP fit shows the written summary, the uplift and profit tables, the
// charts by group and by segment; the estimates export and the report's A/B section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

test('coupon A/B test: sample to summary, uplift, profit, segments, export and report', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  await page.locator('[data-testid="sample-abtest.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'abtest' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-causal"]').click();
  const datasetOption = page.locator('[data-testid="dataset-select"] option', { hasText: 'abtest' }).first();
  await page.locator('[data-testid="dataset-select"]').selectOption(await datasetOption.getAttribute('value'));
  await page.locator('[data-testid="model-select"]').selectOption('abtest');
  // Every role is guessed from the sample's column names.
  for (const [role, column] of [['customer', 'customer'], ['group', 'group'], ['converted', 'converted'], ['purchases', 'purchases'], ['revenue', 'revenue'], ['segment', 'segment']]) {
    assert.equal(await page.locator(`[data-role="${role}"] select`).inputValue(), column, role);
  }
  assert.equal(await page.locator('[data-role="covariates"] input:checked').count(), 1);
  // The treated group is found as the label beside "control"; typing it changes nothing but is what a user may do.
  await page.locator('[data-config="treatment"] input').fill('coupon');
  await page.locator('[data-config="treatment"] input').dispatchEvent('change');
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="abtest-results"]', FIT_TIMEOUT_MS);

  const summary = await page.locator('[data-testid="abtest-summary"]').innerText();
  assert.match(summary, /^approximate\s+The incentive was sent to [\d,]+ customers \("coupon"\) and held back from [\d,]+ \("control"\)\. Conversion went from [\d.]+% without it to [\d.]+% with it/);
  assert.match(summary, /the probability that the incentive pays for itself is [\d.]+%/);
  assert.match(summary, /By segment \(partially pooled\), it is most likely to pay in "/);
  const text = await page.locator('[data-testid="abtest-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');
  assert.match(await page.locator('[data-testid="conversion-uplift"]').innerText(), /points/);
  assert.equal(await page.locator('[data-testid="roi"]').count(), 1);
  assert.equal(await page.locator('[data-testid="abtest-segments"] tbody tr').count(), 3);
  assert.ok((await page.locator('[data-testid="abtest-results"] svg *').count()) > 40, 'charts are drawn');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-estimates"]').click()]);
  assert.equal(download.suggestedFilename(), 'abtest-estimates.csv');

  const runId = (await page.evaluate(() => window.studio.runs()))[0].id;
  const report = await page.evaluate((id) => window.studio.report(id), runId);
  assert.match(report, /data-section="abtest-effect"/);
  assert.match(report, /data-section="abtest-segments"/);
  assert.ok(!/NaN/.test(report), 'no NaN in the report');

  if (process.env.SCREENSHOT_DIR) {
    mkdirSync(process.env.SCREENSHOT_DIR, { recursive: true });
    await page.locator('[data-testid="abtest-results"]').screenshot({ path: `${process.env.SCREENSHOT_DIR}/abtest-results.png` });
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/abtest-page.png`, fullPage: true });
  }
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
