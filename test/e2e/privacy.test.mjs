// No context of the studio can reach another origin: the page, the compute worker and the service
// worker each try fetch, import(), WebSocket, EventSource and sendBeacon toward a second local server
// (another origin: another port), which records every request it gets, and it must get none. A
// control page without the policy reaches it with every one of them, so the probe and the recording
// work. The compute worker is sealed even when the host sends no CSP header at all (it inherits the
// page's <meta> policy), and its own same-origin guard stops fetch, WebSocket and EventSource first. A full flow (a sample loaded, a MAP fit on WASM) requests nothing elsewhere.
// The dev server and `vite preview` send the policy as a header on every response.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync } from 'node:fs';
import { createServer as createDevServer, preview } from 'vite';
import { DIST, FIT_TIMEOUT_MS, csp, launchBrowser, openStudio, startServer, waitForResult } from './harness.mjs';

/** The kinds of request the probe makes, and the path of each on the other origin. */
const KINDS = ['fetch', 'import', 'websocket', 'eventsource', 'beacon'];

/**
 * A server on another port (so another origin) that answers each kind of request as a permissive
 * server would (CORS and CORP open, so that only the studio's own policy can stop a request) and
 * records every request it receives, HTTP and WebSocket upgrades alike.
 */
async function startOtherOrigin() {
  const received = [];
  const waiters = [];
  const record = (url) => {
    received.push(url);
    for (const w of waiters.filter((w) => url.includes(w.part))) w.resolve(url);
  };
  const server = createServer((req, res) => {
    record(req.url);
    const open = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/control.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>control</title>');
    } else if (path === '/import.js') {
      res.writeHead(200, { ...open, 'Content-Type': 'text/javascript' }).end('export const leaked = true;');
    } else if (path === '/eventsource') {
      res.writeHead(200, { ...open, 'Content-Type': 'text/event-stream' }).end('data: leaked\n\n');
    } else {
      res.writeHead(200, { ...open, 'Content-Type': 'text/plain' }).end('leaked');
    }
  });
  server.on('upgrade', (req, socket) => {
    record(req.url);
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    target: `http://127.0.0.1:${port}/`,
    /** Requests received whose URL contains `part`. */
    receivedFor: (part) => received.filter((u) => u.includes(part)),
    /** Resolves with the URL of the first request received that contains `part`. */
    arrival: (part) =>
      new Promise((resolve) => {
        const hit = received.find((u) => u.includes(part));
        if (hit) resolve(hit);
        else waiters.push({ part, resolve });
      }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Runs in a page, a worker or a service worker: tries each kind of request toward `target` (each URL
 * tagged with `tag`) and says how each ended, with the CSP violations the context reported.
 * APIs a context lacks (sendBeacon in a worker) are reported as unavailable. sendBeacon only queues
 * its request: `self.probeBeacon` resolves when the policy blocks it.
 */
async function probe({ target, tag }) {
  const violations = (self.probeViolations = []);
  let beaconBlocked;
  self.probeBeacon = new Promise((resolve) => (beaconBlocked = resolve));
  self.addEventListener('securitypolicyviolation', (e) => {
    violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
    if (e.blockedURI.includes('/beacon?')) beaconBlocked(`blocked by ${e.effectiveDirective}`);
  });
  const outcome = {};
  const url = (kind) => `${target}${kind}?${tag}`;
  outcome.fetch = await fetch(url('fetch')).then(
    (r) => r.text().then((t) => `reached: ${t}`),
    (e) => `failed: ${e}`,
  );
  outcome.import = await import(url('import.js')).then(
    (m) => `reached: ${Object.keys(m)}`,
    (e) => `failed: ${e}`,
  );
  outcome.websocket =
    typeof WebSocket === 'undefined'
      ? 'unavailable'
      : await new Promise((resolve) => {
          try {
            const ws = new WebSocket(url('websocket').replace(/^http/, 'ws'));
            ws.onopen = () => resolve('reached: open');
            ws.onerror = () => resolve('failed: error event');
          } catch (e) {
            resolve(`failed: ${e}`);
          }
        });
  outcome.eventsource =
    typeof EventSource === 'undefined'
      ? 'unavailable'
      : await new Promise((resolve) => {
          try {
            const es = new EventSource(url('eventsource'));
            es.onmessage = (e) => {
              es.close();
              resolve(`reached: ${e.data}`);
            };
            es.onerror = () => {
              es.close();
              resolve('failed: error event');
            };
          } catch (e) {
            resolve(`failed: ${e}`);
          }
        });
  outcome.beacon = typeof navigator.sendBeacon !== 'function' ? 'unavailable' : navigator.sendBeacon(url('beacon'), 'leaked') ? 'queued' : 'refused';
  return { outcome };
}

/**
 * Evaluates the probe in `where` (a page or a worker). A queued beacon is waited for until it either
 * reaches the other origin or the context reports its violation; then the result says what the other
 * origin received.
 */
async function runProbe(where, tag) {
  const result = await where.evaluate(`(${probe})(${JSON.stringify({ target: other.target, tag })})`);
  if (result.outcome.beacon === 'queued') {
    result.outcome.beacon = await Promise.race([
      where.evaluate(() => self.probeBeacon),
      other.arrival(`/beacon?${tag}`).then(() => 'reached'),
    ]);
  }
  // Read again: the beacon's violation came after the probe returned.
  const violations = await where.evaluate(() => self.probeViolations);
  return { ...result, violations, received: other.receivedFor(tag) };
}

let other;
let browser;
before(async () => {
  other = await startOtherOrigin();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await other?.close();
});

/** The compute worker of an open studio, once tfjs is up in it. */
async function computeWorker(s) {
  await s.page.evaluate(() => window.studio.backend());
  for (const worker of s.page.workers()) {
    if ((await worker.evaluate(() => self.name)) === 'compute') return worker;
  }
  throw new Error(`no compute worker among ${s.page.workers().map((w) => w.url())}`);
}

/**
 * Asserts nothing reached the other origin and each kind of request was stopped by the policy (a CSP
 * violation, not a network failure), or, in the compute worker, by its same-origin guard first
 * (src/worker/same-origin-only.ts); `import()`, which no guard can intercept, must always be stopped
 * by the policy: in the compute worker that proves the page's policy was inherited.
 */
function assertSealed(context, { outcome, violations, received }) {
  assert.deepEqual(received, [], `${context}: the other origin received requests`);
  for (const kind of KINDS) {
    assert.ok(!String(outcome[kind]).startsWith('reached'), `${context}: ${kind} ${outcome[kind]}`);
  }
  for (const kind of ['fetch', 'websocket', 'eventsource', 'beacon']) {
    if (outcome[kind] === 'unavailable' || /CrossOriginBlockedError/.test(outcome[kind])) continue;
    assert.ok(violations.some((v) => v.startsWith('connect-src') && v.includes(kind)), `${context}: no connect-src violation for ${kind}: ${violations}`);
  }
  if (!/disallowed on ServiceWorkerGlobalScope/.test(outcome.import)) {
    assert.ok(violations.some((v) => /^script-src/.test(v) && v.includes('import.js')), `${context}: no script-src violation for import(): ${violations}`);
  }
}

/** Asserts the compute worker's same-origin guard stopped fetch, WebSocket and EventSource itself. */
function assertGuarded({ outcome }) {
  for (const kind of ['fetch', 'websocket', 'eventsource']) {
    assert.match(outcome[kind], /CrossOriginBlockedError: This worker of the studio may reach only its own origin/, kind);
  }
}

test('control: a page without the policy reaches the other origin with every kind of request', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // Another origin again (localhost, not 127.0.0.1), so the probe's requests are cross-origin.
  await page.goto(other.target.replace('127.0.0.1', 'localhost') + 'control.html');
  const result = await runProbe(page, 'unsealed');
  assert.deepEqual(result.outcome, { fetch: 'reached: leaked', import: 'reached: leaked', websocket: 'failed: error event', eventsource: 'reached: leaked', beacon: 'reached' });
  const kinds = result.received.map((u) => u.slice(1).split('?')[0]);
  assert.deepEqual(kinds.sort(), ['beacon', 'eventsource', 'fetch', 'import.js', 'websocket']);
  await ctx.close();
});

/** The studio's service worker, once it is active. */
async function serviceWorker(s) {
  await s.page.evaluate(() => navigator.serviceWorker.ready);
  const [worker] = s.context.serviceWorkers();
  if (!worker) throw new Error('no service worker in the context');
  return worker;
}

test('page, compute worker and service worker are sealed, on a host sending the README headers', async () => {
  const server = await startServer();
  try {
    const s = await openStudio(browser, server.url);
    assertSealed('page', await runProbe(s.page, 'page-headers'));
    const worker = await runProbe(await computeWorker(s), 'worker-headers');
    assertSealed('compute worker', worker);
    assertGuarded(worker);
    assertSealed('service worker', await runProbe(await serviceWorker(s), 'sw-headers'));
    await s.context.close();
  } finally {
    await server.close();
  }
});

// No context may depend on its host's headers: the compute worker, which opens the studio's
// IndexedDB database, is started from a blob: URL and inherits the page's <meta> policy; the
// service worker, which can take a policy only from its own response header, carries the
// same-origin guard at the top of sw.js (and may not use import() at all).
test('page, compute worker and service worker are sealed on a host sending no CSP header', async () => {
  const server = await startServer({ csp: false });
  try {
    const s = await openStudio(browser, server.url);
    assertSealed('page', await runProbe(s.page, 'page-bare'));
    const worker = await runProbe(await computeWorker(s), 'worker-bare');
    assertSealed('compute worker', worker);
    assertGuarded(worker);
    const sw = await runProbe(await serviceWorker(s), 'sw-bare');
    assertSealed('service worker', sw);
    for (const kind of ['fetch', 'websocket']) {
      assert.match(sw.outcome[kind], /CrossOriginBlockedError: This worker of the studio may reach only its own origin/, `service worker ${kind}`);
    }
    await s.context.close();
  } finally {
    await server.close();
  }
});

// A portal page's policy is the portal's to send (README); whatever it sends, the embedded studio's
// compute worker refuses fetch, WebSocket and EventSource beyond its origin itself.
test('embedded in a portal page, the compute worker still refuses requests to another origin', async () => {
  const server = await startServer();
  try {
    const s = await openStudio(browser, new URL('/portal.html', server.url).href);
    const worker = await runProbe(await computeWorker(s), 'worker-portal');
    assertGuarded(worker);
    const kinds = worker.received.map((u) => u.slice(1).split('?')[0]);
    for (const kind of ['fetch', 'websocket', 'eventsource']) assert.ok(!kinds.includes(kind), `${kind} reached the other origin`);
    await s.context.close();
  } finally {
    await server.close();
  }
});

test('a full flow (a sample loaded, a MAP fit on WASM) requests nothing beyond the origin', async () => {
  const server = await startServer();
  try {
    const s = await openStudio(browser, server.url);
    const { page } = s;
    await page.evaluate(() => window.studio.setBackend('wasm'));
    await page.locator('[data-testid="sample-mmm-weekly.csv"]').click();
    await page.locator('[data-testid="preview-title"]', { hasText: 'mmm-weekly' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="nav-mmm"]').click();
    await page.locator('[data-testid="method"]').selectOption('map');
    await page.locator('[data-testid="fit"]').click();
    await waitForResult(s, '[data-testid="mmm-results"]', FIT_TIMEOUT_MS);
    assert.equal((await page.evaluate(() => window.studio.backend())).name, 'wasm');
    const origin = new URL(server.url).origin;
    // The page, both workers and the WASM binaries were all fetched from the origin, and nothing else.
    assert.ok(s.requests.some((u) => u.endsWith('.wasm')), `the WASM binaries were requested: ${s.requests}`);
    assert.ok(s.requests.some((u) => u.includes('compute.worker')), 'the compute worker bundle was requested');
    const elsewhere = s.requests.filter((u) => new URL(u).origin !== origin && !/^(blob|data):/.test(u));
    assert.deepEqual(elsewhere, []);
    assert.deepEqual(s.errors, []);
    await s.context.close();
  } finally {
    await server.close();
  }
});

/** Asserts each of `paths` under `base` answers 200 with the build's CSP header. */
async function assertCspHeaders(base, paths) {
  for (const path of paths) {
    const response = await fetch(new URL(path, base));
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get('content-security-policy'), csp(), `CSP header of ${path}`);
  }
}

test('vite preview sends the CSP header on every response', async () => {
  const server = await preview({ logLevel: 'warn', preview: { port: 0, strictPort: true, open: false } });
  try {
    const assets = readdirSync(`${DIST}assets`).filter((f) => /^compute\.worker-.*\.js$|\.wasm$/.test(f));
    await assertCspHeaders(server.resolvedUrls.local[0], ['', 'index.html', 'sw.js', 'embed.js', ...assets.map((f) => `assets/${f}`)]);
  } finally {
    await server.close();
  }
});

test('the dev server sends the CSP header, and its compute worker (from a blob: URL) runs on WASM', async () => {
  const server = await createDevServer({ logLevel: 'warn', server: { port: 0, strictPort: true, open: false } });
  await server.listen();
  try {
    const url = server.resolvedUrls.local[0];
    await assertCspHeaders(url, ['', 'src/main.ts', 'src/worker/compute.worker.ts?worker_file&type=module']);
    const html = await (await fetch(url)).text();
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp()}" />`), 'the dev page has the CSP <meta> tag');
    const s = await openStudio(browser, url);
    await s.page.evaluate(() => window.studio.setBackend('wasm'));
    const { backend, values } = await s.page.evaluate(() => window.studio.selfTest());
    assert.equal(backend, 'wasm');
    assert.ok(Math.abs(values[0] - 58) < 1e-4, `${values}`);
    assertSealed('compute worker (dev)', await runProbe(await computeWorker(s), 'worker-dev'));
    await s.context.close();
  } finally {
    await server.close();
  }
});
