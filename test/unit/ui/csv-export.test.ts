/**
 * Every CSV the studio writes is safe to open in a spreadsheet: formula-like text is neutralised
 * (OWASP's CSV-injection rule) by the one CSV writer, and no export builds CSV text another way.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField, toCsv } from '../../../src/ui/charts/export';

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/x","click")', `"'=HYPERLINK(""http://evil.example/x"",""click"")"`],
    ['+SUM(1,2)', `"'+SUM(1,2)"`],
    ['-2+3', `'-2+3`],
    ["@cmd|' /C calc'!A0", `'@cmd|' /C calc'!A0`],
    ['\tx', `'\tx`],
    ['\rx', `"'\rx"`],
  ])('neutralises the formula %j', (cell, written) => {
    expect(csvField(cell)).toBe(written);
  });

  it('keeps numbers, and text that is a plain number, as numbers', () => {
    expect(csvField(-2.5)).toBe('-2.5');
    expect(csvField('-2.5')).toBe('-2.5');
    expect(csvField('+3')).toBe('+3');
    expect(csvField(-1e-7)).toBe('-1e-7');
    expect(csvField('customer-1')).toBe('customer-1');
  });

  it('neutralises header and body cells alike (a customer id or cohort label from the data)', () => {
    expect(toCsv(['customer', '=cmd'], [['@SUM(A1)', -4], ['a', 1]])).toBe("customer,'=cmd\n'@SUM(A1),-4\na,1\n");
  });

  it('is the only CSV writer: no file in src builds CSV blobs or text itself', () => {
    const root = new URL('../../../src/', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.(ts|svelte)$/.test(f));
    const writers = files.filter((f) => {
      const text = readFileSync(join(root, f), 'utf8');
      return /new Blob\([^)]*\)[^;]*text\/csv|type:\s*'text\/csv'|\.join\(','\)/.test(text);
    });
    expect(writers.map((f) => f.replace(/\\/g, '/'))).toEqual(['ui/charts/export.ts']);
    // Every export downloads through downloadCsv.
    const exporters = files.filter((f) => readFileSync(join(root, f), 'utf8').includes('downloadCsv('));
    expect(exporters.length).toBeGreaterThanOrEqual(9);
  });
});
