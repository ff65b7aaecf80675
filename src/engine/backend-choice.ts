/**
 * Choosing the backend by measurement: a fit's own log density and gradient are timed on each
 * backend that can run here, at the fit's chain count, and the fastest is used. A software GPU
 * (SwiftShader, a fallback adapter) is never chosen while another backend runs: it draws on the
 * same CPU as WASM, through a rasteriser, and is slower by one or two orders of magnitude (see
 * BENCHMARKS.md).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../api/types';
import { logpAndGrad } from './gradient';
import type { CompiledModel } from './types';

/** One backend's measured speed on one model. */
export interface BackendRate {
  readonly name: BackendName;
  /** Log-density + gradient calls per second at the measured chain count (0: it failed). */
  readonly callsPerSecond: number;
  /** A software GPU (SwiftShader, a fallback adapter): never chosen while another backend runs. */
  readonly software: boolean;
  /** The adapter's description, or why the measurement failed. */
  readonly detail?: string;
}

/** A measurement kept for a device, model family and chain count. */
export interface BackendMeasurement {
  readonly rates: readonly BackendRate[];
  readonly chosen: BackendName;
  /** ISO time of the measurement. */
  readonly at: string;
}

/**
 * The backend to fit on: the fastest hardware (or CPU-side) backend that ran; a software GPU only
 * when nothing else did. Throws when no backend ran at all.
 */
export function chooseBackend(rates: readonly BackendRate[]): BackendName {
  const ran = rates.filter((r) => r.callsPerSecond > 0);
  const pool = ran.some((r) => !r.software) ? ran.filter((r) => !r.software) : ran;
  if (pool.length === 0) throw new Error(`No backend ran the model (${rates.map((r) => `${r.name}: ${r.detail ?? 'failed'}`).join('; ')}).`);
  return pool.reduce((best, r) => (r.callsPerSecond > best.callsPerSecond ? r : best)).name;
}

/** What the header shows: "wasm: 840 gradients/s, webgpu (SwiftShader, software): 31/s". */
export function describeRates(rates: readonly BackendRate[]): string {
  const sorted = [...rates].sort((a, b) => b.callsPerSecond - a.callsPerSecond);
  return sorted
    .map((r, i) => {
      const label = r.software ? `${r.name} (${r.detail ? `${r.detail}, ` : ''}software)` : r.name;
      const rate = r.callsPerSecond > 0 ? `${formatRate(r.callsPerSecond)}${i === 0 ? ' gradients/s' : '/s'}` : `failed${r.detail ? ` (${r.detail})` : ''}`;
      return `${label}: ${rate}`;
    })
    .join(', ');
}

function formatRate(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(2);
}

/** Calls timed per backend: the first two (kernel compilation, uploads) are not counted. */
export const PROBE_WARMUP_CALLS = 2;
export const PROBE_MAX_CALLS = 40;
/** Stop timing a backend after this long, however few calls it made (a software GPU is slow). */
export const PROBE_MAX_MS = 1500;

/**
 * Log-density + gradient calls per second of `model` at `chains` chains on the active backend,
 * each call read back (so the time includes the device round trip a sampler pays per step).
 * Positions are small random points around 0 in the unconstrained space, where every model here
 * is finite.
 */
export async function timeGradients(model: CompiledModel, chains: number, maxMs = PROBE_MAX_MS): Promise<number> {
  const theta = tf.tidy(() => tf.mul(0.1, tf.randomNormal([chains, model.dim], 0, 1, 'float32', 7)) as tf.Tensor2D);
  const once = async () => {
    const { logp, grad } = logpAndGrad(model, theta);
    await Promise.all([logp.data(), grad.data()]);
    tf.dispose([logp, grad]);
  };
  try {
    for (let i = 0; i < PROBE_WARMUP_CALLS; i++) await once();
    const t0 = performance.now();
    let calls = 0;
    while (calls < PROBE_MAX_CALLS && (calls === 0 || performance.now() - t0 < maxMs)) {
      await once();
      calls++;
    }
    return calls / ((performance.now() - t0) / 1000);
  } finally {
    theta.dispose();
  }
}

/**
 * Measures each candidate with `probe` (which activates that backend and times the fit's model on
 * it) and returns every rate; a candidate whose probe throws is recorded with rate 0 and the reason.
 */
export async function measureBackends(
  candidates: readonly { name: BackendName; software: boolean; detail?: string }[],
  probe: (name: BackendName) => Promise<number>,
): Promise<BackendRate[]> {
  const rates: BackendRate[] = [];
  for (const c of candidates) {
    try {
      const callsPerSecond = await probe(c.name);
      rates.push({ ...c, callsPerSecond: Number.isFinite(callsPerSecond) && callsPerSecond > 0 ? callsPerSecond : 0 });
    } catch (error) {
      rates.push({ ...c, callsPerSecond: 0, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return rates;
}
