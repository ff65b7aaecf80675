/**
 * tfjs backend choice: WebGPU -> WebGL -> WASM -> CPU, each tried only where it can work, so the
 * same engine runs in a browser worker, in Node tests (cpu) and in Node benchmarks (Dawn WebGPU).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../api/types';

/** Preference order when the user has not chosen a backend. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** URLs of the three tfjs WASM binaries, served from our own origin (never a CDN). */
export interface WasmPaths {
  'tfjs-backend-wasm.wasm': string;
  'tfjs-backend-wasm-simd.wasm': string;
  'tfjs-backend-wasm-threaded-simd.wasm': string;
}

export interface BackendInfo {
  name: BackendName;
  /** Adapter / renderer description, or why a preferred backend was skipped. */
  detail?: string;
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

let registered: Promise<void> | undefined;

/** Registers the optional backends once; their modules self-register with tfjs on import. */
function registerBackends(wasmPaths?: WasmPaths): Promise<void> {
  registered ??= (async () => {
    await import('@tensorflow/tfjs-backend-webgpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths) wasm.setWasmPaths(wasmPaths);
    // tfjs's threaded WASM build starts its pthread workers from the stringified Emscripten module,
    // which does not survive bundling ("e is not defined" in the worker): run the SIMD build on one
    // thread. The compute worker already keeps the page responsive.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  })();
  return registered;
}

function gpu(): GpuLike | undefined {
  return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
}

/** Why `name` cannot run here, or undefined when it may. Cheap checks only; setBackend is the real test. */
async function unavailableReason(name: BackendName, wasmPaths?: WasmPaths): Promise<string | undefined> {
  switch (name) {
    case 'webgpu': {
      const g = gpu();
      if (!g) return 'WebGPU is not exposed by this browser';
      const adapter = await g.requestAdapter();
      if (!adapter) return 'WebGPU returned no adapter';
      return undefined;
    }
    case 'webgl':
      return typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined'
        ? 'WebGL needs a canvas'
        : undefined;
    case 'wasm':
      return wasmPaths || typeof process !== 'undefined' ? undefined : 'no WASM binaries configured';
    case 'cpu':
      return undefined;
  }
}

async function adapterDetail(): Promise<string | undefined> {
  const adapter = await gpu()?.requestAdapter();
  const info = adapter?.info;
  if (!info) return undefined;
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || undefined;
}

/** The backend switch in progress (or the last one): switches run one after another. */
let switching: Promise<unknown> = Promise.resolve();

/**
 * Activates `preferred` if it works here, else the first working backend after it in BACKEND_ORDER.
 * Every skipped backend's reason is kept in `detail`, so the UI can say why it is not on WebGPU.
 *
 * Calls are serialised: tfjs answers `false` to a `setBackend` whose asynchronous initialisation
 * (WebGPU's) was overtaken by another one, so two overlapping calls (the worker's start-up and a
 * first fit sent before it finished) would make the first give up on WebGPU and switch to WebGL
 * under the second one's running fit.
 */
export function initBackend(preferred?: BackendName, wasmPaths?: WasmPaths): Promise<BackendInfo> {
  const next = switching.then(() => initBackendNow(preferred, wasmPaths));
  switching = next.catch(() => undefined);
  return next;
}

async function initBackendNow(preferred?: BackendName, wasmPaths?: WasmPaths): Promise<BackendInfo> {
  await registerBackends(wasmPaths);
  const start = preferred ? BACKEND_ORDER.indexOf(preferred) : 0;
  const candidates = preferred ? [preferred, ...BACKEND_ORDER.slice(start + 1)] : BACKEND_ORDER;
  const skipped: string[] = [];
  for (const name of candidates) {
    const reason = await unavailableReason(name, wasmPaths);
    if (reason) {
      skipped.push(`${name}: ${reason}`);
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        const detail = name === 'webgpu' ? await adapterDetail() : undefined;
        return { name, detail: [detail, ...skipped].filter(Boolean).join('; ') || undefined };
      }
      skipped.push(`${name}: failed to initialise`);
    } catch (error) {
      skipped.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`No tfjs backend could start (${skipped.join('; ')})`);
}

/** The active backend's name. */
export function activeBackend(): BackendName {
  return tf.getBackend() as BackendName;
}

interface LostInfoLike {
  reason?: string;
  message?: string;
}

/**
 * Resolves with the reason when the active WebGPU device is lost; never resolves on other backends.
 * tfjs does not watch for this itself: after a loss its readbacks may never settle.
 */
export function gpuDeviceLost(): Promise<string> {
  const device = (tf.backend() as { device?: { lost?: Promise<LostInfoLike> } } | undefined)?.device;
  if (activeBackend() !== 'webgpu' || !device?.lost) return new Promise(() => {});
  return device.lost.then((info) => [info.reason, info.message].filter(Boolean).join(': ') || 'unknown reason');
}
