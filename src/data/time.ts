/**
 * Calendar helpers on epoch milliseconds at UTC midnight, the form every date column takes once
 * parsed (columns.ts): UTC days have no daylight saving, so a day is always DAY_MS.
 */

/** Milliseconds in a (UTC) day. */
export const DAY_MS = 86_400_000;

/** The ISO date `YYYY-MM-DD` (UTC) of epoch milliseconds. */
export function toIsoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Day of the year, 1 on 1 January (UTC), of epoch milliseconds (as pandas' `dayofyear`). */
export function dayOfYear(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return Math.floor((ms - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
}
