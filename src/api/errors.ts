/**
 * An error in what the user gave us (a file, a column choice, a config value), as opposed to a bug.
 * The message says what is wrong and where (row, column, expected), in words a user can act on;
 * the UI shows it as is.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string) {
    super(message);
  }
}

/** Raised when the user (or an AbortSignal) cancels a long computation. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/**
 * The GPU device went away mid-computation (driver reset, GPU process crash, watchdog): the tfjs
 * state in that worker is unusable, so the client replaces the worker. The message says what to do.
 */
export class GpuLostError extends Error {
  override readonly name = 'GpuLostError';
  constructor(reason: string) {
    super(
      `The GPU stopped during the computation (WebGPU device lost: ${reason}). The compute worker was restarted; ` +
        'fit again, or choose the WASM backend if it happens again.',
    );
  }
}

/**
 * A computation that reported no progress for too long (a GPU readback that never returns, a
 * software GPU that stopped): its worker was replaced. The message says what was last seen.
 */
export class StalledError extends Error {
  override readonly name = 'StalledError';
  constructor(seconds: number, last: string) {
    super(
      `The computation made no progress for ${seconds} s (last step: ${last}), so its compute worker was stopped and ` +
        'restarted. Fit again, or choose the WASM backend if it happens again.',
    );
  }
}
