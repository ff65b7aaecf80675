// Causal impact from the bundled samples: synthetic control on Proposition 99 through the UI (MAP +
// Laplace), reload and reopen; a geo experiment (time-based regression) through the API on WASM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countWhenSettled, FIT_TIMEOUT_MS, useStudio, waitForResult } from './harness.mjs';

const studio = useStudio();

test('synthetic control on Proposition 99: fit, effect, donor weights, reload and reopen', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.locator('[data-testid="sample-california_prop99.csv"]').click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'california_prop99' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="nav-causal"]').click();
  await page.locator('[data-testid="model-select"]').selectOption('synthetic_control');
  assert.equal(await page.locator('[data-role="date"] select').inputValue(), 'Year');
  assert.equal(await page.locator('[data-role="treated"] select').inputValue(), 'California');
  // Every other state is a donor by default.
  assert.equal(await page.locator('[data-role="donors"] input:checked').count(), 38);
  await page.locator('[data-testid="method"]').selectOption('map');
  // Without an intervention date the page says so in its own words, before any fit.
  await page.locator('[data-testid="fit"]').click();
  const missing = await page.locator('[data-testid="error"]').innerText();
  assert.match(missing, /Choose the intervention date/);
  assert.doesNotMatch(missing, /config\./);
  // A column of years asks for a year, not a date.
  const start = page.locator('[data-config="treatmentStart"] input');
  assert.equal(await start.getAttribute('type'), 'number');
  await start.fill('1989');
  await start.dispatchEvent('change');
  await page.locator('[data-testid="fit"]').click();
  await waitForResult(s, '[data-testid="causal-results"]', FIT_TIMEOUT_MS);
  const weights = await page.locator('[data-testid="donor-weights"] tbody tr').count();
  assert.ok(weights >= 1, 'donor weights are listed');
  const summary = await page.locator('[data-testid="causal-summary"]').innerText();
  assert.ok(summary.length > 20, 'a written summary');
  const text = await page.locator('[data-testid="causal-results"]').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN on screen');
  assert.ok((await page.locator('[data-testid="causal-results"] svg *').count()) > 20, 'charts are drawn');
  // The parameter table is the main fit's: no placebo twins; the 38 donors' sampling coordinates
  // (weights_raw) are listed apart, under "Sampler coordinates", collapsed.
  const names = await page.locator('[data-testid="parameters"] tbody tr td:first-child').allInnerTexts();
  assert.ok(names.length > 0 && names.every((n) => !/placebo|weights_raw/.test(n)), `main parameters: ${names}`);
  const coordinates = page.locator('[data-testid="sampler-coordinates"]');
  assert.equal(await coordinates.getAttribute('open'), null, 'sampler coordinates start collapsed');
  assert.equal(await coordinates.locator('[data-testid="internal-parameters"] tbody tr').count(), 38);

  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  await page.locator('[data-testid="causal-results"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

// `summary` is what the run's written summary must say, waited for (the previous run's results may
// still be on screen when the new run is stored); `check` then reads the effects table. Banks in
// business are a stock (an average level difference, no cumulative row) whose DiD placebo fails
// (said first); RD's jump is in the unit typed into the form; the geo experiment's sales are a flow
// (the cumulative row stays).
const UI_CASES = [
  { file: 'banks.csv', model: 'its', config: { treatmentStart: '1930-07-01', seasonality: '0' } },
  {
    file: 'banks.csv',
    model: 'did',
    config: { treatmentStart: '1930-07-01', unit: 'banks' },
    // The verdict badge reads first ("placebo failed"), then the summary.
    summary: /^placebo failed\s+Careful: the placebo test, .* the outcome "bib6" was higher by about [\d.]+ banks on average/,
    check: async (page) => {
      assert.equal(await page.locator('[data-testid="cumulative-effect"]').count(), 0, 'a stock is not summed');
      assert.equal(await page.locator('[data-testid="average-effect"]').count(), 1);
    },
  },
  {
    file: 'drinking.csv',
    model: 'rd',
    config: { unit: 'deaths per 100,000' },
    summary: /^approximate\s+At agecell = 21, the outcome "all" jumps up by about [\d.]+ deaths per 100,000/,
    check: async (page) => {
      assert.match(await page.locator('[data-testid="rd-jump"]').innerText(), /deaths per 100,000/);
    },
  },
  {
    file: 'geo_experiment_salesandcost.csv',
    model: 'tbr',
    config: {},
    summary: /the campaign added about [\d,]+ to the treatment geos' "sales" in total/,
    check: async (page) => {
      assert.equal(await page.locator('[data-testid="cumulative-effect"]').count(), 1, 'a flow keeps its total');
    },
  },
];

test('ITS, DiD, RD and TBR from their samples through the UI: effect, charts, no NaN; runs reopen', async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  const loaded = new Set();
  for (const c of UI_CASES) {
    if (!loaded.has(c.file)) {
      await page.locator('[data-testid="nav-data"]').click();
      await page.locator(`[data-testid="sample-${c.file}"]`).click();
      await page.locator('[data-testid="preview-title"]', { hasText: c.file.replace('.csv', '') }).waitFor({ timeout: 60_000 });
      loaded.add(c.file);
    }
    await page.locator('[data-testid="nav-causal"]').click();
    const datasetOption = page.locator('[data-testid="dataset-select"] option', { hasText: c.file.replace('.csv', '') }).first();
    await page.locator('[data-testid="dataset-select"]').selectOption(await datasetOption.getAttribute('value'));
    await page.locator('[data-testid="model-select"]').selectOption(c.model);
    for (const [key, value] of Object.entries(c.config)) {
      await page.locator(`[data-config="${key}"] input`).fill(value);
      await page.locator(`[data-config="${key}"] input`).dispatchEvent('change');
    }
    await page.locator('[data-testid="method"]').selectOption('map');
    const before = (await page.evaluate(() => window.studio.runs())).length;
    await page.locator('[data-testid="fit"]').click();
    await page.waitForFunction(async (n) => (await window.studio.runs()).length > n, before, { timeout: 180_000, polling: 500 });
    await page.locator('[data-testid="causal-results"]').waitFor({ timeout: 30_000 });
    if (c.summary) await page.locator('[data-testid="causal-summary"]', { hasText: c.summary }).waitFor({ timeout: 30_000 });
    const text = await page.locator('[data-testid="causal-results"]').innerText();
    assert.ok(!/NaN|Infinity/.test(text), `${c.model}: no NaN on screen`);
    assert.ok((await page.locator('[data-testid="causal-summary"]').innerText()).length > 20, `${c.model}: a written summary`);
    await c.check?.(page);
    assert.ok((await page.locator('[data-testid="causal-results"] svg *').count()) > 20, `${c.model}: charts are drawn`);
  }
  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="nav-runs"]').click();
  assert.equal(await countWhenSettled(page, '[data-testid="open-run"]', UI_CASES.length), UI_CASES.length);
  await page.locator('[data-testid="open-run"]').first().click();
  await page.locator('[data-testid="causal-results"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('geo experiment by time-based regression through the API on WASM: iROAS near the published 2.95', async () => {
  const s = await studio.open();
  const result = await s.page.evaluate(async () => {
    await window.studio.setBackend('wasm');
    const text = await (await fetch(new URL('samples/geo_experiment_salesandcost.csv', document.baseURI))).text();
    const info = await window.studio.loadCsv({ name: 'geo.csv', text });
    const run = await window.studio.fit({
      dataset: info.id,
      model: 'tbr',
      columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group', spend: 'cost' },
      config: { testStart: '2015-02-16', testEnd: '2015-03-15', placebo: false },
      inference: { method: 'map', seed: 3 },
    });
    return { backend: run.backend, iroas: run.outputs.iroas };
  });
  assert.equal(result.backend, 'wasm');
  // Published (matched_markets, OLS): iROAS 2.9467. The posterior mean under weak priors sits within
  // a few hundredths of it; the HDI must cover it.
  assert.ok(Math.abs(result.iroas.mean - 2.9467) < 0.1, `iROAS ${result.iroas.mean}`);
  assert.ok(result.iroas.hdiLow < 2.9467 && result.iroas.hdiHigh > 2.9467, 'the HDI covers the published value');
  assert.deepEqual(s.foreignRequests(), []);
  await s.context.close();
});
