import { describe, expect, it } from 'vitest';
import { fmt, fmtInterval, fmtPercent, fmtProb, fmtShare } from '../../../src/ui/format';

describe('table number formats', () => {
  it('never shows NaN or Infinity', () => {
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmt(Infinity)).toBe('—');
    expect(fmtShare(Number.NaN)).toBe('—');
    expect(fmtShare(undefined)).toBe('—');
  });

  it('writes tiny values with an exponent, money and counts locale-grouped, others with significant digits', () => {
    expect(fmt(3.33e-28)).toBe('3.33e-28');
    const grouped = (v: number) => v.toLocaleString(undefined, { maximumFractionDigits: 0 });
    expect(fmt(3.76e6)).toBe(grouped(3_760_000));
    expect(fmt(3.76e6)).not.toMatch(/e/);
    expect(fmt(2.5e7)).toBe(grouped(25_000_000));
    expect(fmt(-1234567.8)).toBe(grouped(-1_234_568));
    expect(fmt(2e16)).toBe('2.00e+16');
    expect(fmt(0)).toBe('0');
  });

  it('writes probabilities without an exponent: < 0.001 and > 0.999 at the ends', () => {
    expect(fmtProb(2.54e-17)).toBe('< 0.001');
    expect(fmtProb(1 - 1e-12)).toBe('> 0.999');
    expect(fmtProb(0)).toBe('0');
    expect(fmtProb(1)).toBe('1');
    expect(fmtProb(0.4567)).toBe('0.457');
    expect(fmtProb(Number.NaN)).toBe('—');
    expect(fmtPercent(2.54e-17)).toBe('< 0.1%');
    expect(fmtPercent(0.1234)).toBe('12.3%');
    expect(fmtPercent(0)).toBe('0.0%');
  });

  it('writes shares to fixed decimals, so a weight of 1e-28 reads 0.000', () => {
    expect(fmtShare(3.33e-28)).toBe('0.000');
    expect(fmtShare(0.42621)).toBe('0.426');
    expect(fmtInterval({ mean: 0.1939, hdiLow: 3.33e-28, hdiHigh: 0.3122 }, 3, fmtShare)).toBe('0.194 [0.000, 0.312]');
  });
});
