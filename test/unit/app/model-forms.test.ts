/**
 * Column mapping: a form preselects columns by name, exact (`guess`) or by a word in the name
 * (`guessWords`: the MMM takes "TV Spend", "search_cost", "display impressions" as channels), a
 * column serving one role only; the MMM samples keep their mapping.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../src/api/types';
import { mmmForms } from '../../../src/app/mmm/forms';
import { guessedFor, guessRoles } from '../../../src/app/model-forms';

const cols = (names: string[], type: ColumnType = 'number') => names.map((name) => ({ name, type }));

describe('column guesses', () => {
  const mmm = mmmForms[0];
  const channels = mmm.roles.find((r) => r.role === 'channels')!;

  it('a word in the name marks a channel, a mere substring does not', () => {
    for (const name of ['TV Spend', 'search_spend', 'Social-Cost', 'display impressions', 'radio_budget', 'x1']) expect(guessedFor(channels, name), name).toBe(true);
    for (const name of ['spending_power', 'costa', 'revenue', 'price']) expect(guessedFor(channels, name), name).toBe(false);
  });

  it('the MMM form maps spend columns as channels, the target and the date by name', () => {
    const roles = guessRoles(mmm, [{ name: 'week', type: 'date' }, ...cols(['revenue', 'TV Spend', 'Search Cost', 'Social Impressions', 'price', 'holiday'])]);
    expect(roles).toEqual({
      date: 'week',
      target: 'revenue',
      channels: ['TV Spend', 'Search Cost', 'Social Impressions'],
      controls: ['price'],
      events: ['holiday'],
    });
  });

  it('the bundled MMM samples keep their mapping', () => {
    expect(guessRoles(mmm, [{ name: 'date', type: 'date' }, ...cols(['y', 'x1', 'x2', 'event_1', 'event_2'])])).toEqual({
      date: 'date',
      target: 'y',
      channels: ['x1', 'x2'],
      controls: [],
      events: ['event_1', 'event_2'],
    });
    expect(guessRoles(mmm, [{ name: 'date', type: 'date' }, ...cols(['new_customers', 'search', 'social', 'tv'])])).toMatchObject({
      target: 'new_customers',
      channels: ['search', 'social', 'tv'],
    });
  });
});
