// MMM from the bundled simulated weekly data: map columns, fit (MAP + Laplace in the UI), see every
// chart, run the budget optimiser (risk-aware, with a bound the historical mix breaks), reload and reopen
// the run with its stored plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

test('MMM: fit, charts, optimiser, reload and reopen', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-mmm-weekly.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'mmm-weekly' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-mmm"]').click();
  // Column guesses: date, y, channels x1 and x2, events event_1 and event_2.
  assert.equal(await page.locator('[data-role="target"] select').inputValue(), 'y');
  for (const ch of ['x1', 'x2']) assert.ok(await page.locator(`[data-role="channels"] label:has-text("${ch}") input`).isChecked(), ch);
  for (const ev of ['event_1', 'event_2']) assert.ok(await page.locator(`[data-role="events"] label:has-text("${ev}") input`).isChecked(), ev);
  await page.locator('[data-testid="method"]').selectOption('map');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);
  for (const chart of ['mmm-fit', 'mmm-contributions', 'mmm-share', 'mmm-roas', 'mmm-mroas', 'mmm-response-curves', 'mmm-adstock', 'mmm-scenario']) {
    const n = await page.locator(`[data-testid="chart-${chart}"] svg *`).count();
    assert.ok(n > 5, `${chart} is drawn`);
  }
  // The fit chart fills its container and redraws when the window narrows; hovering it lists the
  // values at the nearest date.
  const fitSvg = page.locator('[data-testid="chart-mmm-fit"] svg');
  const viewWidth = async () => Number((await fitSvg.getAttribute('viewBox')).split(' ')[2]);
  const wide = await viewWidth();
  const figure = await page.locator('[data-testid="chart-mmm-fit"]').evaluate((el) => el.clientWidth);
  assert.ok(Math.abs(wide - figure) <= 1, `fit chart ${wide} wide in a ${figure} px container`);
  await fitSvg.scrollIntoViewIfNeeded();
  const box = await fitSvg.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const tip = page.locator('[data-testid="chart-mmm-fit"] g.hover-tip');
  await tip.waitFor({ state: 'visible', timeout: 5_000 });
  const tipText = await tip.textContent();
  assert.match(tipText, /^\d{4}-\d{2}-\d{2}.*fitted mean: -?[\d,.]+.*actual: -?[\d,.]+/, tipText);
  if (process.env.SCREENSHOT_DIR) {
    mkdirSync(process.env.SCREENSHOT_DIR, { recursive: true });
    await page.locator('[data-testid="chart-mmm-fit"]').screenshot({ path: `${process.env.SCREENSHOT_DIR}/mmm-fit-hover.png` });
  }
  await page.mouse.move(0, 0);
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: Math.round(viewport.width * 0.6), height: viewport.height });
  await page.waitForFunction((w) => Number(document.querySelector('[data-testid="chart-mmm-fit"] svg').getAttribute('viewBox').split(' ')[2]) < w, wide, { timeout: 5_000 });
  if (process.env.SCREENSHOT_DIR) await page.locator('[data-testid="chart-mmm-fit"]').screenshot({ path: `${process.env.SCREENSHOT_DIR}/mmm-fit-narrow.png` });
  await page.setViewportSize(viewport);
  assert.equal(await page.locator('[data-testid="mmm-channels"] tbody tr').count(), 2);
  // Risk-aware objective, with a maximum on x1 that the historical mix breaks.
  await page.locator('[data-testid="budget-risk"]').selectOption('cvar');
  await page.locator('[data-testid="budget-max-x1"]').fill('2');
  await page.locator('[data-testid="optimize"]').click();
  await page.locator('[data-testid="optimizer-result"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="optimizer-objective"]', { hasText: 'stored with this run' }).waitFor({ timeout: 10_000 });
  assert.match(await page.locator('[data-testid="optimizer-objective"]').innerText(), /worst 5% of posterior draws \(CVaR 5%\)/);
  assert.match(await page.locator('[data-testid="optimizer-bounds"]').innerText(), /breaks your bounds: x1 /);
  assert.match(await page.locator('[data-testid="optimizer-lift"]').innerText(), /vs the current plan within the bounds/);
  const allocated = await page.locator('[data-testid="optimizer-result"]').innerText();
  // The spend at which each channel's marginal ROAS falls to 1.
  assert.equal(await page.locator('[data-testid="mroas-breakeven"] tbody tr').count(), 2);
  // ... and to a value the user sets, kept with the stored plan.
  await page.locator('[data-testid="mroas-target"]').fill('2');
  await page.locator('[data-testid="mroas-target"]').press('Tab');
  await page.locator('[data-testid="mroas-breakeven"] th', { hasText: 'at marginal ROAS 2' }).waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="optimizer-objective"]', { hasText: 'stored with this run' }).waitFor({ timeout: 10_000 });
  // The untouched scenario plans the historical mean spend, so it differs from it by exactly 0; no
  // spend on x1 loses x1's contribution.
  const scenario = page.locator('[data-testid="scenario-total"]');
  assert.match(await scenario.innerText(), /^\+0 \[0, 0\] vs holding the historical mean spend/);
  await page.locator('[data-testid="scenario-x1"]').fill('0');
  await page.waitForFunction(() => /^-\d.* vs holding the historical mean spend/.test(document.querySelector('[data-testid="scenario-total"]')?.textContent ?? ''));
  const text = await page.locator('[data-testid="mmm-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');

  // The plan is stored with the run: after a reload the reopened run shows it, and its report has it.
  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  // The page remembers its form and shows its last result again.
  await page.locator('[data-testid="nav-mmm"]').click();
  await page.locator('[data-testid="mmm-results"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid="method"]').inputValue(), 'map');

  // Another data set: its spend/cost columns are preselected as channels, its 0/1 column as an
  // event, and the previous data set's result leaves the page.
  const rows = Array.from({ length: 12 }, (_, i) => `2024-01-${String(1 + i).padStart(2, '0')},${100 + i},${10 + i},${5 + (i % 3)},${i % 4 === 0 ? 1 : 0}`);
  await page.locator('[data-testid="nav-data"]').click();
  await page.locator('[data-testid="file-input"]').setInputFiles({
    name: 'shop.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['day,revenue,tv_spend,search_cost,black_friday', ...rows].join('\n')),
  });
  await page.locator('[data-testid="preview-title"]', { hasText: 'shop.csv' }).waitFor();
  await page.locator('[data-testid="nav-mmm"]').click();
  const shop = await page.locator('[data-testid="dataset-select"] option', { hasText: 'shop.csv' }).getAttribute('value');
  await page.locator('[data-testid="dataset-select"]').selectOption(shop);
  await page.waitForFunction(() => !document.querySelector('[data-testid="mmm-results"]'));
  for (const ch of ['tv_spend', 'search_cost']) assert.ok(await page.locator(`[data-role="channels"] label:has-text("${ch}") input`).isChecked(), ch);
  assert.ok(await page.locator('[data-role="events"] label:has-text("black_friday") input').isChecked(), 'a 0/1 column is an event');

  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await page.locator('[data-testid="mmm-results"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="optimizer-result"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid="optimizer-result"]').innerText(), allocated);
  assert.match(await page.locator('[data-testid="optimizer-objective"]').innerText(), /CVaR 5%.*stored with this run on/);
  assert.equal(await page.locator('[data-testid="budget-risk"]').inputValue(), 'cvar');
  assert.equal(await page.locator('[data-testid="mroas-target"]').inputValue(), '2');
  const report = await page.evaluate(async () => {
    const [run] = await window.studio.runs();
    return window.studio.report(run.id);
  });
  assert.match(report, /<section id="mmm-plan"/);
  assert.match(report, /<section id="mmm-breakeven"/);
  assert.match(report, /Spend at marginal ROAS 2 \[94% HDI\]/);
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('MMM bad input is named in the message', async () => {
  const s = await studio.open();
  const message = await s.page.evaluate(async () => {
    const info = await window.studio.loadCsv({ name: 'neg.csv', text: 'date,y,tv\n2024-01-01,10,5\n2024-01-08,11,-2\n2024-01-15,12,4\n' });
    return window.studio.fit({ dataset: info.id, model: 'mmm', columns: { date: 'date', target: 'y', channels: ['tv'] } }).then(
      () => 'resolved',
      (e) => e.message,
    );
  });
  assert.match(message, /Row 2: channel "tv" has negative spend/);
  await s.context.close();
});

test('MMM MAP on WebGPU fits as well as on WASM (the log density sums many terms)', async () => {
  const s = await studio.open();
  const fitOn = (backend) =>
    s.page.evaluate(async (b) => {
      await window.studio.setBackend(b);
      const text = await (await fetch(new URL('samples/mmm-weekly.csv', document.baseURI))).text();
      const info = await window.studio.loadCsv({ name: `mmm-${b}.csv`, text });
      const run = await window.studio.fit({
        dataset: info.id,
        model: 'mmm',
        columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] },
        inference: { method: 'map' },
      });
      return { r2: run.outputs.metrics.r2.mean, alpha: run.parameters['adstock_alpha[x1]'].mean };
    }, backend);
  const gpu = await fitOn('webgpu');
  const wasm = await fitOn('wasm');
  assert.ok(gpu.r2 > 0.8, `webgpu R² ${gpu.r2}`);
  // float32 on both; the MAP is the same optimum to a few decimals.
  assert.ok(Math.abs(gpu.alpha - wasm.alpha) < 0.02, `alpha ${gpu.alpha} vs ${wasm.alpha}`);
  await s.context.close();
});
