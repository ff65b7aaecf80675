/**
 * ComputeClient against stand-in workers (Comlink over a MessageChannel, no real Worker): a fit
 * that stops on cancel ends as CancelledError on the same worker; one whose worker ignores the
 * cancel (a GPU readback that never returns) is abandoned, the worker terminated and replaced, and
 * the next fit runs on the new worker with the backend the user chose (the studio is told, to
 * refresh the backend it shows); a worker whose GPU device was lost is replaced the same way. A fit
 * over several workers hands the fit's worker ports to helpers, which are replaced along with it.
 */
import * as Comlink from 'comlink';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError, GpuLostError, StalledError } from '../../../src/api/errors';
import type { Progress } from '../../../src/api/types';
import type { FitSpec, RunResult } from '../../../src/api/types';
import { ComputeClient, type WorkerLike } from '../../../src/worker/client';

const spec = { dataset: 'd', model: 'bgnbd', columns: {} } as FitSpec;

interface Fake {
  inits: (string | undefined)[];
  terminated: number;
  /** Per fit: how many helper ports the fit's worker was given. */
  helperPorts: number[];
  /** Ports helpers were asked to serve chains on. */
  served: number;
}

/**
 * A worker whose first fit hangs, silently, until cancelled ('obeys') or forever ('ignores'), or fails
 * as its GPU device is lost ('gpu-lost'), or computes its outputs for longer than the stall limit
 * ('slow-outputs'); fits on the next worker finish, except with 'stalls-always'.
 */
function factory(mode: 'obeys' | 'ignores' | 'gpu-lost' | 'stalls-always' | 'slow-outputs'): { create: () => WorkerLike; fake: Fake } {
  const fake: Fake = { inits: [], terminated: 0, helperPorts: [], served: 0 };
  let generation = 0;
  const create = (): WorkerLike => {
    const mine = generation++;
    const { port1, port2 } = new MessageChannel();
    let cancel = () => {};
    Comlink.expose(
      {
        init: async (preferred?: string) => {
          fake.inits.push(preferred);
          return { name: preferred ?? 'cpu' };
        },
        setBackend: async (name: string) => ({ name }),
        serveChains: () => void fake.served++,
        fit: (runId: string, _spec: FitSpec, onProgress?: (p: Progress) => void, _mayStore?: unknown, helpers: MessagePort[] = []) =>
          (fake.helperPorts.push(helpers.length), mine > 0) && mode !== 'stalls-always'
            ? Promise.resolve({ id: runId } as RunResult)
            : mode === 'slow-outputs'
              ? (onProgress?.({ phase: 'outputs', iteration: 0, total: 1 }), new Promise((resolve) => setTimeout(() => resolve({ id: runId }), 600)))
              : mode === 'gpu-lost'
              ? Promise.reject(new GpuLostError('destroyed'))
              : new Promise((_, reject) => {
                  cancel = () => {
                    if (mode === 'obeys') reject(Object.assign(new Error('cancelled'), { name: 'CancelledError' }));
                  };
                }),
        cancel: async () => cancel(),
        loadCsv: () => new Promise(() => {}),
      },
      port2,
    );
    return Object.assign(port1, {
      terminate: () => {
        fake.terminated++;
        port1.close();
        port2.close();
      },
    });
  };
  return { create, fake };
}

/**
 * Cancels the fit once the stand-in worker has it. (A fixed 20 ms raced the client's start-up: on a
 * loaded machine the cancel came while the fit still waited for the worker, which then never saw it.)
 */
async function abortOnceSent(fake: Fake, controller: AbortController): Promise<void> {
  await vi.waitFor(() => expect(fake.helperPorts.length).toBeGreaterThan(0), { timeout: 30_000, interval: 5 });
  controller.abort();
}

describe('ComputeClient', () => {
  it('a fit that stops on cancel ends as CancelledError, the worker kept', async () => {
    const { create, fake } = factory('obeys');
    const client = new ComputeClient(undefined, { create, graceMs: 200 });
    await client.ready();
    const controller = new AbortController();
    const fit = client.fit(spec, { signal: controller.signal });
    await abortOnceSent(fake, controller);
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(fake.terminated).toBe(0);
    client.terminate();
  });

  it('a worker that ignores the cancel is replaced, and the next fit runs on the new one', async () => {
    const { create, fake } = factory('ignores');
    let restarts = 0;
    const client = new ComputeClient(undefined, { create, graceMs: 200, onRestart: () => restarts++ });
    await client.setBackend('wasm');
    const controller = new AbortController();
    const fit = client.fit(spec, { signal: controller.signal });
    await abortOnceSent(fake, controller);
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(fake.terminated).toBe(1);
    expect(restarts).toBe(1);
    await expect(client.ready()).resolves.toEqual({ name: 'wasm' });
    expect(fake.inits).toEqual([undefined, 'wasm']);
    await expect(client.fit(spec)).resolves.toMatchObject({ id: expect.stringMatching(/^run-/) });
    client.terminate();
  });

  it('a fit over 3 workers gives its worker 2 helper ports (MAP: none); replacing the worker replaces its helpers', async () => {
    const { create, fake } = factory('ignores');
    const client = new ComputeClient(undefined, { create, graceMs: 200, workers: 3 });
    await client.ready();
    const controller = new AbortController();
    const fit = client.fit(spec, { signal: controller.signal });
    await abortOnceSent(fake, controller);
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(fake.helperPorts).toEqual([2]);
    expect(fake.served).toBe(2);
    // The stuck fit's worker and both helpers were terminated.
    expect(fake.terminated).toBe(3);
    await client.fit({ ...spec, inference: { method: 'map' } });
    await client.fit({ ...spec, inference: { chains: 8, workers: 2 } });
    expect(fake.helperPorts).toEqual([2, 0, 1]);
    client.terminate();
  });

  it('a load in flight on a worker that is replaced fails with a message, instead of never ending', async () => {
    const { create, fake } = factory('ignores');
    const client = new ComputeClient(undefined, { create, graceMs: 100 });
    const load = client.loadCsv({ name: 'a.csv', text: '' }, 'a.csv');
    const controller = new AbortController();
    const fit = client.fit(spec, { signal: controller.signal });
    await abortOnceSent(fake, controller);
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    await expect(load).rejects.toThrow(/compute worker was restarted .* before this finished; try again/);
    client.terminate();
  });

  it('a fit whose GPU device was lost fails with a message that says so, and the worker is replaced', async () => {
    const { create, fake } = factory('gpu-lost');
    let restarts = 0;
    const client = new ComputeClient(undefined, { create, onRestart: () => restarts++ });
    await client.ready();
    const failure = await client.fit(spec).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'GpuLostError', message: expect.stringMatching(/device lost: destroyed.*WASM/) });
    expect(fake.terminated).toBe(1);
    expect(restarts).toBe(1);
    await expect(client.fit(spec)).resolves.toMatchObject({ id: expect.stringMatching(/^run-/) });
    client.terminate();
  });

  it('a fit that reports no progress is tried again on a fresh worker, and the user is told', async () => {
    const { create, fake } = factory('ignores');
    const client = new ComputeClient(undefined, { create, stallMs: 150 });
    const seen: Progress[] = [];
    await expect(client.fit(spec, { onProgress: (p) => seen.push(p) })).resolves.toMatchObject({ id: expect.stringMatching(/^run-/) });
    expect(fake.terminated).toBe(1);
    expect(seen.map((p) => p.message)).toEqual([expect.stringMatching(/restarted; fitting again \(attempt 2 of 2\)/)]);
    client.terminate();
  });

  it('a fit that stalls twice fails with StalledError, saying for how long and what it last did', async () => {
    const { create, fake } = factory('stalls-always');
    const client = new ComputeClient(undefined, { create, stallMs: 150 });
    const failure = await client.fit(spec).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StalledError);
    expect((failure as Error).message).toMatch(/no progress for 0 s \(last step: starting\).*WASM/);
    expect(fake.terminated).toBe(2);
    client.terminate();
  });

  it('a long CPU-only outputs phase is not taken for a stall', async () => {
    const { create, fake } = factory('slow-outputs');
    const client = new ComputeClient(undefined, { create, stallMs: 150 });
    await expect(client.fit(spec)).resolves.toMatchObject({ id: expect.stringMatching(/^run-/) });
    expect(fake.terminated).toBe(0);
    client.terminate();
  });
});

/** A worker error as Comlink delivers it: a plain Error carrying the class's name. */
const cancelledInWorker = () => Object.assign(new Error('Cancelled'), { name: 'CancelledError' });

/**
 * A stand-in worker that does what the real one does around a job, with the work itself replaced
 * by timers: fits report progress, then (as fitAndStore does) ask `mayStore` before they "store";
 * a cancel reaches a fit only through `mayStore` (the real one's outputs are synchronous);
 * loads report a chunk every few ms until done or cancelled. It records what overlapped and what
 * was stored.
 */
function recordingWorker(opts: { fitMs?: number; chunks?: number; outputsPause?: Promise<void> } = {}) {
  const log = { running: 0, maxRunning: 0, started: [] as string[], stored: [] as string[], cancelled: [] as string[] };
  const cancels = new Map<string, () => void>();
  const create = (): WorkerLike => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(
      {
        init: async () => ({ name: 'cpu' }),
        fit: async (runId: string, fitSpec: FitSpec, onProgress?: (p: Progress) => void, mayStore?: () => boolean) => {
          log.started.push(fitSpec.dataset);
          log.maxRunning = Math.max(log.maxRunning, ++log.running);
          try {
            await new Promise((resolve) => setTimeout(resolve, opts.fitMs ?? 30));
            await onProgress?.({ phase: 'outputs', iteration: 0, total: 1 });
            // The synchronous outputs: a cancel sent now waits in the real worker's message queue
            // until they and the store are done, so this stand-in does not look at cancels here.
            await opts.outputsPause;
            if (mayStore && !(await mayStore())) throw cancelledInWorker();
            log.stored.push(fitSpec.dataset);
            return { id: runId } as RunResult;
          } finally {
            log.running--;
          }
        },
        loadCsv: async (jobId: string, _input: unknown, name: string, onProgress?: (p: Progress) => void, mayStore?: () => boolean) => {
          let cancelled = false;
          cancels.set(jobId, () => (cancelled = true));
          const chunks = opts.chunks ?? 50;
          for (let i = 1; i <= chunks; i++) {
            if (cancelled) {
              log.cancelled.push(`${name} at chunk ${i}`);
              throw cancelledInWorker();
            }
            await onProgress?.({ phase: 'parse', iteration: Math.round((100 * i) / chunks), total: 100 });
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
          if (mayStore && !(await mayStore())) throw cancelledInWorker();
          log.stored.push(name);
          return { id: `ds-${name}`, name, rows: 1, columns: [], warnings: [] };
        },
        cancel: async (id: string) => cancels.get(id)?.(),
      },
      port2,
    );
    return Object.assign(port1, { terminate: () => (port1.close(), port2.close()) });
  };
  return { create, log };
}

describe('ComputeClient: fits side by side, and cancel means cancel', () => {
  it('two fits sent at once run one after another (tfjs has one scope stack per worker), both finishing', async () => {
    const { create, log } = recordingWorker();
    const client = new ComputeClient(undefined, { create });
    const second: Progress[] = [];
    const runs = await Promise.all([
      client.fit({ ...spec, dataset: 'a' }),
      client.fit({ ...spec, dataset: 'b' }, { onProgress: (p) => second.push(p) }),
      client.fit({ ...spec, dataset: 'c' }),
    ]);
    expect(runs.map((r) => r.id)).toEqual([expect.stringMatching(/^run-/), expect.stringMatching(/^run-/), expect.stringMatching(/^run-/)]);
    expect(log.maxRunning).toBe(1);
    expect(log.started).toEqual(['a', 'b', 'c']);
    expect(log.stored).toEqual(['a', 'b', 'c']);
    expect(second[0]).toMatchObject({ phase: 'queued', message: expect.stringMatching(/Waiting for the fit before this one/) });
    client.terminate();
  });

  it('a fit cancelled while queued ends at once, never starts, and the next one still waits for the running one', async () => {
    const { create, log } = recordingWorker({ fitMs: 60 });
    const client = new ComputeClient(undefined, { create });
    const controller = new AbortController();
    const first = client.fit({ ...spec, dataset: 'a' });
    const queued = client.fit({ ...spec, dataset: 'b' }, { signal: controller.signal });
    const third = client.fit({ ...spec, dataset: 'c' });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    await Promise.all([first, third]);
    expect(log.started).toEqual(['a', 'c']);
    expect(log.maxRunning).toBe(1);
    client.terminate();
  });

  it('an abort during the outputs (after sampling) stores no run, though the worker only sees it afterwards', async () => {
    let outputsDone!: () => void;
    const { create, log } = recordingWorker({ outputsPause: new Promise((resolve) => (outputsDone = resolve)) });
    const client = new ComputeClient(undefined, { create });
    const controller = new AbortController();
    const fit = client.fit(spec, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase !== 'outputs') return;
        controller.abort();
        outputsDone();
      },
    });
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(log.stored).toEqual([]);
    client.terminate();
  });

  it('a CSV load cancelled mid-file stops reading and stores nothing', async () => {
    const { create, log } = recordingWorker({ chunks: 50 });
    const client = new ComputeClient(undefined, { create });
    const controller = new AbortController();
    const seen: number[] = [];
    const load = client.loadCsv({ name: 'big.csv', text: '' }, 'big.csv', {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.iteration);
        if (seen.length === 2) controller.abort();
      },
    });
    await expect(load).rejects.toBeInstanceOf(CancelledError);
    expect(log.stored).toEqual([]);
    expect(log.cancelled).toEqual([expect.stringMatching(/^big\.csv at chunk \d+$/)]);
    expect(Math.max(...seen)).toBeLessThan(100);
    client.terminate();
  });

  it('an abort after a load was read but before it was stored stores nothing', async () => {
    const { create, log } = recordingWorker({ chunks: 1 });
    const client = new ComputeClient(undefined, { create });
    const controller = new AbortController();
    const load = client.loadCsv({ name: 'small.csv', text: '' }, 'small.csv', { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(load).rejects.toBeInstanceOf(CancelledError);
    expect(log.stored).toEqual([]);
    client.terminate();
  });
});

describe('ComputeClient: a worker that cannot start', () => {
  /** A worker whose script failed to load: it answers nothing and reports an 'error' event. */
  function deadWorker(): { create: () => WorkerLike; fail: () => void } {
    const { port1 } = new MessageChannel();
    const worker = Object.assign(port1, { terminate: () => port1.close() });
    return { create: () => worker, fail: () => worker.dispatchEvent(new Event('error')) };
  }

  it('fails its start, fits, loads and self-tests with a message saying why, instead of waiting forever', async () => {
    const dead = deadWorker();
    const client = new ComputeClient(undefined, { create: dead.create, stallMs: 60_000 });
    const load = client.loadCsv({ name: 'a.csv', text: 'x\n1\n2\n' }, 'a.csv');
    dead.fail();
    const why = /The compute worker could not start: its script failed to load or run\. If the studio is embedded, the portal's Content-Security-Policy must allow `worker-src 'self' blob:`/;
    await expect(client.ready()).rejects.toThrow(why);
    await expect(load).rejects.toThrow(why);
    await expect(client.fit(spec)).rejects.toThrow(why);
    await expect(client.selfTest()).rejects.toThrow(why);
    // What the header asks for, to show the backend or the error.
    await expect(client.backend()).rejects.toThrow(why);
    client.terminate();
  });

  it("a stray error from a worker that is up does not fail the calls that follow", async () => {
    const { create } = factory('obeys');
    let worker: WorkerLike | undefined;
    const client = new ComputeClient('wasm', { create: () => (worker = create()) });
    await expect(client.ready()).resolves.toEqual({ name: 'wasm' });
    (worker as unknown as EventTarget).dispatchEvent(new Event('error'));
    await expect(client.setBackend('cpu')).resolves.toEqual({ name: 'cpu' });
    client.terminate();
  });
});
