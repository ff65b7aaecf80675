/**
 * The README's "Your own data" examples are CSVs the studio reads as the README says: each parses,
 * with every column of the type its role needs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeColumns, parseCsvText } from '../../../src/data/csv';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The CSV blocks marked `<!-- example: name -->` in the README. */
function examples(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of README.matchAll(/<!-- example: ([a-z-]+) -->\s*```csv\n([\s\S]*?)```/g)) found.set(m[1], m[2]);
  return found;
}

const EXPECTED: Record<string, string[]> = {
  transactions: ['string', 'date', 'number'],
  rfm: ['string', 'number', 'number', 'number', 'number'],
  mmm: ['date', 'number', 'number', 'number', 'number'],
  'synthetic-control': ['number', 'number', 'number', 'number', 'number'],
  geo: ['date', 'string', 'number', 'number', 'string'],
  did: ['date', 'number', 'number'],
  rd: ['number', 'number'],
  abtest: ['string', 'string', 'string', 'number', 'number', 'number', 'number'],
};

describe('README examples of your own data', () => {
  it('has one example for each model family', () => {
    expect([...examples().keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, types] of Object.entries(EXPECTED)) {
    it(`${name}: a header and three rows, typed as the roles need`, async () => {
      const text = examples().get(name) ?? '';
      const { table } = await parseCsvText(text, `${name}.csv`);
      expect(table.rows).toBe(3);
      expect(describeColumns(table).map((c) => c.type)).toEqual(types);
    });
  }
});
