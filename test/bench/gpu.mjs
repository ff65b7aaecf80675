// `npm run bench:gpu`: the engine in Node on a GPU through Dawn (the `webgpu` package, a
// devDependency) with tfjs's WebGPU backend. Prints which adapter Dawn gave (a software adapter is
// named as such, never as a GPU), then gradients/s of the hot models at 1-4,096 chains, time to
// R-hat < 1.01 and bulk-ESS >= 400 on BG/NBD over CDNOW_master and on the MMM sample, and the peak
// GPU memory, as Markdown. A time guard (default 9.5 minutes in all) stops further rows and prints
// what was measured.
//
// Usage: node test/bench/gpu.mjs [--quick] [--wasm] [--minutes=9.5] [--dawn=option,option]
//   --quick     small sizes (1 and 8 chains; BG/NBD on the CDNOW sample; one very short sampling run
//               per model; 5 minutes): checks the script end to end, e.g. on a software adapter.
//               Also BENCH_QUICK=1.
//   --minutes=M the time guard (default 9.5, quick 5).
//   --wasm      also run the same rows on tfjs's WASM backend afterwards, as a same-machine baseline
//               (the time budget is split between the two).
//   --dawn=...  options for Dawn's `create` (e.g. backend=vulkan, adapter=NAME; see the package's README).
// Without a GPU, Chromium's SwiftShader Vulkan driver gives a software adapter to check the script:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npm run bench:gpu -- --quick
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { createServer } from 'vite';

const started = Date.now();
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const withWasm = process.argv.includes('--wasm');
const minutes = Number(arg('minutes') ?? (quick ? 5 : 9.5));
const dawnOptions = arg('dawn')?.split(',').filter(Boolean) ?? [];
const root = new URL('../..', import.meta.url).pathname;

// Dawn prints an error for each Wayland/X probe when XDG_RUNTIME_DIR is unset; it is not needed.
process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
const gpu = create(dawnOptions);
// tfjs's WebGPU backend registers itself on import only where `navigator.gpu` exists (its README's
// Node set-up); Node 21+ has a read-only `navigator`, hence defineProperty.
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) {
  console.error(`Dawn found no WebGPU adapter (options: ${JSON.stringify(dawnOptions)}). Its messages, if any, are above.`);
  console.error('Without a GPU, Chromium\'s SwiftShader Vulkan driver gives a software adapter: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
  process.exit(1);
}
const info = adapter.info;
const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
// Dawn's 'null' backend answers with an adapter that names nothing: no GPU to measure either.
const software = info.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i.test(name) || !name;
const adapterLine = `vendor "${info.vendor}", architecture "${info.architecture}", description "${info.description}", isFallbackAdapter ${info.isFallbackAdapter}`;
const kind = !name
  ? 'unidentified adapter (no vendor, architecture or description), not counted as a GPU'
  : software
    ? `software adapter (${name}), not a GPU`
    : `GPU: ${name}`;
console.log(`Adapter: ${adapterLine}`);
console.log(software ? `Not a GPU: ${kind}. The numbers below do not measure GPU speed.` : `Measuring on ${kind}.`);

const runs = [];
const server = await createServer({ root, configFile: `${root}vite.config.ts`, server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
try {
  const { initBackend } = await server.ssrLoadModule('/src/engine/backend.ts');
  const { runGpuBenchmarks } = await server.ssrLoadModule('/test/bench/gpu-benchmarks.ts');
  const data = (file) => readFile(file.startsWith('samples/') ? `${root}public/${file}` : `${root}test/fixtures/${file}`, 'utf8');
  const backends = withWasm ? ['webgpu', 'wasm'] : ['webgpu'];
  const budgetEnd = started + minutes * 60_000;
  // A row in progress is aborted at its deadline, but a single long kernel call cannot be: 20 s
  // after the budget, print what was measured and exit whatever is still running.
  setTimeout(() => {
    console.log(`\nTime guard: ${minutes} min + 20 s passed; printing what was measured and stopping.`);
    console.log(render(runs));
    process.exit(0);
  }, budgetEnd + 20_000 - Date.now()).unref();
  for (const [i, backend] of backends.entries()) {
    const got = await initBackend(backend);
    if (got.name !== backend) {
      console.error(`tfjs could not start ${backend} (${got.detail ?? 'no detail'}); it started ${got.name}. Not measured.`);
      if (backend === 'webgpu') process.exit(1);
      continue;
    }
    // Each backend gets an equal share of what is left of the budget.
    const deadline = Date.now() + (budgetEnd - Date.now()) / (backends.length - i);
    const label = backend === 'webgpu' ? `webgpu (${!name ? 'unidentified adapter' : software ? `software: ${name}` : name})` : backend;
    console.log(`\n${label}: measuring until ${new Date(deadline).toISOString()}${quick ? ' (quick)' : ''}`);
    const results = { gradients: [], convergence: [], skipped: [] };
    runs.push({ label, backend, results });
    await runGpuBenchmarks({ quick, deadline, data, log: (line) => console.log(`  ${line}`) }, results);
  }
  console.log(render(runs));
} finally {
  await server.close();
}
// Dawn's device keeps the event loop alive.
process.exit(0);

function fmt(v, digits = 3) {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v).toLocaleString('en-US', { maximumSignificantDigits: digits });
}

function render(runs) {
  const lines = [
    '',
    `## GPU benchmark (\`npm run bench:gpu\`${quick ? ' -- --quick' : ''}), ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; adapter: ${adapterLine} (${kind}).`,
    '',
    '| backend | model | chains | log-density+gradient calls / s | chain-gradients / s |',
    '|---|---|---:|---:|---:|',
  ];
  for (const { label, results } of runs) for (const r of results.gradients) lines.push(`| ${label} | ${r.model} | ${r.chains} | ${fmt(r.evalsPerSec)} | ${fmt(r.chainGradsPerSec)} |`);
  lines.push('', '| backend | model | chains | warm-up | draws/chain | seconds | R-hat max | bulk-ESS min | reached |', '|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const { label, results } of runs) {
    for (const r of results.convergence) lines.push(`| ${label} | ${r.model} | ${r.chains} | ${r.warmup} | ${r.draws} | ${fmt(r.seconds)} | ${fmt(r.rhatMax, 4)} | ${fmt(r.essBulkMin)} | ${r.reached ? 'yes' : 'no'} |`);
  }
  lines.push('');
  for (const { label, backend, results } of runs) {
    const p = results.peakBytes;
    if (backend === 'webgpu') {
      lines.push(p
        ? `Peak GPU memory on ${label}: ${fmt(p.allocated / 2 ** 20)} MiB in tfjs's WebGPU buffer pool (\`tf.memory().numBytesAllocatedInGPU\`: buffers in use plus freed buffers kept for reuse; ${fmt(p.inUse / 2 ** 20)} MiB in use at that moment), polled every 20 ms and after each row; Dawn's own allocations (pipelines, staging) are not included.`
        : `Peak GPU memory on ${label}: not reported by the backend.`);
    }
    for (const s of results.skipped) lines.push(`- not measured on ${label}: ${s}`);
  }
  lines.push('', `Total ${((Date.now() - started) / 1000).toFixed(0)} s (time guard ${minutes} min).`);
  return lines.join('\n');
}
