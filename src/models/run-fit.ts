/**
 * One fit, from a table and a FitSpec to a RunResult: the model's prepare, the engine's MAP or
 * ChEES-HMC, diagnostics, the model's outputs and a compact trace for trace and rank plots. Pure
 * of storage and DOM, so the worker and the Node tests run the same path.
 */
import * as tf from '@tensorflow/tfjs';
import type { BlockFit, ConvergenceExtension, FitSpec, ParameterSummary, Progress, RunDiagnostics, RunOutputs, RunResult } from '../api/types';
import type { Table } from '../data/table';
import { summarise } from '../engine/diagnostics';
import { laplaceFit, type LaplaceFit } from '../engine/laplace';
import { createRng } from '../engine/rng';
import { runawayDraws } from '../engine/runaway';
import { sample, type ExtendOptions, type OpenChains } from '../engine/sample';
import { compactTrace } from '../engine/trace';
import { createYielder } from '../engine/yield';
import type { CompiledModel, ParameterLayout, Posterior } from '../engine/types';
import { INFERENCE_OPTIONS } from './inference-options';
import { checkOptions } from './options';
import { findModel } from './registry';
import { extendRequest, runVerdict } from './verdict';

/** Draws taken from the Laplace approximation for a MAP fit (read as 4 chains of 250 iid draws). */
export const LAPLACE_DRAWS = 1000;

/** The inference defaults other than the method (declared in inference-options.ts). */
export const INFERENCE_DEFAULTS = {
  chains: INFERENCE_OPTIONS.chains.default,
  warmup: INFERENCE_OPTIONS.warmup.default,
  draws: INFERENCE_OPTIONS.draws.default,
  seed: INFERENCE_OPTIONS.seed.default,
  untilConverged: INFERENCE_OPTIONS.untilConverged.default,
  budgetSeconds: INFERENCE_OPTIONS.budgetSeconds.default,
} as const;

/** Most draws per chain an until-converged run keeps (planned ones included; a longer plan is kept as asked). */
export const MAX_DRAWS_PER_CHAIN = 4000;
/**
 * Most draw values (chains x draws x parameters) an until-converged run keeps in memory: 16 M
 * doubles, 128 MB; a model with many parameters or chains gets a lower cap than MAX_DRAWS_PER_CHAIN.
 */
export const MAX_KEPT_VALUES = 16_000_000;

export interface FitContext {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * Helper workers that can each run a share of an MCMC fit's chains (none: all run here). A fit
   * uses `inference.workers - 1` of them (all when unset), and never more than one per chain beyond
   * this worker's first.
   */
  peers?: readonly OpenChains[];
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
  const inference = checkOptions(INFERENCE_OPTIONS, spec.inference, 'the inference', 'inference');
  const { method, chains, warmup, draws, seed, untilConverged, budgetSeconds } = inference;
  const workers = inference.workers ?? 1 + (ctx.peers?.length ?? 0);

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
    let extension: ConvergenceExtension | undefined;
    if (method === 'map') {
      // The seed's first split stream: the one the sampler draws its Laplace starts from.
      const [start] = createRng(seed).split(1);
      laplace = await laplaceFit(prepared.model, { n: LAPLACE_DRAWS, normal: start.normal, signal: ctx.signal, onProgress: report });
      posterior = laplace.posterior;
    } else {
      const extend: ExtendOptions | undefined = untilConverged
        ? {
            startedAt: start,
            deadline: start + budgetSeconds * 1000,
            maxDraws: drawCap(chains, draws, prepared.model),
            check: (p, divergent) => extendRequest(summarise(p), divergent, p.draws),
          }
        : undefined;
      const peers = ctx.peers?.slice(0, Math.min(workers, chains) - 1);
      const result = await sample(prepared.model, { chains, warmup, draws, seed, extend, signal: ctx.signal, onProgress: report, peers });
      posterior = result.posterior;
      divergences = result.divergences;
      warmupMs = result.warmupMs;
      samplingMs = result.samplingMs;
      if (result.extension) extension = { ...result.extension, plannedDraws: draws, budgetSeconds };
    }
    // Diagnostics and outputs are synchronous CPU work (seconds on large data): a cancel that came
    // during sampling or diagnostics ends the fit here instead of after them.
    await stopIfAborted(ctx.signal);
    report?.({ phase: 'diagnostics', iteration: 0, total: 1 });
    const summaries = summarise(posterior);
    // Chains gone off to infinity (MCMC; a MAP run's mode is checked in its Laplace check).
    const runaway = laplace ? [] : runawayDraws(posterior);
    if (laplace) laplace.posterior.names.forEach((name, i) => (summaries[name].mode = laplace.mode[i]));
    // The trace keeps every block's draws (a check fit's chains can be looked at too).
    const trace = compactTrace(posterior, summaries);
    const { main: parameters, blocks: blockParameters } = splitBlocks(prepared.model, summaries);
    const diagnosticsOf = (params: Record<string, ParameterSummary>): RunDiagnostics => ({
      chains: posterior.chains,
      draws: posterior.draws,
      ...worst(params),
      divergences,
      ...(laplace ? { laplace: laplace.check } : {}),
      ...(extension ? { extension } : {}),
      ...(runaway.length ? { runaway } : {}),
    });
    const blocks: Record<string, BlockFit> = Object.fromEntries(
      Object.entries(blockParameters).map(([name, params]) => [name, { diagnostics: diagnosticsOf(params), parameters: params }]),
    );
    await stopIfAborted(ctx.signal);
    report?.({ phase: 'outputs', iteration: 0, total: 1 });
    const raw = prepared.outputs(posterior);
    const nonFinite: string[] = [];
    const outputs = sanitize(raw, '', nonFinite) as RunOutputs;
    if (nonFinite.length) {
      const warnings = Array.isArray(outputs.warnings) ? outputs.warnings : [];
      warnings.push(`Some outputs could not be computed (not finite) and are left blank: ${nonFinite.slice(0, 5).join(', ')}${nonFinite.length > 5 ? ', …' : ''}.`);
      outputs.warnings = warnings;
    }
    const diagnostics = diagnosticsOf(parameters);
    // The definition was found by `spec.model`: these are that model's outputs (RunOf<spec.model>),
    // a correspondence the registry makes at run time, not one the types can follow.
    return {
      id,
      model: spec.model,
      datasetId,
      createdAt: new Date().toISOString(),
      backend,
      spec,
      timings: { totalMs: performance.now() - start, ...(warmupMs !== undefined ? { warmupMs, samplingMs } : {}) },
      diagnostics,
      verdict: runVerdict({ spec, diagnostics, outputs }),
      parameters,
      ...(Object.keys(blocks).length ? { blocks } : {}),
      outputs,
      trace,
    } as RunResult;
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Draws per chain an until-converged run may keep: MAX_DRAWS_PER_CHAIN, lowered so that chains x
 * draws x parameters stays within MAX_KEPT_VALUES, and never below the planned draws.
 */
export function drawCap(chains: number, draws: number, model: Pick<CompiledModel, 'names'>): number {
  const byMemory = Math.floor(MAX_KEPT_VALUES / (chains * Math.max(1, model.names.length)));
  return Math.max(draws, Math.min(MAX_DRAWS_PER_CHAIN, byMemory));
}

/**
 * The main fit's parameter summaries and each check block's (`ParamDef.block`), by the model's
 * layout; sampler coordinates (`ParamDef.internal`) are marked `internal`.
 */
export function splitBlocks(
  model: Pick<CompiledModel, 'parameters' | 'names'>,
  summaries: Record<string, ParameterSummary>,
): { main: Record<string, ParameterSummary>; blocks: Record<string, Record<string, ParameterSummary>> } {
  const layoutOf = new Map<string, ParameterLayout>();
  for (const layout of model.parameters) {
    for (const name of model.names.slice(layout.offset, layout.offset + layout.size)) layoutOf.set(name, layout);
  }
  const main: Record<string, ParameterSummary> = {};
  const blocks: Record<string, Record<string, ParameterSummary>> = {};
  // In summary order (the posterior's); a name no layout covers belongs to the main fit.
  for (const [name, s] of Object.entries(summaries)) {
    const layout = layoutOf.get(name);
    const into = layout?.block === undefined ? main : (blocks[layout.block] ??= {});
    into[name] = layout?.internal ? { ...s, internal: true } : s;
  }
  return { main, blocks };
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
