/**
 * The benchmark page (`npm run bench` opens it in headless Chromium): for each requested backend,
 * gradient evaluations per second at 1, 16, 256 and 1024 chains for a mid-size model, time to
 * R-hat < 1.01 with bulk-ESS >= 400, and the models' own targets (benchmarks.ts). Results are left
 * in `window.__benchResults` for the runner.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../../src/api/types';
import { initBackend } from '../../src/engine/backend';
import { AUTO, runBenchmarks, type BenchResults } from './benchmarks';
import { SAMPLE_PREFIX } from './model-benchmarks';

declare global {
  interface Window {
    __benchResults?: BenchResults;
  }
}

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'webgpu,wasm,webgl,cpu').split(',') as (BackendName | typeof AUTO)[];
const quick = params.has('quick');
const log = (line: string) => {
  document.getElementById('log')!.textContent += `${line}\n`;
  console.log(line);
};

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

async function selectBackend(name: BackendName | typeof AUTO): Promise<string | undefined> {
  if (name === AUTO) {
    const info = await initBackend(undefined, wasmPaths);
    console.log(`automatic choice: ${info.name}${info.detail ? ` (${info.detail})` : ''}`);
    return undefined;
  }
  const info = await initBackend(name, wasmPaths);
  return info.name === name ? undefined : (info.detail ?? `${name} unavailable`);
}

const dataDir = params.get('data') ?? '';
// Bundled samples are served at the dev server's root, reference files from test/fixtures.
const data = async (file: string) => {
  const res = await fetch(file.startsWith(SAMPLE_PREFIX) ? `/${file}` : `${dataDir}/${file}`);
  if (!res.ok) throw new Error(`Cannot read ${file} (${res.status})`);
  return res.text();
};

const modelBackends = params.get('models')?.split(',');
const only = params.get('only')?.split(',');
const kernels = params.has('kernels');
const defaults = params.has('defaults');
const workers = params.get('workers')?.split(',').map(Number);
const targets = params.has('targets');

window.__benchResults = await runBenchmarks({ backends, quick, log, selectBackend, backendName: () => tf.getBackend(), data, modelBackends, only, kernels, defaults, workers, targets });
