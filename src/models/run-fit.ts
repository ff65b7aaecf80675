/**
 * One fit, from a table and a FitSpec to a RunResult: the model's prepare, the engine's MAP or
 * ChEES-HMC, diagnostics, the model's outputs and a compact trace for trace and rank plots. Pure
 * of storage and DOM, so the worker and the Node tests run the same path.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../api/errors';
import type { FitSpec, ParameterSummary, Progress, RunDiagnostics, RunResult } from '../api/types';
import type { Table } from '../data/table';
import { summarize } from '../engine/diagnostics';
import { laplaceFit, type LaplaceFit } from '../engine/laplace';
import { createRng } from '../engine/rng';
import { runawayDraws } from '../engine/runaway';
import { sample } from '../engine/sample';
import { compactTrace } from '../engine/trace';
import { createYielder } from '../engine/yield';
import type { Posterior } from '../engine/types';
import { findModel } from './registry';

/** Draws taken from the Laplace approximation for a MAP fit (read as 4 chains of 250 iid draws). */
export const LAPLACE_DRAWS = 1000;

export const INFERENCE_LIMITS = {
  chains: [1, 4096],
  warmup: [0, 20000],
  // R-hat needs 4 draws per chain (RHAT_MIN_DRAWS); fewer would make a run that cannot be checked.
  draws: [4, 20000],
} as const;

export const INFERENCE_DEFAULTS = { chains: 32, warmup: 400, draws: 250, seed: 1 } as const;

export interface FitContext {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

function intSetting(value: unknown, name: keyof typeof INFERENCE_LIMITS, fallback: number): number {
  if (value === undefined) return fallback;
  const [lo, hi] = INFERENCE_LIMITS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new InputError(`inference.${name} must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Fits `spec` on `table` and returns the run (not stored). */
export async function runFit(
  table: Table,
  datasetId: string,
  spec: FitSpec,
  id: string,
  backend: string,
  ctx: FitContext = {},
): Promise<RunResult> {
  const start = performance.now();
  const definition = findModel(spec.model);
  const method = spec.inference?.method ?? 'mcmc';
  if (method !== 'mcmc' && method !== 'map') {
    throw new InputError(`inference.method "${String(method)}" is not available; use "mcmc" (full posterior) or "map" (mode + Laplace approximation).`);
  }
  const chains = intSetting(spec.inference?.chains, 'chains', INFERENCE_DEFAULTS.chains);
  const warmup = intSetting(spec.inference?.warmup, 'warmup', INFERENCE_DEFAULTS.warmup);
  const draws = intSetting(spec.inference?.draws, 'draws', INFERENCE_DEFAULTS.draws);
  const seed = spec.inference?.seed ?? INFERENCE_DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new InputError('inference.seed must be a number.');

  // Model constants (data tensors) live in this scope and are released when the fit ends.
  tf.engine().startScope();
  try {
    const prepared = definition.prepare(table, spec);
    const report = ctx.onProgress;
    let posterior: Posterior;
    let divergences = 0;
    let warmupMs: number | undefined;
    let samplingMs: number | undefined;
    let laplace: LaplaceFit | undefined;
    if (method === 'map') {
      laplace = await laplaceFit(prepared.model, { n: LAPLACE_DRAWS, normal: createRng(seed).normal, signal: ctx.signal, onProgress: report });
      posterior = laplace.posterior;
    } else {
      const result = await sample(prepared.model, { chains, warmup, draws, seed, signal: ctx.signal, onProgress: report });
      posterior = result.posterior;
      divergences = result.divergences;
      warmupMs = result.warmupMs;
      samplingMs = result.samplingMs;
    }
    // Diagnostics and outputs are synchronous CPU work (seconds on large data): a cancel that came
    // during sampling or diagnostics ends the fit here instead of after them.
    await stopIfAborted(ctx.signal);
    report?.({ phase: 'diagnostics', iteration: 0, total: 1 });
    const parameters = summarize(posterior);
    // Chains gone off to infinity (MCMC; a MAP run's mode is checked in its Laplace check).
    const runaway = laplace ? [] : runawayDraws(posterior);
    if (laplace) laplace.posterior.names.forEach((name, i) => (parameters[name].mode = laplace.mode[i]));
    const trace = compactTrace(posterior, parameters);
    await stopIfAborted(ctx.signal);
    report?.({ phase: 'outputs', iteration: 0, total: 1 });
    const raw = prepared.outputs(posterior);
    const nonFinite: string[] = [];
    const outputs = sanitize(raw, '', nonFinite) as Record<string, unknown>;
    if (nonFinite.length) {
      const warnings = Array.isArray(outputs.warnings) ? (outputs.warnings as string[]) : [];
      warnings.push(`Some outputs could not be computed (not finite) and are left blank: ${nonFinite.slice(0, 5).join(', ')}${nonFinite.length > 5 ? ', …' : ''}.`);
      outputs.warnings = warnings;
    }
    return {
      id,
      model: spec.model,
      datasetId,
      createdAt: new Date().toISOString(),
      backend,
      spec,
      timings: { totalMs: performance.now() - start, ...(warmupMs !== undefined ? { warmupMs, samplingMs } : {}) },
      diagnostics: {
        chains: posterior.chains,
        draws: posterior.draws,
        ...worst(parameters),
        divergences,
        ...(laplace ? { laplace: laplace.check } : {}),
        ...(runaway.length ? { runaway } : {}),
      },
      parameters,
      outputs,
      trace,
    };
  } finally {
    tf.engine().endScope();
  }
}

/** Lets a queued cancel message reach the signal (one task), then throws its reason if it did. */
async function stopIfAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await createYielder(0)();
  signal.throwIfAborted();
}

/**
 * The worst of each statistic over the parameters where it is finite (one NaN would hide all the
 * others), and the parameters where R-hat is not, which the run reports by name.
 */
function worst(parameters: Record<string, ParameterSummary>): Pick<RunDiagnostics, 'rhatMax' | 'essBulkMin' | 'essTailMin' | 'notComputable'> {
  const all = Object.values(parameters);
  const finite = (stat: 'rhat' | 'essBulk' | 'essTail') => all.map((p) => p[stat]).filter(Number.isFinite);
  return {
    rhatMax: Math.max(...finite('rhat')),
    essBulkMin: Math.min(...finite('essBulk')),
    essTailMin: Math.min(...finite('essTail')),
    notComputable: Object.entries(parameters)
      .filter(([, p]) => !Number.isFinite(p.rhat))
      .map(([name]) => name),
  };
}

/**
 * A JSON-safe copy: typed arrays become plain arrays, non-finite numbers become null (their paths
 * collected), so neither IndexedDB nor the UI ever sees NaN.
 */
export function sanitize(value: unknown, path: string, nonFinite: string[]): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    nonFinite.push(path || '(root)');
    return null;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (v, i) => sanitize(v, `${path}[${i}]`, nonFinite));
  }
  if (Array.isArray(value)) return value.map((v, i) => sanitize(v, `${path}[${i}]`, nonFinite));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v, path ? `${path}.${k}` : k, nonFinite)]));
  }
  return value;
}
