// A geo test design on the bundled geo experiment's pre-period (the days before 2015-02-16): open
// Geo design, ask for 10 treatment geos and a 5% expected lift, see the recommended design, the MDE
// by length and false-positive charts, the candidate table, the CSV export; a too-short pre-period
// is refused with its reason; a long design shows progress and stops on Cancel. GEO_DESIGN_KEEP=/some/dir keeps a full-page screenshot there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useStudio } from './harness.mjs';

const studio = useStudio();

test('geo test design on the geo experiment sample: recommended design, charts, table, export', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-geo_experiment_salesandcost.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'geo_experiment' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-geo-design"]').click();
  const form = page.locator('[data-testid="geo-design-form"]');
  assert.equal(await form.locator('[data-testid="geo-col"]').inputValue(), 'geo');
  assert.equal(await form.locator('[data-testid="outcome-col"]').inputValue(), 'sales');

  // Three days of history are too few: the message says how many there are and how many it needs.
  await form.locator('[data-testid="before"]').fill('2015-01-08');
  await page.locator('[data-testid="design-geo-test"]').click();
  await page.getByText('The pre-period has 3 time points; a design needs at least 14').waitFor({ timeout: 30_000 });

  await form.locator('[data-testid="before"]').fill('2015-02-16');
  await form.locator('[data-testid="treatment-geos"]').fill('10');
  await form.locator('[data-testid="candidates"]').fill('10');
  await form.locator('[data-testid="expected-lift"]').fill('5');
  await form.locator('[data-testid="cost-per-unit"]').fill('0.5');
  await page.locator('[data-testid="design-geo-test"]').click();
  const result = page.locator('[data-testid="geo-design-result"]');
  await result.waitFor({ timeout: 60_000 });
  const text = await page.locator('section').innerText();
  assert.ok(!/NaN|Infinity|undefined/.test(text), 'no NaN on screen');
  const summary = await page.locator('[data-testid="geo-design-summary"]').innerText();
  assert.match(summary, /^Treat 10 of the 86 geos \(/, '14 of the 100 geos lack some pre-period dates and are left out');
  assert.match(text, /14 geos lack rows for some dates and are left out of the design/);
  assert.match(summary, /detects a lift of \d+\.\d% .* 80% of the time/);
  assert.equal((await page.locator('[data-testid="recommended-geos"]').innerText()).split(', ').length, 10);
  assert.match(await page.locator('[data-testid="expected-cost"]').innerText(), /^\d[\d,]*$/);
  assert.equal(await page.locator('[data-testid="candidate-table"] tbody tr').count(), 10);
  // Five candidates' MDE lines, each through the 7 default lengths and the expected-lift rule.
  const lines = page.locator('[data-testid="chart-geo-design-mde"] svg path.line');
  assert.equal(await lines.count(), 5);
  assert.ok(!/NaN/.test((await lines.first().getAttribute('d')) ?? 'NaN'));
  // The 42 days backtest 2- and 3-week tests only: two dots.
  assert.equal(await page.locator('[data-testid="chart-geo-design-false-positives"] svg circle').count(), 2);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-design"]').click()]);
  assert.equal(download.suggestedFilename(), 'geo-design.csv');
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  assert.match(csv[0], /^rank,recommended,treatment_geos,share,weeks,mde_lift/);
  assert.equal(csv.length, 1 + 10 * 7, 'a row per candidate and length');

  // A long design (8 sizes x 1,000 sets under a budget) shows its progress and stops on Cancel; the
  // design shown stays the last finished one.
  await form.locator('[data-testid="sizing"]').selectOption('budget');
  await form.locator('[data-testid="budget"]').fill('1000000000');
  await form.locator('[data-testid="candidates"]').fill('1000');
  await page.locator('[data-testid="design-geo-test"]').click();
  const job = page.locator('[data-testid="job"]');
  await job.getByText(/design \d+\/8000/).waitFor({ timeout: 30_000 });
  await job.locator('[data-testid="cancel"]').click();
  await job.waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByText('Cancelled').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('[data-testid="geo-design-summary"]').innerText(), summary);

  if (process.env.GEO_DESIGN_KEEP) await page.screenshot({ path: join(process.env.GEO_DESIGN_KEEP, 'geo-design.png'), fullPage: true });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
