/**
 * ComputeClient against stand-in workers (Comlink over a MessageChannel, no real Worker): a fit
 * that stops on cancel ends as CancelledError on the same worker; one whose worker ignores the
 * cancel (a GPU readback that never returns) is abandoned, the worker terminated and replaced, and
 * the next fit runs on the new worker with the backend the user chose (the studio is told, to
 * refresh the backend it shows).
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/api/errors';
import type { FitSpec, RunResult } from '../../../src/api/types';
import { ComputeClient, type WorkerLike } from '../../../src/worker/client';

const spec = { dataset: 'd', model: 'bgnbd', columns: {} } as FitSpec;

interface Fake {
  inits: (string | undefined)[];
  terminated: number;
}

/** A worker whose fits hang until cancelled (`obeys`) or forever, and then, on the next worker, finish. */
function factory(obeys: boolean): { create: () => WorkerLike; fake: Fake } {
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
        fit: (runId: string) =>
          mine === 0
            ? new Promise((_, reject) => {
                cancel = () => {
                  if (obeys) reject(Object.assign(new Error('cancelled'), { name: 'CancelledError' }));
                };
              })
            : Promise.resolve({ id: runId } as RunResult),
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
    const { create, fake } = factory(true);
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
    const { create, fake } = factory(false);
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
});
