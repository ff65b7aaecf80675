import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src/api/types';
import { guessRoles, isYearColumn, missingField, pageWords } from '../../../src/app/model-forms';
import { causalForms } from '../../../src/app/causal/forms';
import { mmmForms } from '../../../src/app/mmm/forms';

const dataset = (columns: DatasetInfo['columns']): DatasetInfo => ({ id: 'ds', name: 'f.csv', rows: 10, columns, warnings: [] });

describe('column roles preselected from the data', () => {
  it('MMM: columns named like spend, cost or impressions are channels, 0/1 columns are events', () => {
    const roles = guessRoles(
      mmmForms[0],
      dataset([
        { name: 'week', type: 'date' },
        { name: 'revenue', type: 'number' },
        { name: 'TV_Spend', type: 'number' },
        { name: 'search_cost', type: 'number' },
        { name: 'social impressions', type: 'number' },
        { name: 'price', type: 'number' },
        { name: 'black_friday', type: 'number', binary: true, min: 0, max: 1 },
        { name: 'temperature_c', type: 'number' },
      ]),
    );
    expect(roles).toEqual({
      date: 'week',
      target: 'revenue',
      channels: ['TV_Spend', 'search_cost', 'social impressions'],
      controls: ['price'],
      events: ['black_friday'],
    });
  });

  it('a column goes to one role only: an exact guess for an earlier role wins over a later pattern', () => {
    const roles = guessRoles(
      mmmForms[0],
      dataset([
        { name: 'date', type: 'date' },
        { name: 'sales', type: 'number' },
        { name: 'x1', type: 'number' },
        { name: 'holiday', type: 'number', binary: true },
      ]),
    );
    expect(roles.channels).toEqual(['x1']);
    expect(roles.events).toEqual(['holiday']);
  });
});

describe('causal forms speak the page\'s words', () => {
  const sc = causalForms.find((f) => f.model === 'synthetic_control')!;

  it('a missing intervention date is asked for by its label, never as config.treatmentStart', () => {
    const message = missingField(sc, {})!;
    expect(message).toMatch(/^Choose the intervention date in Options/);
    expect(message).not.toMatch(/config\./);
    expect(missingField(sc, { treatmentStart: 1989 })).toBeUndefined();
  });

  it('a model\'s message names the form\'s field, and leaves names the form does not show', () => {
    expect(pageWords('Set config.treatmentStart (the date the period starts).', sc)).toBe('Set "Intervention date (year for yearly data)" (the date the period starts).');
    expect(pageWords('config.placeboStart must be a date', sc)).toBe('config.placeboStart must be a date');
  });

  it('a number column of whole years from 1000 to 9999 is a year column', () => {
    expect(isYearColumn({ type: 'number', min: 1970, max: 2000 })).toBe(true);
    expect(isYearColumn({ type: 'number', min: 1, max: 52 })).toBe(false);
    expect(isYearColumn({ type: 'number', min: 1970.5, max: 2000 })).toBe(false);
    expect(isYearColumn({ type: 'date', min: 0, max: 1 })).toBe(false);
    expect(isYearColumn({ type: 'number' })).toBe(false);
  });
});
