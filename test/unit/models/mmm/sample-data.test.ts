/**
 * The bundled demo `public/samples/mmm-weekly.csv` is exactly what test/data/generate-mmm-sample.mjs
 * writes (seed 327): the PyMC-Marketing example's generating process with our own seeded RNG.
 * Regenerate with `node test/data/generate-mmm-sample.mjs`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { simulateMmm } from './simulate';

describe('bundled MMM sample', () => {
  it('is the documented simulation: 179 weekly rows 2018-04-02 .. 2021-08-30 with the two events', () => {
    const csv = readFileSync(new URL('../../../../public/samples/mmm-weekly.csv', import.meta.url), 'utf8');
    expect(csv).toBe(simulateMmm(327).csv);
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('date,y,x1,x2,event_1,event_2');
    expect(rows.length - 1).toBe(179);
    expect(rows[1].startsWith('2018-04-02,')).toBe(true);
    expect(rows[179].startsWith('2021-08-30,')).toBe(true);
    expect(rows.filter((r) => r.endsWith(',1,0')).map((r) => r.slice(0, 10))).toEqual(['2019-05-13']);
    expect(rows.filter((r) => r.endsWith(',0,1')).map((r) => r.slice(0, 10))).toEqual(['2020-09-14']);
  });
});
