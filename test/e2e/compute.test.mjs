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
    await s.page.locator('[data-testid="backend"]').evaluate((el, b) => {
      if (el.value !== b) throw new Error(`UI shows ${el.value}`);
    }, backend);
    const { backend: used, values } = await s.page.evaluate(() => window.studio.selfTest());
    assert.equal(used, backend);
    values.forEach((v, i) => assert.ok(Math.abs(v - EXPECTED[i]) < 1e-4 * Math.abs(EXPECTED[i]), `${i}: ${v}`));
    assert.deepEqual(s.foreignRequests(), []);
    await s.context.close();
  });
}
