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
  /**
   * The measured speeds behind an automatic choice ("wasm: 840 gradients/s, webgl: 310/s"), once a
   * fit has measured them.
   */
  rates?: string;
  /** True when no backend was chosen by the user (the worker reports it; the engine leaves it out). */
  automatic?: boolean;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  /** WebGPU's flag for a software (fallback) adapter (Chromium 130+). */
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

/** Names of software renderers: a GPU backend on one of them computes on the CPU, through a rasteriser. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/** A backend that can run here, and whether it is a software GPU. */
export interface BackendCandidate {
  readonly name: BackendName;
  readonly software: boolean;
  /** The adapter or renderer, where known. */
  readonly detail?: string;
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

/** Whether a WebGPU adapter is a software one: flagged as the fallback adapter, or named so. */
export function isSoftwareAdapter(adapter: { info?: AdapterInfoLike; isFallbackAdapter?: boolean }): boolean {
  const info = adapter.info ?? {};
  if (info.isFallbackAdapter || adapter.isFallbackAdapter) return true;
  return SOFTWARE_RENDERER.test([info.vendor, info.architecture, info.description].filter(Boolean).join(' '));
}

/** The WebGL renderer's name (unmasked where the browser allows), without starting tfjs's WebGL backend. */
function webglRenderer(): string | undefined {
  if (typeof OffscreenCanvas === 'undefined') return undefined;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return undefined;
  }
}

/**
 * The backends that can run here, in BACKEND_ORDER, each marked software or not. Cheap checks (an
 * adapter request, a 1x1 canvas), no tfjs start-up: `initBackend` is the real test.
 */
export async function backendCandidates(wasmPaths?: WasmPaths): Promise<BackendCandidate[]> {
  const out: BackendCandidate[] = [];
  for (const name of BACKEND_ORDER) {
    if (await unavailableReason(name, wasmPaths)) continue;
    if (name === 'webgpu') {
      const adapter = await gpu()?.requestAdapter();
      if (!adapter) continue;
      const info = adapter.info;
      const detail = info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || undefined : undefined;
      out.push({ name, software: isSoftwareAdapter(adapter), detail });
    } else if (name === 'webgl') {
      const renderer = webglRenderer();
      out.push({ name, software: renderer !== undefined && SOFTWARE_RENDERER.test(renderer), detail: renderer });
    } else {
      out.push({ name, software: false });
    }
  }
  return out;
}

/**
 * The order to try backends in when the user has not chosen one: GPUs on hardware first, then WASM
 * and the CPU, and a software GPU only when none of those starts.
 */
export function automaticOrder(candidates: readonly BackendCandidate[]): BackendName[] {
  const gpus = candidates.filter((c) => (c.name === 'webgpu' || c.name === 'webgl') && !c.software).map((c) => c.name);
  const cpuSide = candidates.filter((c) => c.name === 'wasm' || c.name === 'cpu').map((c) => c.name);
  const software = candidates.filter((c) => c.software).map((c) => c.name);
  return [...gpus, ...cpuSide, ...software];
}

/** The backend switch in progress (or the last one): switches run one after another. */
let switching: Promise<unknown> = Promise.resolve();

/**
 * Activates `preferred` if it works here, else the first working backend after it in BACKEND_ORDER;
 * with no preference, the first that starts in `automaticOrder` (a software GPU last). Every
 * skipped backend's reason is kept in `detail`, so the UI can say why it is not on WebGPU.
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
  const found = preferred ? [] : await backendCandidates(wasmPaths);
  const candidates = preferred ? [preferred, ...BACKEND_ORDER.slice(start + 1)] : automaticOrder(found);
  const skipped: string[] = [];
  const softwareNote = (name: BackendName) => {
    const c = found.find((f) => f.name === name && f.software);
    return c ? `${name}: software adapter${c.detail ? ` (${c.detail})` : ''}, not used unless chosen` : undefined;
  };
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
        const passedOver = candidates.slice(candidates.indexOf(name) + 1).map(softwareNote);
        return { name, detail: [detail, ...skipped, ...passedOver].filter(Boolean).join('; ') || undefined };
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
