// LTV/CAC from the two bundled acquisition samples: fit BG/NBD with the channel role (parameters per
// channel) and an MMM of
// new customers (MAP + Laplace), open the LTV/CAC page, see the table and charts, switch the
// budget optimiser to the lifetime-value objective; no NaN on screen, no request off the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

async function loadSample(page, file) {
  await page.locator('[data-testid="nav-data"]').click();
  await page.locator(`[data-testid="sample-${file}"]`).click();
  await page.locator('[data-testid="preview-title"]', { hasText: file.replace(/\.csv$/, '') }).waitFor({ timeout: 60_000 });
}

test('LTV/CAC: from the sample CSVs to the LTV/CAC chart and the lifetime-value optimiser', async () => {
  const s = await studio.open();
  const { page } = s;

  await loadSample(page, 'acquisition-transactions.csv');
  await page.locator('[data-testid="nav-clv"]').click();
  assert.equal(await page.locator('[data-role="customer"] select').inputValue(), 'customer_id');
  assert.equal(await page.locator('[data-role="amount"] select').inputValue(), 'amount');
  assert.equal(await page.locator('[data-role="channel"] select').inputValue(), 'channel');
  // Each channel's customers get their own BG/NBD parameters (r[search], ...).
  await page.locator('[data-config="perChannel"] input').check();
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="clv-channels"]', FIT_TIMEOUT_MS);
  const params = await page.locator('[data-testid="parameters"]').innerText();
  for (const ch of ['organic', 'search', 'social', 'tv']) assert.match(params, new RegExp(`r\\[${ch}\\]`), `r[${ch}] in the parameter table`);
  assert.equal(await page.locator('[data-testid="clv-channels"] tbody tr').count(), 4);
  for (const chart of ['clv-channel-value', 'clv-channel-distribution']) {
    assert.ok((await page.locator(`[data-testid="chart-${chart}"] svg *`).count()) > 5, `${chart} is drawn`);
  }

  await loadSample(page, 'acquisition-mmm.csv');
  await page.locator('[data-testid="nav-mmm"]').click();
  assert.equal(await page.locator('[data-role="target"] select').inputValue(), 'new_customers');
  for (const ch of ['search', 'social', 'tv']) assert.ok(await page.locator(`[data-role="channels"] label:has-text("${ch}") input`).isChecked(), ch);
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);

  await page.locator('[data-testid="nav-ltv-cac"]').click();
  await page.locator('[data-testid="ltv-cac-table"]').waitFor({ timeout: 60_000 });
  const rows = page.locator('[data-testid="ltv-cac-row"]');
  assert.equal(await rows.count(), 3);
  assert.deepEqual(await rows.locator('td:first-child').allInnerTexts(), ['search', 'social', 'tv']);
  for (const chart of ['ltv-cac-ratio', 'ltv-vs-cac', 'ltv-payback']) {
    assert.ok((await page.locator(`[data-testid="chart-${chart}"] svg *`).count()) > 5, `${chart} is drawn`);
  }
  assert.equal(await page.locator('[data-testid="chart-ltv-cac-ratio"] .interval').count(), 3);
  await page.locator('[data-testid="budget-objective"]').selectOption('value');
  await page.locator('[data-testid="optimize"]').click();
  await page.locator('[data-testid="optimizer-result"]').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('[data-testid="optimizer-lift"]').innerText(), /lifetime value/);
  const text = await page.locator('[data-testid="ltv-cac-page"]').innerText();
  assert.ok(!/NaN|Infinity|undefined/.test(text), 'no NaN on screen');
  assert.match(text, /Only in the CLV run .*organic/);
  assert.match(text, /parameters fitted per channel/);

  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
