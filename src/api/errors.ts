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
