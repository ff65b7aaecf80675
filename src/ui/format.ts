/**
 * Number formatting for tables: never prints NaN or Infinity (shows an em dash instead). Money and
 * counts in the millions read grouped by the locale (3,760,000, not 3.76e+6); only magnitudes
 * beyond 1e15 or below 0.001 take an exponent.
 */
export function fmt(value: number | undefined | null, digits = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-3)) return value.toExponential(digits - 1);
  return value.toLocaleString(undefined, { maximumSignificantDigits: digits + 1 });
}

/**
 * A share in [0, 1] (a donor's weight) to fixed decimals: 1e-28 and 0 both read 0.000, where
 * `fmt`'s exponent would suggest a precision the posterior does not have.
 */
export function fmtShare(value: number | undefined | null, decimals = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return value.toFixed(decimals);
}

/** `mean [low, high]` for an interval estimate. */
export function fmtInterval(e: { mean: number; hdiLow: number; hdiHigh: number }, digits = 3, format: (v: number, d: number) => string = fmt): string {
  return `${format(e.mean, digits)} [${format(e.hdiLow, digits)}, ${format(e.hdiHigh, digits)}]`;
}

/** A difference as `+mean [low, high]`: the sign always written, so "+0 [0, 0]" reads as no change. */
export function fmtDifference(e: { mean: number; hdiLow: number; hdiHigh: number }, digits = 3): string {
  const z = (v: number) => (v === 0 ? 0 : v); // -0 reads 0
  const mean = z(e.mean);
  return `${mean >= 0 ? '+' : ''}${fmtInterval({ mean, hdiLow: z(e.hdiLow), hdiHigh: z(e.hdiHigh) }, digits)}`;
}
