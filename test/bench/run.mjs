// `npm run bench`: serves the benchmark page with Vite, runs it in headless Debian Chromium (the same
// flags as the browser tests), and writes the results into BENCHMARKS.md with the machine described.
// Usage: node test/bench/run.mjs [backend,backend...|auto] [--quick] [--models=wasm,...] [--only=DiD,...] [--kernels] [--defaults] [--targets] [--workers=1,2]
// With --only (model benchmarks by name), --kernels (the hot models' kernels per log-density +
// gradient call and time per call at 8, 64, 512 chains), --defaults (the default run of each bundled
// sample and reference data set: its verdict and time; with --only, those of the models or files named,
// e.g. --defaults --only=gammagamma,donations.csv) or --targets (the hardware issue's four speed targets,
// default runs; with `auto` as the backend, the studio's automatic choice) the results are printed, and
// BENCHMARKS.md is left as it is.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';
import { createServer } from 'vite';
import { launchBrowser, CHROMIUM } from '../e2e/harness.mjs';
import { renderMarkdown } from './report.mjs';
import { FIXTURES_DIR } from '../fixtures/read.mjs';

const root = new URL('../..', import.meta.url).pathname;
const backends = (process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'webgpu,wasm,webgl,cpu').split(',');
const quick = process.argv.includes('--quick');
const models = process.argv.find((a) => a.startsWith('--models='))?.slice('--models='.length);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const kernels = process.argv.includes('--kernels');
// --workers=1,2: the default runs (--defaults) through the studio's compute workers, once per count.
const workers = process.argv.find((a) => a.startsWith('--workers='))?.slice('--workers='.length);
const targets = process.argv.includes('--targets');
const defaults = process.argv.includes('--defaults') || workers !== undefined;

const dataDir = FIXTURES_DIR.replace(/\/$/, '');
const server = await createServer({
  root,
  configFile: `${root}vite.config.ts`,
  server: { port: 0, host: '127.0.0.1', fs: { allow: [root, dataDir] } },
  logLevel: 'error',
});
await server.listen();
const { port } = server.httpServer.address();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e}`));
  const url = `http://127.0.0.1:${port}/test/bench/index.html?backends=${backends.join(',')}${quick ? '&quick=1' : ''}&data=/@fs${dataDir}${models ? `&models=${models}` : ''}${only ? `&only=${encodeURIComponent(only)}` : ''}${kernels ? '&kernels=1' : ''}${defaults ? '&defaults=1' : ''}${workers ? `&workers=${workers}` : ''}${targets ? '&targets=1' : ''}`;
  await page.goto(url);
  const results = await page.waitForFunction(() => window.__benchResults, undefined, { timeout: 0, polling: 1000 }).then((h) => h.jsonValue());
  const machine = {
    cpu: `${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    browser: execSync(`${CHROMIUM} --version`).toString().trim(),
    date: new Date().toISOString().slice(0, 10),
  };
  const markdown = renderMarkdown({ machine, results, environment: 'headless Chromium (browser)' });
  if (!only && !kernels && !defaults && !targets) writeFileSync(`${root}BENCHMARKS.md`, markdown);
  console.log(markdown);
} finally {
  await browser.close();
  await server.close();
}
