// tfjs runs in the compute worker on WebGPU (SwiftShader here: correctness only, never speed) and
// on WASM (binaries from our own origin), and computes the right numbers on each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStudio } from './harness.mjs';

const studio = useStudio();

// [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]; exp(0) + exp(1).
const EXPECTED = [58, 64, 139, 154, 1 + Math.E];

for (const backend of ['webgpu', 'wasm', 'cpu']) {
  test(`the worker computes on ${backend}`, async () => {
    const s = await studio.open();
    await s.page.evaluate((b) => window.studio.setBackend(b), backend);
    const active = await s.page.evaluate(() => window.studio.backend());
    assert.equal(active.name, backend);
    await s.page.locator('[data-testid="backend-choice"]').evaluate((el, b) => {
      if (el.value !== b) throw new Error(`UI shows ${el.value}`);
    }, backend);
    await s.page.locator(`[data-testid="backend"][data-backend="${backend}"]`).waitFor();
    const { backend: used, values } = await s.page.evaluate(() => window.studio.selfTest());
    assert.equal(used, backend);
    values.forEach((v, i) => assert.ok(Math.abs(v - EXPECTED[i]) < 1e-4 * Math.abs(EXPECTED[i]), `${i}: ${v}`));
    assert.deepEqual(s.foreignRequests(), []);
    await s.context.close();
  });
}

// The worker starts WebGPU in the background (seconds on SwiftShader). Work sent the moment the
// studio appears used to start a second backend switch that overtook the first: tfjs then told the
// first one `false`, it fell back to WebGL under the running job, and the job failed ("Cannot read
// properties of undefined (reading 'get')") or ran on WebGL while the header said WebGPU.
test('with only a software WebGPU adapter (SwiftShader), a default studio computes on WASM and says why', async () => {
  const s = await studio.open();
  const info = await s.page.evaluate(() => window.studio.backend());
  assert.equal(info.name, 'wasm');
  assert.match(info.detail ?? '', /webgpu: software adapter \(.*swiftshader.*\), not used unless chosen/i);
  const run = await s.page.evaluate(async () => {
    const text = 'date,y,x1\n' + Array.from({ length: 60 }, (_, k) => `${new Date(Date.UTC(2020, 0, 6 + 7 * k)).toISOString().slice(0, 10)},${100 + k + (k % 5)},${(k * 7) % 10}`).join('\n');
    const ds = await window.studio.loadCsv({ name: 'default.csv', text });
    return window.studio.fit({ dataset: ds.id, model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] }, inference: { method: 'map' } });
  });
  assert.equal(run.backend, 'wasm');
  // The header says the choice is automatic and where it landed.
  assert.equal(await s.page.locator('[data-testid="backend-choice"]').inputValue(), 'auto');
  await s.page.locator('[data-testid="backend"][data-backend="wasm"]').waitFor();
  assert.equal((await s.page.evaluate(() => window.studio.backend())).automatic, true);
  // Choosing a backend pins it; 'auto' goes back to the measured choice.
  await s.page.evaluate(() => window.studio.setBackend('cpu'));
  assert.deepEqual(await s.page.evaluate(() => window.studio.backend().then((b) => [b.name, b.automatic])), ['cpu', false]);
  await s.page.locator('[data-testid="backend-choice"]').selectOption('auto');
  await s.page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.getAttribute('data-backend') === 'wasm');
  assert.equal((await s.page.evaluate(() => window.studio.backend())).automatic, true);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('work sent before the WebGPU start-up has finished waits for it and runs on WebGPU; no switch under a fit', async () => {
  const s = await studio.open();
  // WebGPU chosen once (the choice is kept): the next start begins on it, in the background.
  await s.page.evaluate(() => window.studio.setBackend('webgpu'));
  await s.page.reload();
  await s.page.waitForFunction(() => window.studio !== undefined, undefined, { timeout: 60_000 });
  const result = await s.page.evaluate(async () => {
    const check = await window.studio.selfTest();
    const text = 'date,y,x1\n' + Array.from({ length: 60 }, (_, k) => `${new Date(Date.UTC(2020, 0, 6 + 7 * k)).toISOString().slice(0, 10)},${100 + k + (k % 5)},${(k * 7) % 10}`).join('\n');
    const info = await window.studio.loadCsv({ name: 'early.csv', text });
    const fit = window.studio.fit({ dataset: info.id, model: 'mmm', columns: { date: 'date', target: 'y', channels: ['x1'] }, inference: { method: 'map' } });
    // A backend switch under the running fit is refused.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const switchDuringFit = await window.studio.setBackend('wasm').then(() => 'switched', (e) => e.message);
    const run = await fit;
    return { check, fittedOn: run.backend, header: (await window.studio.backend()).name, switchDuringFit };
  });
  assert.match(result.switchDuringFit, /A fit is running; wait for it or cancel it/);
  assert.equal(result.check.backend, 'webgpu');
  result.check.values.forEach((v, i) => assert.ok(Math.abs(v - EXPECTED[i]) < 1e-4 * Math.abs(EXPECTED[i]), `${i}: ${v}`));
  assert.equal(result.fittedOn, 'webgpu');
  assert.equal(result.header, 'webgpu');
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
