/**
 * The warm-up schedule: over which iterations the metric is estimated. The metric is re-estimated
 * from the chains' pooled moments at the end of each window, and step-size dual averaging restarts
 * after each update; the final quarter adapts step size and trajectory length to the final metric.
 */

/** The mass-matrix windows as fractions of the warm-up. */
export const MASS_WINDOWS: readonly (readonly [number, number])[] = [
  [0.1, 0.35],
  [0.35, 0.75],
];

export interface WarmupSchedule {
  /** Whether iteration `it`'s positions count towards the current window's moments. */
  inWindow(it: number): boolean;
  /** Whether iteration `it` is the last of a window (the metric is re-estimated after it). */
  endsWindow(it: number): boolean;
}

/** The schedule of a warm-up of `iterations` iterations (windows floored to whole iterations). */
export function warmupSchedule(iterations: number): WarmupSchedule {
  const windows = MASS_WINDOWS.map(([a, b]) => [Math.floor(a * iterations), Math.floor(b * iterations)] as const);
  return {
    inWindow: (it) => windows.some(([a, b]) => it >= a && it < b),
    endsWindow: (it) => windows.some(([, b]) => it === b - 1),
  };
}
