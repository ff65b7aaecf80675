/**
 * A compute worker's part in another worker's fit: it runs a share of that fit's chains on its own
 * tfjs backend, as the fit's worker (the lead) asks, over a MessagePort between the two workers. The
 * lead tunes and decides everything (`engine/sample.ts`); this side only prepares the model from
 * the same table and spec, and moves its chains (`engine/chains.ts`): during warm-up one transition
 * per call, while sampling a whole batch of draws per call, without talking.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { CancelledError, GpuLostError } from '../api/errors';
import type { BackendName, FitSpec } from '../api/types';
import type { Table } from '../data/table';
import { gpuDeviceLost } from '../engine/backend';
import { createChains, type Chains, type DrawRequest, type DrawnBlock, type WarmupTransition } from '../engine/chains';
import type { MetricValues } from '../engine/metric';
import { createRng } from '../engine/rng';
import type { ChainShare, OpenChains } from '../engine/sample';
import type { CompiledModel } from '../engine/types';
import { findModel } from '../models/registry';

/** What a lead calls on a helper worker (one share of one fit at a time). */
export interface ChainHostApi {
  /** Prepares the fit's model on `backend` (while the lead finds the mode). */
  prepare(table: Table, spec: FitSpec, backend: BackendName): Promise<void>;
  /** Starts the share's chains on the prepared model. */
  open(share: ChainShare): Promise<void>;
  setMetric(values: MetricValues): Promise<void>;
  warmupTransition(stepSize: number, numSteps: number, moments: boolean): Promise<WarmupTransition>;
  draw(request: DrawRequest): Promise<DrawnBlock>;
  positions(): Promise<Float32Array>;
  /** Releases the share's chains and model. */
  close(): Promise<void>;
  /** Stops a draw in progress (it rejects with CancelledError). */
  cancel(): void;
}

/**
 * Serves `ChainHostApi` on `port`. `useBackend` switches this worker's tfjs to the lead's backend (the
 * same backend gives the same arithmetic, so a seed gives the same draws).
 */
export function serveChains(port: MessagePort, useBackend: (name: BackendName) => Promise<void>): void {
  let chains: Chains | undefined;
  let model: CompiledModel | undefined;
  let controller = new AbortController();
  let scoped = false;
  /** Rejects when the WebGPU device is lost (never on other backends); set by `prepare`. */
  let lost: Promise<never> = new Promise(() => {});
  const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, lost]);
  const opened = (): Chains => {
    if (!chains) throw new Error('No chains are open in this helper worker.');
    return chains;
  };
  const close = async () => {
    const c = chains;
    chains = undefined;
    model = undefined;
    try {
      await c?.dispose();
    } finally {
      if (scoped) tf.engine().endScope();
      scoped = false;
    }
  };
  const api: ChainHostApi = {
    async prepare(table, spec, backend) {
      await close();
      controller = new AbortController();
      await useBackend(backend);
      // A lost device ends every call at once (its pending read-backs might never settle); the lead
      // then fails the fit with this error and the client replaces the workers.
      const signal = controller.signal;
      lost = gpuDeviceLost().then((reason): never => {
        if (!signal.aborted) controller.abort(new GpuLostError(reason));
        throw new GpuLostError(reason);
      });
      lost.catch(() => {});
      // The model's data tensors live in this scope, released by `close` (as a fit's are in run-fit).
      tf.engine().startScope();
      scoped = true;
      model = findModel(spec.model).prepare(table, spec).model;
    },
    async open(share) {
      if (!model) throw new Error('No model is prepared in this helper worker.');
      chains = await guard(createChains(model, share.starts, share.mode, share.metric, createRng(share.seed), { signal: controller.signal }));
    },
    setMetric: (values) => guard(opened().setMetric(values)),
    async warmupTransition(stepSize, numSteps, moments) {
      const t = await guard(opened().warmupTransition(stepSize, numSteps, moments));
      return Comlink.transfer(t, [t.acceptProb.buffer, t.divergent.buffer, t.before.buffer, t.proposal.buffer, t.velocity.buffer]);
    },
    async draw(request) {
      const block = await guard(opened().draw(request));
      return Comlink.transfer(block, [block.values.buffer]);
    },
    positions: () => guard(opened().positions()),
    close,
    cancel() {
      controller.abort(new CancelledError());
    },
  };
  Comlink.expose(api, port);
}

/** The lead's handles on its helpers for one fit. */
export interface Helpers {
  /** One per helper: starts a share of the chains there and returns Chains that forward to it. */
  open: OpenChains[];
  /** Releases every helper's model and chains and closes the ports (after the fit, whatever its end). */
  release(): Promise<void>;
}

/**
 * The lead's side: each helper prepares the fit's model at once (in parallel with the lead's own
 * start), and its `open` then starts its share. `signal` (the fit's) cancels a helper's draws in progress.
 */
export function helperChains(ports: readonly MessagePort[], table: Table, spec: FitSpec, backend: BackendName, signal?: AbortSignal): Helpers {
  const hosts = ports.map((port) => {
    port.start();
    const host = Comlink.wrap<ChainHostApi>(port);
    const prepared = host.prepare(table, spec, backend);
    prepared.catch(() => {}); // awaited by open; a helper that is never opened is only released
    return { port, host, prepared };
  });
  const onAbort = () => hosts.forEach(({ host }) => void host.cancel().catch(() => undefined));
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    open: hosts.map(({ host, prepared }) => async (share: ChainShare): Promise<Chains> => {
      await prepared;
      await host.open(share);
      return {
        chains: share.starts.length / share.mode.length,
        setMetric: (values) => host.setMetric(values),
        warmupTransition: (stepSize, numSteps, moments) => host.warmupTransition(stepSize, numSteps, moments),
        draw: (request) => host.draw(request),
        positions: () => host.positions(),
        dispose: () => host.close(),
      };
    }),
    async release() {
      signal?.removeEventListener('abort', onAbort);
      await Promise.allSettled(hosts.map(({ host }) => host.close()));
      for (const { port, host } of hosts) {
        host[Comlink.releaseProxy]();
        port.close();
      }
    },
  };
}
