/**
 * Yearly Fourier seasonality features as PyMC-Marketing's `YearlyFourier` (`mmm/fourier.py`):
 * with p = day of year / 365.25 (day of year 1-based, as pandas' `dayofyear`), the features are
 * sin(2 pi k p) for k = 1..order, then cos(2 pi k p) for k = 1..order, named `sin_k` / `cos_k`
 * (the labels of `gamma_fourier`).
 */
import { dayOfYear } from '../../data/time';

/** Days in PyMC-Marketing's yearly period. */
export const DAYS_PER_YEAR = 365.25;

export interface FourierFeatures {
  /** `['sin_1', .., 'sin_n', 'cos_1', .., 'cos_n']` (empty for order 0). */
  names: string[];
  /** One column per name, one value per date. */
  values: Float64Array[];
}

/** Yearly Fourier features of order `order` for dates in epoch milliseconds. */
export function yearlyFourier(dates: readonly number[], order: number): FourierFeatures {
  const names: string[] = [];
  const values: Float64Array[] = [];
  for (const [name, f] of [
    ['sin', Math.sin],
    ['cos', Math.cos],
  ] as const) {
    for (let k = 1; k <= order; k++) {
      names.push(`${name}_${k}`);
      values.push(Float64Array.from(dates, (d) => f((2 * Math.PI * k * dayOfYear(d)) / DAYS_PER_YEAR)));
    }
  }
  return { names, values };
}
