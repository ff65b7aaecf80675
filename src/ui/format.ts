/** Number formatting for tables: never prints NaN or Infinity (shows an em dash instead). */
export function fmt(value: number | undefined | null, digits = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(digits - 1);
  return value.toLocaleString(undefined, { maximumSignificantDigits: digits + 1 });
}

/** `mean [low, high]` for an interval estimate. */
export function fmtInterval(e: { mean: number; hdiLow: number; hdiHigh: number }, digits = 3): string {
  return `${fmt(e.mean, digits)} [${fmt(e.hdiLow, digits)}, ${fmt(e.hdiHigh, digits)}]`;
}
