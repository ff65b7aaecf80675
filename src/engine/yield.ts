/**
 * Lets the host's event loop run during long loops. On the cpu and wasm backends `tensor.data()`
 * resolves as a microtask, so an `await` per step never reaches the message queue: a cancel sent to
 * the worker would wait for the whole run. A MessageChannel round trip is a real (macro)task
 * without setTimeout's clamping.
 */

/** Returns `tick()`: resolves at once, except every `intervalMs`, when it first yields one task. */
export function createYielder(intervalMs = 50): () => Promise<void> {
  let last = performance.now();
  const channel = typeof MessageChannel === 'undefined' ? undefined : new MessageChannel();
  const yieldTask = () =>
    new Promise<void>((resolve) => {
      if (!channel) {
        setTimeout(resolve, 0);
        return;
      }
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  return async () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    await yieldTask();
  };
}
