import { describe, expect, it } from 'vitest';
import { fmt, fmtInterval, fmtShare } from '../../../src/ui/format';

describe('table number formats', () => {
  it('never shows NaN or Infinity', () => {
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmt(Infinity)).toBe('—');
    expect(fmtShare(Number.NaN)).toBe('—');
    expect(fmtShare(undefined)).toBe('—');
  });

  it('writes tiny and astronomical values with an exponent, millions grouped, others with significant digits', () => {
    expect(fmt(3.33e-28)).toBe('3.33e-28');
    expect(fmt(2.5e17)).toBe('2.50e+17');
    expect(fmt(0)).toBe('0');
    // Money in the millions, grouped as the locale groups (no 3.76e+6), to 4 significant digits.
    expect(fmt(3_761_234)).toBe((3_761_000).toLocaleString());
    expect(fmt(3_761_234)).not.toMatch(/e/);
    expect(fmt(-2.5e7)).toBe((-25_000_000).toLocaleString());
  });

  it('writes shares to fixed decimals, so a weight of 1e-28 reads 0.000', () => {
    expect(fmtShare(3.33e-28)).toBe('0.000');
    expect(fmtShare(0.42621)).toBe('0.426');
    expect(fmtInterval({ mean: 0.1939, hdiLow: 3.33e-28, hdiHigh: 0.3122 }, 3, fmtShare)).toBe('0.194 [0.000, 0.312]');
  });
});
