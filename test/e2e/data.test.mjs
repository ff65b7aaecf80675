// The data flow a user meets first: samples and dropped files -> preview -> reload -> delete,
// plus bad files -> specific messages. Every request is recorded and must stay on localhost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countWhenSettled, useStudio } from './harness.mjs';

const studio = useStudio();

test('each sample loads, previews, survives a reload and can be deleted; no request leaves localhost', async () => {
  const s = await studio.open();
  const { page } = s;
  const sampleButtons = await page.locator('[data-testid^="sample-"]').all();
  assert.ok(sampleButtons.length >= 1, 'at least one bundled sample');
  for (const button of sampleButtons) {
    const file = (await button.getAttribute('data-testid')).slice('sample-'.length);
    await button.click();
    await page.locator('[data-testid="preview-title"]', { hasText: file }).waitFor({ timeout: 60_000 });
    const rows = await page.locator('[data-testid="preview"] tbody tr').count();
    assert.ok(rows > 0, `${file}: preview shows rows`);
  }
  const loaded = await countWhenSettled(page, '[data-testid="dataset"]', sampleButtons.length);
  assert.equal(loaded, sampleButtons.length);
  // Loading a sample again selects the stored one: no second data set of the same name.
  await sampleButtons[0].click();
  const firstFile = (await sampleButtons[0].getAttribute('data-testid')).slice('sample-'.length);
  await page.locator('[data-testid="preview-title"]', { hasText: firstFile }).waitFor();
  assert.equal(await countWhenSettled(page, '[data-testid="dataset"]', loaded), loaded, 'a sample loaded twice is stored once');
  // The preview describes each column: its range and missing cells, and a date column's format.
  const summaries = await page.locator('[data-testid="column-summary"]').allInnerTexts();
  assert.ok(summaries.length > 1 && summaries.every((t) => /missing/.test(t)), summaries.join(' | '));
  assert.ok(summaries.some((t) => /read as yyyy-mm-dd/.test(t)), summaries.join(' | '));
  assert.ok((await page.locator('[data-testid="column-range"]').count()) > 0);

  await page.reload();
  await page.waitForFunction(() => window.studio !== undefined);
  assert.equal(await countWhenSettled(page, '[data-testid="dataset"]', loaded), loaded, 'datasets survive a reload');
  const viaApi = await page.evaluate(() => window.studio.datasets());
  assert.equal(viaApi.length, loaded);

  // Deleting asks first; "Keep" keeps it.
  await page.locator('[data-testid="delete-dataset"]').first().click();
  await page.locator('[data-testid="keep-delete-dataset"]').click();
  assert.equal(await page.locator('[data-testid="dataset"]').count(), loaded);
  // A deletion can be undone: the same data set comes back.
  const firstName = await page.locator('[data-testid="dataset"] button.link').first().innerText();
  await page.locator('[data-testid="delete-dataset"]').first().click();
  await page.locator('[data-testid="confirm-delete-dataset"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="dataset"]').length < n, loaded);
  await page.locator('[data-testid="undo-bar"]', { hasText: firstName }).waitFor();
  await page.locator('[data-testid="undo"]').click();
  assert.equal(await countWhenSettled(page, '[data-testid="dataset"]', loaded), loaded, 'undo restores the data set');
  assert.ok((await page.evaluate(() => window.studio.datasets())).some((d) => d.name === firstName));

  while ((await page.locator('[data-testid="dataset"]').count()) > 0) {
    const before = await page.locator('[data-testid="dataset"]').count();
    await page.locator('[data-testid="delete-dataset"]').first().click();
    await page.locator('[data-testid="confirm-delete-dataset"]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="dataset"]').length < n, before);
  }
  assert.equal((await page.evaluate(() => window.studio.datasets())).length, 0);
  assert.deepEqual(s.foreignRequests(), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

const BAD_FILES = [
  { name: 'empty.csv', content: '', expect: /empty/i },
  { name: 'binary.csv', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0, 1, 2]), expect: /binary|UTF-8/i },
  { name: 'ragged.csv', content: 'date,sales\n2024-01-01,1\n2024-01-08,2,3\n', expect: /line 3/i },
  { name: 'one-row.csv', content: 'date,sales\n2024-01-01,1\n', expect: /row/i },
  { name: 'no-numbers.csv', content: 'a,b\nx,y\nz,w\n', expect: /numeric|number/i },
  { name: 'repeated.csv', content: 'date,x,x\n2024-01-01,1,2\n2024-01-08,3,4\n', expect: /"x".*(repeated|more than once|twice)|(repeated|more than once|twice).*"x"/i },
];

test('bad files get a specific message and store nothing', async () => {
  const s = await studio.open();
  const { page } = s;
  for (const bad of BAD_FILES) {
    await page.locator('[data-testid="file-input"]').setInputFiles({
      name: bad.name,
      mimeType: 'text/csv',
      buffer: Buffer.isBuffer(bad.content) ? bad.content : Buffer.from(bad.content),
    });
    const alert = page.locator('[data-testid="error"]');
    await alert.waitFor({ timeout: 30_000 });
    const text = await alert.innerText();
    assert.match(text, bad.expect, `${bad.name}: "${text}"`);
    assert.ok(text.includes(bad.name), `${bad.name}: the message names the file`);
    await alert.locator('button').click();
  }
  assert.equal((await page.evaluate(() => window.studio.datasets())).length, 0, 'nothing half-stored');
  assert.deepEqual(s.foreignRequests(), []);
  await s.context.close();
});

test('loadCsv through the API validates and returns DatasetInfo', async () => {
  const s = await studio.open();
  const info = await s.page.evaluate(() =>
    window.studio.loadCsv({ name: 'api.csv', text: 'date,sales,tv\n2024-01-01,"1,200",3\n2024-01-08,1300,4\n2024-01-15,1250,5\n' }),
  );
  assert.equal(info.rows, 3);
  assert.deepEqual(
    info.columns.map((c) => c.type),
    ['date', 'number', 'number'],
  );
  await s.page.evaluate((id) => window.studio.deleteDataset(id), info.id);
  const message = await s.page.evaluate(() =>
    window.studio.fit({ dataset: 'no-such-dataset', model: 'mmm', columns: {} }).then(
      () => 'resolved',
      (e) => e.message,
    ),
  );
  assert.match(message, /no-such-dataset/);
  await s.context.close();
});

// Version 1 of the store kept each dataset's full table in the record the page lists, so every
// listing read every cell; version 2 keeps a summary with 20 preview rows there and the table apart.
test('datasets stored by the previous version of the store are kept: listed, previewed and fitted after the upgrade', async () => {
  const s = await studio.open();
  const { page } = s;
  const studioUrl = page.url();
  // Leave the studio (closing its connections), and write a version 1 database as it stored them.
  await page.goto(new URL('/no-studio-here', studioUrl).href);
  await page.evaluate(async () => {
    const done = (request) => new Promise((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
    await done(indexedDB.deleteDatabase('marketing-studio'));
    const open = indexedDB.open('marketing-studio', 1);
    open.onupgradeneeded = () => {
      const database = open.result;
      database.createObjectStore('datasets', { keyPath: 'info.id' }).createIndex('name', 'info.name');
      const runs = database.createObjectStore('runs', { keyPath: 'result.id' });
      runs.createIndex('createdAt', 'result.createdAt');
      runs.createIndex('datasetId', 'result.datasetId');
      database.createObjectStore('settings');
    };
    const database = await done(open);
    const n = 60;
    const date = Float64Array.from({ length: n }, (_, k) => Date.UTC(2020, 0, 6 + 7 * k));
    const x1 = Float64Array.from({ length: n }, (_, k) => (k * 7) % 10);
    const y = Float64Array.from({ length: n }, (_, k) => 100 + k + (k % 5) + 3 * x1[k]);
    const tx = database.transaction('datasets', 'readwrite');
    tx.objectStore('datasets').put({
      info: { id: 'ds-v1', name: 'old.csv', rows: n, columns: [{ name: 'date', type: 'date' }, { name: 'y', type: 'number' }, { name: 'x1', type: 'number' }], warnings: [] },
      table: { rows: n, columns: [{ name: 'date', type: 'date', values: date }, { name: 'y', type: 'number', values: y }, { name: 'x1', type: 'number', values: x1 }] },
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    database.close();
  });
  s.errors.splice(0); // the 404 of that page, which is not the studio's
  await page.goto(studioUrl);
  await page.waitForFunction(() => window.studio !== undefined);
  await page.locator('[data-testid="dataset"] button', { hasText: 'old.csv' }).click();
  await page.locator('[data-testid="preview-title"]', { hasText: 'old.csv' }).waitFor();
  assert.equal(await page.locator('[data-testid="preview"] tbody tr').count(), 20);
  assert.match(await page.locator('.caption').innerText(), /Showing 20 of 60 rows/);
  const run = await page.evaluate(async () => {
    await window.studio.setBackend('wasm');
    const r = await window.studio.fit({ dataset: 'old.csv', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] }, inference: { method: 'map' } });
    return r.datasetId;
  });
  assert.equal(run, 'ds-v1');
  await page.evaluate(() => window.studio.deleteDataset('ds-v1'));
  assert.deepEqual(await page.evaluate(() => window.studio.datasets()), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('deleting an unknown dataset or run id is an error naming the id', async () => {
  const s = await studio.open();
  const messages = await s.page.evaluate(async () => {
    const message = (p) => p.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
    return [await message(window.studio.deleteDataset('ds-nope')), await message(window.studio.deleteRun('run-nope'))];
  });
  assert.match(messages[0], /^InputError: No dataset with id "ds-nope"/);
  assert.match(messages[1], /^InputError: No run with id "run-nope"/);
  await s.context.close();
});

test('decimal commas: detected per column, an ambiguous column is flagged, and the Data page reads the file again the other way', async () => {
  const s = await studio.open();
  const { page } = s;
  const text = 'date;sales;spend\n2024-01-01;12,500;0,375\n2024-01-08;13,250;1,5\n2024-01-15;9,750;2,25\n';
  const info = await page.evaluate((t) => window.studio.loadCsv({ name: 'eu-api.csv', text: t }), text);
  assert.deepEqual(info.decimal, { ambiguous: ['sales'], read: ',', chosen: false });
  const chosen = await page.evaluate((t) => window.studio.loadCsv({ name: 'eu-point.csv', text: t }, { decimal: '.' }), text);
  assert.deepEqual(chosen.decimal, { ambiguous: ['sales'], read: '.', chosen: true });

  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'eu.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.locator('[data-testid="preview-title"]', { hasText: 'eu.csv' }).waitFor({ timeout: 30_000 });
  const warnings = await page.locator('[data-testid="warnings"]').innerText();
  assert.match(warnings, /Column "spend" is read with decimal commas/);
  assert.match(warnings, /Column "sales" is ambiguous: "12,500" \(line 2\) is 12\.5 with a decimal comma or 12500 with a thousands separator/);
  const firstSales = () => page.locator('[data-testid="preview"] tbody tr').first().locator('td').nth(1).innerText();
  assert.equal(await firstSales(), '12.5');
  assert.match(await page.locator('[data-testid="decimal-choice"]').innerText(), /"sales" could be read either way/);
  const before = (await page.evaluate(() => window.studio.datasets())).length;
  await page.locator('[data-testid="decimal-reread"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="preview"] tbody tr td:nth-child(2)')?.textContent === '12500');
  // The old dataset is deleted after the new one is shown (its deletion keeps an undo copy first): wait for it.
  await page.waitForFunction(async (n) => (await window.studio.datasets()).length === n, before, { timeout: 30_000 }).catch(() => undefined);
  assert.equal((await page.evaluate(() => window.studio.datasets())).length, before, 'the re-read replaces the dataset');
  assert.match(await page.locator('[data-testid="decimal-choice"]').innerText(), /as chosen, they were read with decimal points/);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("the run view lists the run's warnings (outputs.warnings), whatever the model", async () => {
  const s = await studio.open();
  const { page } = s;
  await page.evaluate(() => window.studio.setBackend('wasm'));
  // 6 weeks before the intervention: too short for the placebo refit, which the run warns about.
  const text =
    'date,y\n' +
    Array.from({ length: 20 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 7 * 86_400_000).toISOString().slice(0, 10)},${100 + ((i * 37) % 11) + (i >= 10 ? 20 : 0)}`).join('\n') +
    '\n';
  const warnings = await page.evaluate(async (t) => {
    const info = await window.studio.loadCsv({ name: 'its-short.csv', text: t });
    const run = await window.studio.fit({
      dataset: info.id,
      model: 'its',
      columns: { date: 'date', outcome: 'y' },
      config: { treatmentStart: '2024-02-12', seasonality: 0 },
      inference: { method: 'map' },
    });
    return run.outputs.warnings;
  }, text);
  assert.match(warnings.join(' '), /No placebo test: the pre-period \(6 points\) is too short/);
  await page.locator('[data-testid="nav-runs"]').click();
  await page.locator('[data-testid="open-run"]').first().click();
  const shown = await page.locator('[data-testid="run-view"] [data-testid="run-warnings"]').innerText({ timeout: 30_000 });
  assert.match(shown, /No placebo test: the pre-period \(6 points\) is too short/);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
