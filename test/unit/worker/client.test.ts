/**
 * ComputeClient against stand-in workers (Comlink over a MessageChannel, no real Worker): a fit
 * that stops on cancel ends as CancelledError on the same worker; one whose worker ignores the
 * cancel (a GPU readback that never returns) is abandoned, the worker terminated and replaced, and
 * the next fit runs on the new worker with the backend the user chose (the studio is told, to
 * refresh the backend it shows); a worker whose GPU device was lost is replaced the same way.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { CancelledError, GpuLostError, StalledError } from '../../../src/api/errors';
import type { Progress } from '../../../src/api/types';
import type { FitSpec, RunResult } from '../../../src/api/types';
import { ComputeClient, type WorkerLike } from '../../../src/worker/client';

const spec = { dataset: 'd', model: 'bgnbd', columns: {} } as FitSpec;

interface Fake {
  inits: (string | undefined)[];
  terminated: number;
}

/**
 * A worker whose first fit hangs, silently, until cancelled ('obeys') or forever ('ignores'), or fails
 * as its GPU device is lost ('gpu-lost'), or computes its outputs for longer than the stall limit
 * ('slow-outputs'); fits on the next worker finish, except with 'stalls-always'.
 */
function factory(mode: 'obeys' | 'ignores' | 'gpu-lost' | 'stalls-always' | 'slow-outputs'): { create: () => WorkerLike; fake: Fake } {
  const fake: Fake = { inits: [], terminated: 0 };
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
        fit: (runId: string, _spec: FitSpec, onProgress?: (p: Progress) => void) =>
          mine > 0 && mode !== 'stalls-always'
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

describe('ComputeClient', () => {
  it('a fit that stops on cancel ends as CancelledError, the worker kept', async () => {
    const { create, fake } = factory('obeys');
    const client = new ComputeClient(undefined, { create, graceMs: 200 });
    await client.ready();
    const controller = new AbortController();
    const fit = client.fit(spec, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
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
    setTimeout(() => controller.abort(), 20);
    await expect(fit).rejects.toBeInstanceOf(CancelledError);
    expect(fake.terminated).toBe(1);
    expect(restarts).toBe(1);
    await expect(client.ready()).resolves.toEqual({ name: 'wasm' });
    expect(fake.inits).toEqual([undefined, 'wasm']);
    await expect(client.fit(spec)).resolves.toMatchObject({ id: expect.stringMatching(/^run-/) });
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
