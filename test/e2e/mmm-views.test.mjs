// MMM views a stakeholder and an analyst ask for, on the bundled samples (MAP, WASM): before
// fitting, the model graph and the prior predictive check; after, the period comparison (table and
// waterfall, against the previous quarter and a year earlier); a count target (new customers)
// reads as cost per acquisition. MMM_VIEWS_KEEP=/some/dir keeps screenshots there, to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();
const keep = process.env.MMM_VIEWS_KEEP;
if (keep) mkdirSync(keep, { recursive: true });
const shot = (page, name, locator) => (keep ? (locator ?? page).screenshot({ path: join(keep, `${name}.png`), ...(locator ? {} : { fullPage: true }) }) : undefined);

async function openMmm(s, sample, title) {
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  await page.locator(`[data-testid="sample-${sample}"]`).click();
  await page.locator('[data-testid="preview-title"]', { hasText: title }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-mmm"]').click();
  await page.locator('[data-testid="method"]').selectOption('map');
}

test('MMM: model graph and prior predictive before fitting, period comparison after', async () => {
  const s = await studio.open();
  const { page } = s;
  await openMmm(s, 'mmm-weekly.csv', 'mmm-weekly');

  // The graph: parameters with their priors, data, computed quantities, the likelihood, and edges.
  await page.locator('[data-testid="model-graph"] summary').click();
  await page.locator('[data-testid="model-graph"] g.node[data-node="mu"]').waitFor({ timeout: 30_000 });
  const nodes = await page.locator('[data-testid="model-graph"] g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
  for (const n of ['intercept', 'adstock_alpha', 'saturation_lam', 'saturation_beta', 'gamma_control', 'gamma_fourier', 'sigma', 'spend', 'adstocked', 'media', 'mu', 'y / max']) {
    assert.ok(nodes.includes(n), `graph node ${n} (got ${nodes.join(', ')})`);
  }
  assert.ok(await page.locator('[data-testid="model-graph"] path.edge[data-edge="sigma->y / max"]').count(), 'sigma enters the likelihood');
  assert.match(await page.locator('[data-testid="model-graph"] g.node[data-node="adstock_alpha"]').textContent(), /Beta\(alpha=1, beta=3\)/);
  // The graph follows the form: a Student-t likelihood adds nu.
  await page.locator('[data-config="likelihood"] select').selectOption('studentt');
  await page.locator('[data-testid="model-graph"] g.node[data-node="nu"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-config="likelihood"] select').selectOption('normal');
  await page.locator('[data-testid="model-graph"] g.node[data-node="nu"]').waitFor({ state: 'detached', timeout: 30_000 });
  await shot(page, 'model-graph', page.locator('[data-testid="model-graph"]'));

  // The prior predictive: the default priors allow the data.
  await page.locator('[data-testid="prior-check-run"]').click();
  await page.locator('[data-testid="prior-check-verdict"]').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('[data-testid="prior-check-verdict"]').innerText(), /the priors allow the data/);
  assert.ok((await page.locator('[data-testid="chart-prior-predictive"] svg path').count()) > 5, 'prior predictive chart drawn');
  await shot(page, 'prior-predictive', page.locator('[data-testid="prior-check"]'));
  // Priors that put the target far from the data say so.
  await page.locator('[data-testid="priors"]').fill('{"intercept": {"dist": "Normal", "mu": 10, "sigma": 0.1}, "sigma": {"dist": "HalfNormal", "sigma": 0.01}}');
  await page.locator('[data-testid="prior-check-run"]').click();
  await page.waitForFunction(() => /rule most of the data out/.test(document.querySelector('[data-testid="prior-check-verdict"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  await page.locator('[data-testid="priors"]').fill('');

  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);
  // The data run 2018-04-02 to 2021-08-30: the default is 2021-Q2 against 2021-Q1.
  const section = page.locator('[data-testid="period-comparison"]');
  assert.equal(await section.locator('[data-testid="period-key"]').inputValue(), '2021-Q2');
  const header = await section.locator('[data-testid="period-table"] thead').innerText();
  assert.match(header, /2021-Q2\s+2021-Q1\s+change/);
  const table = await section.locator('[data-testid="period-table"]').innerText();
  for (const row of ['y (observed)', 'contribution: baseline', 'contribution: seasonality', 'contribution: events', 'contribution: x1', 'ROAS: x2', 'not explained by the model']) assert.ok(table.includes(row), row);
  assert.ok((await section.locator('[data-testid="chart-period-waterfall"] g.waterfall').count()) >= 8, 'waterfall bars');
  await shot(page, 'period-comparison', section);
  // "Export CSV" writes the table shown.
  const [download] = await Promise.all([page.waitForEvent('download'), section.locator('[data-testid="period-export"]').click()]);
  assert.equal(download.suggestedFilename(), 'mmm-period-2021-Q2-vs-2021-Q1.csv');
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  assert.match(csv.split('\n')[0], /^quantity,2021-Q2,2021-Q1,change \[94% HDI\]$/);
  assert.match(csv, /contribution: x1,/);
  await section.locator('[data-testid="period-against"]').selectOption('yearAgo');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="period-table"] thead th')].map((th) => th.textContent).join('|') === '|2021-Q2|2020-Q2|change [94% HDI]');
  await section.locator('[data-testid="period-unit"]').selectOption('year');
  // Whole years only: 2019 and 2020 (2018 and 2021 are partial); 2020 against 2019.
  assert.deepEqual(await section.locator('[data-testid="period-key"] option').allInnerTexts(), ['2019', '2020']);
  assert.match(await section.locator('[data-testid="period-table"] thead').innerText(), /2020\s+2019/);
  const text = await page.locator('[data-testid="mmm-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');
  // The run's report carries the same comparison for the latest whole quarter.
  const html = await page.evaluate(async () => window.studio.report((await window.studio.runs())[0].id));
  assert.match(html, /data-section="mmm-periods"/);
  assert.match(html, /2021-Q2 against 2021-Q1/);
  if (keep) {
    writeFileSync(join(keep, 'report-mmm.html'), html);
    const viewer = await s.context.newPage();
    await viewer.setContent(html);
    await viewer.locator('#mmm-periods').screenshot({ path: join(keep, 'report-periods.png') });
    await viewer.close();
  }
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('MMM of new customers: cost per acquisition instead of ROAS', async () => {
  const s = await studio.open();
  const { page } = s;
  await openMmm(s, 'acquisition-mmm.csv', 'acquisition-mmm');
  assert.equal(await page.locator('[data-role="target"] select').inputValue(), 'new_customers');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);
  const head = await page.locator('[data-testid="mmm-channels"] thead').innerText();
  assert.match(head, /cost per new_customers/);
  assert.match(head, /marginal cost per new_customers/);
  assert.ok(!head.split('\t').map((h) => h.trim()).includes('ROAS'), head);
  const rows = await page.locator('[data-testid="mmm-channels"] tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.ok(await page.locator('[data-testid="chart-mmm-cpa"]').count(), 'CPA chart');
  assert.equal(await page.locator('[data-testid="chart-mmm-roas"]').count(), 0);
  assert.match(await page.locator('[data-testid="period-table"]').innerText(), /cost per new_customers: search/);
  await shot(page, 'cpa', page.locator('[data-testid="mmm-channels"]'));
  const html = await page.evaluate(async () => window.studio.report((await window.studio.runs())[0].id));
  assert.match(html, /Cost per new_customers of search/);
  assert.match(html, /marginal cost per new_customers/);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('every model page draws its graph: CLV (BG/NBD) and causal (synthetic control), no prior check where none exists', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-cdnow-transactions.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'cdnow' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-clv"]').click();
  await page.locator('[data-role="customer"] select').selectOption('customer_id');
  await page.locator('[data-testid="model-graph"] summary').click();
  await page.locator('[data-testid="model-graph"] g.node.observed').waitFor({ timeout: 30_000 });
  const clv = await page.locator('[data-testid="model-graph"] g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
  for (const n of ['r', 'alpha', 'a', 'b']) {
    assert.ok(clv.includes(n), `BG/NBD node ${n} (got ${clv.join(', ')})`);
    assert.equal(await page.locator(`[data-testid="model-graph"] path.edge[data-edge^="${n}->"]`).count(), 1, `${n} enters the likelihood`);
  }
  assert.equal(await page.locator('[data-testid="prior-check"]').count(), 0);
  await shot(page, 'graph-clv', page.locator('[data-testid="model-graph"]'));

  await page.locator('[data-testid="nav-data"]').click();
  await page.locator('[data-testid="sample-california_prop99.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'california' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-causal"]').click();
  await page.locator('[data-testid="model-select"]').selectOption('synthetic_control');
  const causal = page.locator('[data-testid="model-graph"]');
  if (!(await causal.evaluate((d) => d.open))) await causal.locator('summary').click();
  // Until the form describes a model, the graph says what is missing.
  await causal.locator('[data-testid="model-graph-error"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-config="treatmentStart"] input').fill('1989');
  await page.locator('[data-config="treatmentStart"] input').dispatchEvent('change');
  await causal.locator('g.node.observed').first().waitFor({ timeout: 30_000 });
  // The placebo refit is its own block: a second likelihood with its own parameters.
  assert.deepEqual(await causal.locator('g.node.observed').evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))), ['California', 'California (placebo)']);
  await shot(page, 'graph-causal', causal);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
