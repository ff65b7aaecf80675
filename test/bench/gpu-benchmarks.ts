/**
 * The GPU benchmark (`npm run bench:gpu`, run by gpu.mjs in Node on Dawn's WebGPU): gradients per
 * second of the hot models at 1 to 4,096 chains, time to R-hat < 1.01 and bulk-ESS >= 400 on BG/NBD
 * over CDNOW_master and on the MMM sample, and the peak GPU memory tfjs's WebGPU backend held. A
 * time guard stops further rows (and aborts a run in progress) once the budget is spent, so the
 * script ends in time with what it measured. DOM-free; runs on whichever tfjs backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { gradientRate, timeToConverge } from './benchmarks';
import { KERNEL_MODELS, type DataReader } from './model-benchmarks';

export interface GpuBenchOptions {
  /** Small sizes for a check that the script works end to end (a software adapter, a CI box). */
  quick: boolean;
  /** Milliseconds since the epoch after which no further row starts and a run in progress is aborted. */
  deadline: number;
  data: DataReader;
  log: (line: string) => void;
}

export interface GpuBenchResults {
  gradients: { model: string; chains: number; evalsPerSec: number; chainGradsPerSec: number }[];
  convergence: { model: string; chains: number; warmup: number; draws: number; seconds: number; rhatMax: number; essBulkMin: number; reached: boolean }[];
  /** Rows the time guard (or an error) left out, with why. */
  skipped: string[];
  /** Largest `numBytesAllocatedInGPU` (tfjs WebGPU's buffer pool: buffers in use plus freed ones it keeps) seen, and `numBytesInGPU` (in use) at that time. */
  peakBytes?: { allocated: number; inUse: number };
}

/**
 * The hot models, each prepared on its reference data. Quick runs leave out Pareto/NBD (its
 * quadrature takes ~20 s per call at 8 chains on SwiftShader) and use the CDNOW sample for BG/NBD.
 */
function gradientModels(quick: boolean): string[] {
  return quick ? ['BG/NBD, CDNOW sample', 'MMM, 179 weeks x 2 channels'] : ['BG/NBD, CDNOW_master', 'Pareto/NBD, CDNOW sample', 'MMM, 179 weeks x 2 channels'];
}

/**
 * Polls tfjs's GPU memory counters every 20 ms (and on demand) into `results.peakBytes` while the
 * benchmark runs. On backends without them (wasm, cpu) it records nothing.
 */
function memoryWatch(results: GpuBenchResults) {
  const poll = () => {
    const m = tf.memory() as { numBytesAllocatedInGPU?: number; numBytesInGPU?: number };
    if (m.numBytesAllocatedInGPU === undefined) return;
    if (!results.peakBytes || m.numBytesAllocatedInGPU > results.peakBytes.allocated) results.peakBytes = { allocated: m.numBytesAllocatedInGPU, inUse: m.numBytesInGPU ?? 0 };
  };
  const timer = setInterval(poll, 20);
  return {
    poll,
    stop() {
      clearInterval(timer);
      poll();
    },
  };
}

/**
 * Runs the GPU benchmark's rows on the active backend, filling `results` as it goes (so a caller's
 * watchdog can print what was measured). The gradient rows get 40% of the time to the deadline.
 */
export async function runGpuBenchmarks(opts: GpuBenchOptions, results: GpuBenchResults): Promise<void> {
  const guard = new AbortController();
  const timer = setTimeout(() => guard.abort(), Math.max(0, opts.deadline - Date.now()));
  const gradientsEnd = Date.now() + 0.4 * (opts.deadline - Date.now());
  const memory = memoryWatch(results);
  try {
    const chainCounts = opts.quick ? [1, 8] : [1, 8, 64, 512, 4096];
    for (const name of gradientModels(opts.quick)) {
      const entry = KERNEL_MODELS.find((m) => m.name === name)!;
      const model = await entry.load(opts.data);
      for (const chains of chainCounts) {
        if (Date.now() >= gradientsEnd) {
          results.skipped.push(`gradients, ${name}, ${chains} chains: time guard`);
          continue;
        }
        try {
          const evalsPerSec = await gradientRate(model, chains, opts.quick ? 0.5 : 2, gradientsEnd);
          memory.poll();
          results.gradients.push({ model: name, chains, evalsPerSec, chainGradsPerSec: evalsPerSec * chains });
          opts.log(`gradients ${name}, ${chains} chains: ${evalsPerSec.toPrecision(3)} calls/s`);
        } catch (e) {
          results.skipped.push(`gradients, ${name}, ${chains} chains: ${(e as Error).message}`);
          opts.log(`gradients ${name}, ${chains} chains failed: ${(e as Error).message}`);
        }
      }
    }
    // Time to converge: the same settings as the Chromium benchmark's model rows (8 chains, 300
    // warm-up, draws doubling from 250), and 64 chains, where a GPU's width can pay. Quick: one
    // very short run of 4 chains per model (a check of the path, reported as not reached).
    const targets = [opts.quick ? 'BG/NBD, CDNOW sample' : 'BG/NBD, CDNOW_master', 'MMM, 179 weeks x 2 channels'];
    const settings = opts.quick ? [{ chains: 4, warmup: 10, first: 10, max: 10 }] : [8, 64].map((chains) => ({ chains, warmup: 300, first: 250, max: 2000 }));
    for (const name of targets) {
      const model = await KERNEL_MODELS.find((m) => m.name === name)!.load(opts.data);
      for (const s of settings) {
        const row = `time to converge, ${name}, ${s.chains} chains`;
        if (Date.now() >= opts.deadline) {
          results.skipped.push(`${row}: time guard`);
          continue;
        }
        try {
          const r = await timeToConverge(model, s.chains, s.warmup, s.first, s.max, guard.signal);
          results.convergence.push({ model: name, chains: s.chains, warmup: s.warmup, ...r });
          opts.log(`${row}: ${r.seconds.toFixed(1)} s, R-hat ${r.rhatMax.toFixed(3)}, bulk-ESS ${r.essBulkMin.toFixed(0)}${r.reached ? '' : ' (not reached)'}`);
        } catch (e) {
          const why = guard.signal.aborted ? 'stopped by the time guard' : (e as Error).message;
          results.skipped.push(`${row}: ${why}`);
          opts.log(`${row}: ${why}`);
        } finally {
          memory.poll();
        }
      }
    }
  } finally {
    clearTimeout(timer);
    memory.stop();
  }
}
