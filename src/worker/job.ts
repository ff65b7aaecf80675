/**
 * What a long job in the compute worker (a load, a fit) gets from its caller, and the check it makes
 * before it stores its result.
 */
import { CancelledError } from '../api/errors';
import type { Progress } from '../api/types';

/** What a job in the worker is told by its caller. */
export interface JobContext {
  onProgress?: (p: Progress) => void;
  /** Aborted when the caller's cancel reaches the worker. */
  signal?: AbortSignal;
  /**
   * Asked, once the work is done, whether its result may still be stored: false when the caller
   * aborted. The caller's answer decides, not the worker's signal: a cancel sent while the worker
   * computed synchronously (a fit's outputs) is still queued behind that work when the worker gets
   * here, and would be seen only after the store.
   */
  mayStore?: () => boolean | Promise<boolean>;
}

/** Throws CancelledError unless the caller still wants the result stored. */
export async function confirmStore(ctx: JobContext): Promise<void> {
  if (ctx.signal?.aborted || (ctx.mayStore && !(await ctx.mayStore()))) throw new CancelledError();
}
