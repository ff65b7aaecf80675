// Browser-test harness: a static server for the production build (under a sub-path, with the
// headers the README asks hosts to send: CSP, COOP, COEP) and Debian's Chromium driven by playwright-core.
// Every request the page makes is recorded so tests can prove nothing leaves localhost.
import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DIST = new URL('../../dist/', import.meta.url).pathname;
export const BASE_PATH = '/studio/sub/';

/** The Content-Security-Policy that README.md ("Embedding in a portal") tells a portal to send. */
export const PORTAL_CSP = readmePortalCsp();

function readmePortalCsp() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /<!-- portal-csp -->\s*```[a-z]*\n(?:Content-Security-Policy: )?([^\n]+)\n```/.exec(readme);
  if (!match) throw new Error('README.md has no portal Content-Security-Policy block (marked <!-- portal-csp -->)');
  return match[1].trim();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Installs Debian's chromium when missing (as root), else explains how. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() === 0) {
    execSync('apt-get update && apt-get install -y chromium', { stdio: 'inherit' });
    if (existsSync(CHROMIUM)) return;
  }
  throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium`);
}

/**
 * The headers the build asks its host to send on every response, read from `dist/_headers` (the
 * file Netlify- and Cloudflare-Pages-style hosts apply; vite.config.ts writes it from src/csp.ts):
 * Content-Security-Policy, COOP and COEP.
 */
export function hostHeaders() {
  const file = join(DIST, '_headers');
  if (!existsSync(file)) throw new Error('dist/_headers is missing: run `npm run build` first');
  const headers = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s+([\w-]+):\s*(.+)$/.exec(line);
    if (match) headers[match[1]] = match[2].trim();
  }
  if (!headers['Content-Security-Policy']) throw new Error('dist/_headers has no Content-Security-Policy');
  return headers;
}

/** The studio's Content-Security-Policy, as the build ships it (for a page that embeds the studio). */
export const csp = () => hostHeaders()['Content-Security-Policy'];

/**
 * Serves dist/ under BASE_PATH on a free localhost port, with the headers of `dist/_headers` as a
 * host following the README does; `{ csp: false }` leaves out the Content-Security-Policy header (a
 * host that sends none: the page then has only its `<meta>` tag, and worker scripts no policy at all).
 */
export async function startServer({ csp: sendCsp = true } = {}) {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const { 'Content-Security-Policy': policy, ...isolation } = hostHeaders();
  const fileHeaders = sendCsp ? { ...isolation, 'Content-Security-Policy': policy } : isolation;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/portal.html' || url.pathname === '/portal.js') {
      // A host page of another app on the same origin that embeds the studio with mountStudio, with
      // the Content-Security-Policy the README tells portals to send (so its script is a file, not
      // inline).
      const html = url.pathname === '/portal.html';
      res.writeHead(200, {
        'Content-Type': html ? 'text/html; charset=utf-8' : 'text/javascript',
        'Content-Security-Policy': PORTAL_CSP,
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      res.end(
        html
          ? `<!doctype html><html><body><h1>Portal</h1><div id="slot"></div><script type="module" src="/portal.js"></script></body></html>`
          : `import { mountStudio } from '${BASE_PATH}embed.js';\nwindow.studio = await mountStudio(document.getElementById('slot'));\n`,
      );
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // The host portal's own favicon (Chromium asks for it), not part of the studio.
      res.writeHead(204).end();
      return;
    }
    if (!url.pathname.startsWith(BASE_PATH)) {
      res.writeHead(404).end('not found');
      return;
    }
    let path = normalize(join(DIST, decodeURIComponent(url.pathname.slice(BASE_PATH.length))));
    if (!path.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      ...fileHeaders,
      'Cache-Control': 'no-cache',
    });
    res.end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${BASE_PATH}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launchBrowser() {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-angle=swiftshader',
      '--use-webgpu-adapter=swiftshader',
      // SwiftShader runs WebGPU on these 2 CPU cores: a long dispatch must not trip the GPU watchdog,
      // whose reset would lose the device mid-fit.
      '--disable-gpu-watchdog',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh browser context and page that records every request. `requests` lists URLs; call
 * `foreignRequests()` for those not to the test server.
 */
export async function openStudio(browser, baseUrl, { context } = {}) {
  const ctx = context ?? (await browser.newContext());
  const requests = [];
  const errors = [];
  // Everything the page and its workers said, for the report of a test that times out.
  const events = [];
  const started = Date.now();
  const note = (line) => {
    events.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);
    if (events.length > 200) events.shift();
  };
  ctx.on('request', (r) => requests.push(r.url()));
  const page = await ctx.newPage();
  page.on('pageerror', (e) => {
    errors.push(String(e));
    note(`pageerror ${e}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    note(`console.${m.type()} ${m.text()}`);
  });
  page.on('crash', () => note('page crashed'));
  page.on('worker', (w) => {
    note(`worker started ${w.url()}`);
    w.on('close', () => note(`worker closed ${w.url()}`));
  });
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.studio !== undefined, undefined, { timeout: 60_000 });
  const origin = new URL(baseUrl).origin;
  return {
    context: ctx,
    page,
    requests,
    errors,
    foreignRequests: () =>
      requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')),
    /** What the job bar shows now, the backend, and the recent console and worker events. */
    diagnose: () => diagnose(page, events),
  };
}

async function diagnose(page, events) {
  const state = await page
    .evaluate(async () => {
      const job = document.querySelector('[data-testid="job"]')?.textContent?.replace(/\s+/g, ' ').trim();
      const backend = await Promise.race([
        window.studio?.backend().then((b) => JSON.stringify(b)),
        new Promise((resolve) => setTimeout(() => resolve('(no answer from the worker in 5 s)'), 5000)),
      ]);
      return `job bar: ${job ?? '(none)'}\nbackend: ${backend}`;
    })
    .catch((e) => `page state unavailable: ${e}`);
  return `${state}\nevents:\n${events.slice(-40).join('\n')}`;
}

/**
 * How long a UI fit may take: about a minute on SwiftShader WebGPU here, plus the studio's own
 * recovery from a stalled worker (2 minutes without progress, then a second try).
 */
export const FIT_TIMEOUT_MS = 420_000;

/**
 * Waits for `selector` to be visible after a long job (a fit). Fails at once when the page shows an
 * error instead, and on timeout says what the page showed and what it and its workers logged, so a
 * hang in CI can be told from a slow or failed fit.
 */
export async function waitForResult(s, selector, timeout) {
  const shown = s.page.locator(`${selector}, [data-testid="error"]`).first();
  try {
    await shown.waitFor({ timeout });
  } catch (error) {
    error.message += `\n--- page diagnosis ---\n${await s.diagnose()}`;
    throw error;
  }
  const failure = s.page.locator('[data-testid="error"]');
  if (await failure.isVisible()) {
    throw new Error(`the page showed an error instead of ${selector}: ${await failure.innerText()}\n--- page diagnosis ---\n${await s.diagnose()}`);
  }
}

/**
 * One server (`serverOptions` as for startServer) and one browser for a test file's tests (registered
 * as its before/after hooks).
 * `open()` opens the studio in a fresh context; `open(url)` another page on the server (the
 * embedding portal).
 */
export function useStudio(serverOptions) {
  let server;
  let browser;
  before(async () => {
    server = await startServer(serverOptions);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      return server.url;
    },
    open: (url = server.url) => openStudio(browser, url),
  };
}

/**
 * The number of elements matching `selector` once it reaches `n` (or after `timeout` ms): lists fill
 * in after the store answers, a moment after the action that changed them.
 */
export async function countWhenSettled(page, selector, n, timeout = 10_000) {
  await page.waitForFunction(([sel, k]) => document.querySelectorAll(sel).length === k, [selector, n], { timeout }).catch(() => {});
  return page.locator(selector).count();
}
