// Jobs side by side and cancellation: fits sent at once through the API all finish; several dropped
// files load one after another; Cancel stops a CSV load (nothing stored) and a fit after its
// sampling (no run stored); a million-row data set is listed and previewed from its small summary
// record, never its table; tabs see each other's changes; a fit whose data set was deleted meanwhile
// stores nothing and says why. Fits run on WASM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countWhenSettled, useStudio } from './harness.mjs';

const studio = useStudio();

/** Opens the studio on WASM. */
async function openOnWasm(url) {
  const s = await (url ? studio.open(url) : studio.open());
  await s.page.evaluate(() => window.studio.setBackend('wasm'));
  return s;
}

/** A small weekly MMM data set (`weeks` rows), loaded through the API; resolves to its id. */
function loadMmm(page, name = 'weekly.csv', weeks = 60) {
  return page.evaluate(async ([file, n]) => {
    const text =
      'date,y,x1\n' +
      Array.from({ length: n }, (_, k) => `${new Date(Date.UTC(2020, 0, 6 + 7 * k)).toISOString().slice(0, 10)},${100 + k + (k % 5) + 3 * ((k * 7) % 10)},${(k * 7) % 10}`).join('\n');
    return (await window.studio.loadCsv({ name: file, text })).id;
  }, [name, weeks]);
}

const mmmSpec = (dataset, inference = { method: 'map' }) => ({ dataset, model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] }, inference });

/**
 * Drops files built in the page onto the drop zone, as a user's drag and drop does. `files` are
 * `{ name, text }`, or `{ name, rows }` for a generated `rows` x 3 CSV (date, customer id, amount) (made in the page: no transfer).
 */
function dropFiles(page, files) {
  return page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const text =
        f.text ??
        'date,customer,amount\n' +
          Array.from({ length: f.rows }, (_, i) => `${new Date(Date.UTC(2000, 0, 1) + (i % 7000) * 86_400_000).toISOString().slice(0, 10)},c${(i * 7919) % 90_001},${(i * 13) % 97}.5`).join('\n');
      transfer.items.add(new File([text], f.name, { type: 'text/csv' }));
    }
    const zone = document.querySelector('[data-testid="dropzone"]');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files);
}

// Two fits interleaved in one worker shared tfjs's scope stack: the first to end released the
// other's tensors, which then failed with "Cannot read properties of undefined (reading 'backend')".
// Two MCMC fits always interleave (they yield to the event loop every 50 ms); MAP fits when their
// mode search takes longer than that (300 weeks here).
test('fits sent at once through the API all finish and are stored (they queue in the client)', async () => {
  const s = await openOnWasm();
  const id = await loadMmm(s.page, 'weekly.csv', 300);
  const mcmc = { method: 'mcmc', chains: 4, warmup: 150, draws: 100, untilConverged: false };
  const outcome = await s.page.evaluate(async (specs) => {
    const settled = await Promise.allSettled(specs.map((spec) => window.studio.fit(spec)));
    return {
      settled: settled.map((r) => (r.status === 'fulfilled' ? { ok: r.value.id } : { error: String(r.reason?.message ?? r.reason) })),
      stored: (await window.studio.runs()).map((r) => r.id),
    };
  }, [mmmSpec(id, mcmc), mmmSpec(id, mcmc), mmmSpec(id), mmmSpec(id)]);
  for (const r of outcome.settled) assert.ok(r.ok, `every fit finishes: ${JSON.stringify(outcome.settled)}`);
  assert.equal(new Set(outcome.settled.map((r) => r.ok)).size, 4);
  assert.deepEqual([...outcome.stored].sort(), outcome.settled.map((r) => r.ok).sort());
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('three dropped files load one after another, the job bar saying which; all three are stored', async () => {
  const s = await studio.open();
  const { page } = s;
  // Every label the job bar shows, as it shows it.
  await page.evaluate(() => {
    window.__labels = [];
    new MutationObserver(() => {
      const label = document.querySelector('[data-testid="job"] .label')?.textContent;
      if (label && window.__labels.at(-1) !== label) window.__labels.push(label);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const csv = (k) => 'date,sales\n' + Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')},${i * k}`).join('\n');
  await dropFiles(page, [
    { name: 'one.csv', text: csv(1) },
    { name: 'two.csv', text: csv(2) },
    { name: 'three.csv', text: csv(3) },
  ]);
  assert.equal(await countWhenSettled(page, '[data-testid="dataset"]', 3, 60_000), 3);
  await page.locator('[data-testid="job"]').waitFor({ state: 'detached', timeout: 60_000 });
  const names = (await page.evaluate(() => window.studio.datasets())).map((d) => d.name).sort();
  assert.deepEqual(names, ['one.csv', 'three.csv', 'two.csv']);
  const labels = await page.evaluate(() => window.__labels);
  for (const expected of ['Reading one.csv (1 of 3)', 'Reading two.csv (2 of 3)', 'Reading three.csv (3 of 3)']) {
    assert.ok(labels.includes(expected), `job bar showed "${expected}": ${JSON.stringify(labels)}`);
  }
  assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'no "Busy" error');
  // The last file dropped is the one previewed.
  await page.locator('[data-testid="preview-title"]', { hasText: 'three.csv' }).waitFor();
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a CSV load cancelled through the API stops reading the file and stores nothing', async () => {
  const s = await studio.open();
  const outcome = await s.page.evaluate(async () => {
    // ~26 MB: 26 chunks of 1 MB in each of the parser's two passes.
    const text = 'date,sales,spend\n' + Array.from({ length: 1_000_000 }, (_, i) => `2020-01-01,${i % 1000},${i % 97}.5`).join('\n');
    const controller = new AbortController();
    const seen = [];
    const result = await window.studio
      .loadCsv(new File([text], 'big.csv'), {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.iteration);
          controller.abort();
        },
      })
      .then(
        (info) => `loaded ${info.rows} rows`,
        (e) => e.name,
      );
    return { result, seen, stored: (await window.studio.datasets()).length };
  });
  assert.equal(outcome.result, 'CancelledError');
  assert.equal(outcome.stored, 0);
  assert.ok(Math.max(...outcome.seen) < 100, `the read stopped before the end: ${JSON.stringify(outcome.seen)}`);
  await s.context.close();
});

test("the job bar's Cancel stops a dropped file's load: nothing stored, no error shown", async () => {
  const s = await studio.open();
  const { page } = s;
  await dropFiles(page, [{ name: 'million.csv', rows: 1_000_000 }]);
  // Once the parser has reported a chunk (its first pass; two passes of ~27 chunks each).
  await page.locator('[data-testid="job"] .phase', { hasText: /^parse/ }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="cancel"]').click();
  await page.locator('[data-testid="job"]').waitFor({ state: 'detached', timeout: 60_000 });
  assert.equal((await page.evaluate(() => window.studio.datasets())).length, 0);
  assert.equal(await page.locator('[data-testid="error"]').count(), 0);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a cancel after sampling (at diagnostics or outputs) ends the fit as cancelled and stores no run', async () => {
  const s = await openOnWasm();
  const id = await loadMmm(s.page);
  for (const phase of ['diagnostics', 'outputs']) {
    const outcome = await s.page.evaluate(
      async ([spec, at]) => {
        const controller = new AbortController();
        const result = await window.studio
          .fit(spec, {
            signal: controller.signal,
            onProgress: (p) => {
              if (p.phase === at) controller.abort();
            },
          })
          .then(
            (run) => `resolved ${run.id}`,
            (e) => e.name,
          );
        return { result, aborted: controller.signal.aborted, runs: (await window.studio.runs()).length };
      },
      [mmmSpec(id), phase],
    );
    assert.equal(outcome.aborted, true, `the fit reached ${phase}`);
    assert.equal(outcome.result, 'CancelledError', `cancel at ${phase}`);
    assert.equal(outcome.runs, 0, `no run stored after a cancel at ${phase}`);
  }
  // The worker is still good for the next fit.
  const run = await s.page.evaluate((spec) => window.studio.fit(spec).then((r) => r.datasetId), mmmSpec(id));
  assert.equal(run, id);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a million-row data set is listed and previewed from its small summary record, never its table', async (t) => {
  const s = await studio.open();
  const { page } = s;
  const longTasks = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'));
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ entryTypes: ['longtask'] });
  });
  // The CSV text is made inside this call (one long task of the test's own); what follows is the studio's.
  await dropFiles(page, [{ name: 'million.csv', rows: 1_000_000 }]);
  const droppedAt = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="job"]').waitFor({ state: 'detached', timeout: 180_000 });
  // The list refresh and the preview of the new data set (selected when it loads).
  await page.locator('[data-testid="preview-title"]', { hasText: 'million.csv' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="preview"] tbody tr').first().waitFor();
  const caption = await page.locator('.caption').innerText();
  const listed = await page.evaluate(async () => {
    const before = performance.now();
    for (let i = 0; i < 5; i++) await window.studio.datasets();
    return { rows: (await window.studio.datasets())[0].rows, ms: (performance.now() - before) / 6 };
  });
  const tasks = await page.evaluate((from) => window.__longTasks.filter((e) => e.start >= from).map((e) => Math.round(e.ms)), droppedAt);
  // Reported, not asserted (timings depend on the machine): the main thread's long tasks (over
  // 50 ms) from the drop through the load, the list refresh, the preview and six studio.datasets() calls.
  t.diagnostic(`long tasks from the drop on (ms): ${JSON.stringify(tasks)}${longTasks ? '' : ' (longtask entries unsupported)'}; studio.datasets(): ${listed.ms.toFixed(1)} ms a call`);
  assert.equal(listed.rows, 1_000_000);
  assert.match(caption, /Showing 20 of 1,000,000 rows/);
  // What the page reads (the `datasets` store) holds the description and at most 20 preview rows;
  // the columns are in a store only the worker reads.
  const record = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('marketing-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('datasets').objectStore('datasets').getAll();
          read.onsuccess = () => {
            const [r] = read.result;
            resolve({ keys: Object.keys(r).sort(), previewRows: r.preview?.rows, cells: r.preview?.columns.reduce((n, c) => n + c.values.length, 0) });
            open.result.close();
          };
        };
      }),
  );
  assert.deepEqual(record.keys, ['createdAt', 'info', 'preview']);
  assert.equal(record.previewRows, 20);
  assert.equal(record.cells, 60);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('tabs see each other\'s changes without a reload; a fit on a data set deleted meanwhile in another tab stores nothing and says why', async () => {
  const a = await openOnWasm();
  const context = a.context;
  // A second tab in the same context (the same origin's storage).
  const pageB = await context.newPage();
  pageB.on('pageerror', (e) => a.errors.push(`tab B: ${e}`));
  await pageB.goto(a.page.url());
  await pageB.waitForFunction(() => window.studio !== undefined);
  await pageB.evaluate(() => window.studio.setBackend('wasm'));

  const id = await loadMmm(a.page, 'shared.csv');
  assert.equal(await countWhenSettled(pageB, '[data-testid="dataset"]', 1), 1, 'tab B lists the data set tab A loaded');

  // Tab B fits on it; tab A deletes it as soon as tab B's fit reports progress (a broadcast between
  // the tabs carries the signal; the fit still has all of its sampling to do).
  await a.page.evaluate((dataset) => {
    window.__deleted = new Promise((resolve) => {
      new BroadcastChannel('test:fit-started').onmessage = () => resolve(window.studio.deleteDataset(dataset).then(() => performance.timeOrigin + performance.now()));
    });
  }, id);
  const fit = pageB.evaluate(async (spec) => {
    const started = new BroadcastChannel('test:fit-started');
    let told = false;
    return window.studio
      .fit(spec, {
        onProgress: () => {
          if (!told) started.postMessage('started');
          told = true;
        },
      })
      .then(
        (run) => ({ resolved: run.id, at: performance.timeOrigin + performance.now() }),
        (e) => ({ error: e.message, at: performance.timeOrigin + performance.now() }),
      );
  }, mmmSpec(id, { method: 'mcmc', chains: 4, warmup: 300, draws: 300, untilConverged: false }));
  const deletedAt = await a.page.evaluate(() => window.__deleted);
  const outcome = await fit;
  assert.ok(deletedAt < outcome.at, 'the deletion ended before the fit did (else this test proves nothing)');
  assert.match(outcome.error ?? `resolved ${outcome.resolved}`, /dataset "shared\.csv" was deleted while the fit ran, so the run was not stored/);
  assert.deepEqual(await pageB.evaluate(() => window.studio.runs()), []);
  assert.equal(await countWhenSettled(pageB, '[data-testid="dataset"]', 0), 0, 'tab B no longer lists it');
  assert.deepEqual(a.errors, []);
  await context.close();
});
