// Runs the browser tests with node's test runner (after `npm run build`), one file at a time so
// the 2-core CI machine is not oversubscribed by several Chromiums.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ensureChromium } from './harness.mjs';

ensureChromium();
const dir = new URL('.', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => !process.argv[2] || f.includes(process.argv[2]))
  .map((f) => dir + f);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
