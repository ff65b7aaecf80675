/** Above this magnitude a number is written with an exponent (no one reads 22 grouped digits). */
const GROUPED_MAX = 1e15;

/**
 * Number formatting for tables: never prints NaN or Infinity (shows an em dash instead). Large
 * values (money, counts) are locale-grouped to `digits + 1` significant digits (3,760,000, not
 * 3.76e+6); only magnitudes below 0.001 (a tiny rate or scale parameter) keep an exponent. For
 * probabilities and shares use `fmtProb`/`fmtPercent`, which never show an exponent.
 */
export function fmt(value: number | undefined | null, digits = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= GROUPED_MAX || abs < 1e-3)) return value.toExponential(digits - 1);
  if (abs >= 10 ** (digits + 1)) return value.toLocaleString(undefined, { maximumFractionDigits: 0 });
  return value.toLocaleString(undefined, { maximumSignificantDigits: digits + 1 });
}

/**
 * A probability to `decimals` places: below the last place it reads `< 0.001` (never 2.54e-17),
 * just under 1 it reads `> 0.999`; exact 0 and 1 read 0 and 1.
 */
export function fmtProb(value: number | undefined | null, decimals = 3): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const unit = 10 ** -decimals;
  if (value > 0 && value < unit) return `< ${unit.toFixed(decimals)}`;
  if (value < 1 && value > 1 - unit) return `> ${(1 - unit).toFixed(decimals)}`;
  if (value === 0 || value === 1) return String(value);
  return value.toFixed(decimals);
}

/** A share in [0, 1] as a percentage with one decimal: `< 0.1%` below it, never an exponent. */
export function fmtPercent(value: number | undefined | null, decimals = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const pct = 100 * value;
  const unit = 10 ** -decimals;
  if (pct > 0 && pct < unit) return `< ${unit.toFixed(decimals)}%`;
  if (pct < 0 && pct > -unit) return `> −${unit.toFixed(decimals)}%`;
  return `${pct.toFixed(decimals)}%`;
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
