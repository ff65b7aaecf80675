/** The model pages' column guesses: the MMM's geo role, channel spend and exposures by name, aligned lists. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src/api/types';
import { describeColumns, parseCsvText } from '../../../src/data/csv';
import type { Column, Table } from '../../../src/data/table';
import { mmmForms } from '../../../src/app/mmm/forms';
import { guessedFor, guessRoles, isYearColumn, missingField, pageWords, previewGuesses, roleColumns, toggleRole } from '../../../src/app/model-forms';
import { causalForms } from '../../../src/app/causal/forms';
import { previewOf } from '../../../src/store/db';
import { readFixture } from '../../fixtures/read.mjs';

const form = mmmForms[0];

function dataset(columns: Column[]): { info: DatasetInfo; preview: Table } {
  const rows = columns[0].values.length;
  return {
    info: { id: 'd', name: 'd.csv', rows, columns: columns.map((c) => ({ name: c.name, type: c.type })), warnings: [] },
    preview: { rows, columns },
  };
}
const num = (name: string, values: number[]): Column => ({ name, type: 'number', values: Float64Array.from(values) });
const str = (name: string, values: string[]): Column => ({ name, type: 'string', values });
const dates = (values: string[]): Column => ({ name: 'week', type: 'date', values: Float64Array.from(values.map((d) => Date.parse(d))) });

describe('MMM column guesses', () => {
  it('take a string column with one row per date and value as the geo, whatever its name', () => {
    // Long data sorted by date: each date repeats, once per area.
    const d = dataset([
      dates(['2024-01-01', '2024-01-01', '2024-01-08', '2024-01-08']),
      str('note', ['x', 'x', 'x', 'x']),
      str('area', ['north', 'south', 'north', 'south']),
      num('sales', [1, 2, 3, 4]),
      num('tv', [1, 1, 1, 1]),
    ]);
    const roles = guessRoles(form, d.info, d.preview);
    expect(roles.date).toBe('week');
    expect(roles.geo).toBe('area');
    expect(roles.target).toBe('sales');
    expect(roles.channels).toEqual(['tv']);
  });

  it('fill the geo from the preview rows when they arrive later, and change nothing else', () => {
    const d = dataset([dates(['2024-01-01', '2024-01-01']), str('area', ['n', 's']), num('sales', [1, 2]), num('tv', [1, 1]), num('radio', [1, 1])]);
    const before = guessRoles(form, d.info);
    expect(before.geo).toBe('');
    const chosen = { ...before, channels: ['radio'] };
    expect(previewGuesses(form, d.info, d.preview, chosen)).toEqual({ ...chosen, geo: 'area' });
    // A geo the user already chose stays.
    expect(previewGuesses(form, d.info, d.preview, { ...chosen, geo: 'other' }).geo).toBe('other');
  });

  it('leave the geo empty for national data (no date repeats), and without the preview rows', () => {
    const d = dataset([dates(['2024-01-01', '2024-01-08']), str('note', ['a', 'b']), num('sales', [1, 2]), num('tv', [1, 1])]);
    expect(guessRoles(form, d.info, d.preview).geo).toBe('');
    const long = dataset([dates(['2024-01-01', '2024-01-01']), str('area', ['n', 's']), num('sales', [1, 2])]);
    expect(guessRoles(form, long.info).geo).toBe('');
  });

  it('map Meridian’s geo data: geo, spend channels with their impressions aligned, controls, population, revenue per conversion', () => {
    // Meridian's column names (sorted by geo: the dates do not repeat in its first rows; the name decides).
    const n = 3;
    const cols: Column[] = [
      num('', [0, 1, 2]),
      str('geo', ['Geo0', 'Geo0', 'Geo0']),
      dates(['2021-01-25', '2021-02-01', '2021-02-08']),
      ...['Channel0', 'Channel1', 'Channel2'].map((c) => num(`${c}_impression`, Array(n).fill(1))),
      num('competitor_sales_control', [1, 2, 3]),
      num('sentiment_score_control', [1, 2, 3]),
      ...['Channel2', 'Channel0', 'Channel1'].map((c) => num(`${c}_spend`, Array(n).fill(1))),
      num('Organic_channel0_impression', [1, 2, 3]),
      num('Promo', [0, 1, 0]),
      num('conversions', [5, 6, 7]),
      num('revenue_per_conversion', [0.02, 0.02, 0.02]),
      num('population', [100, 100, 100]),
    ];
    const d = dataset(cols);
    const roles = guessRoles(form, d.info, d.preview);
    expect(roles.geo).toBe('geo');
    expect(roles.target).toBe('conversions');
    expect(roles.channels).toEqual(['Channel2_spend', 'Channel0_spend', 'Channel1_spend']);
    expect(roles.exposures).toEqual(['Channel2_impression', 'Channel0_impression', 'Channel1_impression']);
    expect(roles.controls).toEqual(['competitor_sales_control', 'sentiment_score_control', 'Promo']);
    expect(roles.population).toBe('population');
    expect(roles.revenuePerKpi).toBe('revenue_per_conversion');
    expect(roleColumns(form, roles)).toMatchObject({ geo: 'geo', exposures: ['Channel2_impression', 'Channel0_impression', 'Channel1_impression'] });
  });

  it('keep each channel’s exposure when channels are ticked and unticked, and ask for all exposures or none', () => {
    let roles: Record<string, string | string[]> = { date: 'week', target: 'y', channels: ['a_spend', 'b_spend'], exposures: ['a_imp', 'b_imp'] };
    roles = toggleRole(form, roles, 'channels', 'a_spend', false);
    expect(roles.exposures).toEqual(['b_imp']);
    roles = toggleRole(form, roles, 'channels', 'c_spend', true);
    expect(roles.channels).toEqual(['b_spend', 'c_spend']);
    expect(roles.exposures).toEqual(['b_imp', '']);
    expect(() => roleColumns(form, roles)).toThrow(/every channel or for none \(none for c_spend\)/);
    expect(roleColumns(form, { ...roles, exposures: ['', ''] })).toEqual({ date: 'week', target: 'y', channels: ['b_spend', 'c_spend'] });
  });

  /** The roles the page guesses for a CSV as loaded (its description and its first rows). */
  async function pageGuess(text: string, name: string) {
    const { table } = await parseCsvText(text, name);
    const info: DatasetInfo = { id: name, name, rows: table.rows, columns: describeColumns(table), warnings: [] };
    return roleColumns(form, guessRoles(form, info, previewOf(table)));
  }

  it('map the bundled geo sample and Meridian’s geo CSV as they load', async () => {
    const sample = readFileSync(new URL('../../../public/samples/geo-mmm.csv', import.meta.url), 'utf8');
    expect(await pageGuess(sample, 'geo-mmm.csv')).toEqual({
      date: 'date',
      geo: 'geo',
      target: 'sales',
      channels: ['tv', 'search', 'social'],
      population: 'population',
    });
    const meridian = await pageGuess(readFixture('meridian_geo_all_channels.csv'), 'meridian_geo_all_channels.csv');
    const ch = [0, 1, 2, 3, 4];
    expect(meridian).toEqual({
      date: 'time',
      geo: 'geo',
      target: 'conversions',
      channels: ch.map((c) => `Channel${c}_spend`),
      exposures: ch.map((c) => `Channel${c}_impression`),
      controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
      population: 'population',
      revenuePerKpi: 'revenue_per_conversion',
    });
  });
});

describe('column guesses by a word in the name', () => {
  const mmm = mmmForms[0];
  const channels = mmm.roles.find((r) => r.role === 'channels')!;
  const info = (columns: { name: string; type: Column['type'] }[]): DatasetInfo => ({ id: 'd', name: 'd.csv', rows: 0, columns, warnings: [] });
  const cols = (names: string[], type: Column['type'] = 'number') => names.map((name) => ({ name, type }));

  it('a word in the name marks a channel, a mere substring does not', () => {
    for (const name of ['TV Spend', 'search_spend', 'Social-Cost', 'display impressions', 'radio_budget', 'x1']) expect(guessedFor(channels, name), name).toBe(true);
    for (const name of ['spending_power', 'costa', 'revenue', 'price']) expect(guessedFor(channels, name), name).toBe(false);
  });

  it('the MMM form maps spend columns as channels, the target and the date by name', () => {
    const roles = guessRoles(mmm, info([{ name: 'week', type: 'date' }, ...cols(['revenue', 'TV Spend', 'Search Cost', 'Social Impressions', 'price', 'holiday'])]));
    expect(roles).toMatchObject({
      date: 'week',
      target: 'revenue',
      channels: ['TV Spend', 'Search Cost', 'Social Impressions'],
      controls: ['price'],
      events: ['holiday'],
    });
  });

  it('an impressions column beside the same channel’s spend is its exposure, not a second channel', () => {
    const roles = guessRoles(mmm, info([{ name: 'week', type: 'date' }, ...cols(['sales', 'tv_spend', 'tv_impressions', 'radio_spend'])]));
    expect(roles.channels).toEqual(['tv_spend', 'radio_spend']);
    expect(roles.exposures).toEqual(['tv_impressions', '']);
  });

  it('the bundled MMM samples keep their mapping', () => {
    expect(guessRoles(mmm, info([{ name: 'date', type: 'date' }, ...cols(['y', 'x1', 'x2', 'event_1', 'event_2'])]))).toMatchObject({
      date: 'date',
      target: 'y',
      channels: ['x1', 'x2'],
      controls: [],
      events: ['event_1', 'event_2'],
    });
    expect(guessRoles(mmm, info([{ name: 'date', type: 'date' }, ...cols(['new_customers', 'search', 'social', 'tv'])]))).toMatchObject({
      target: 'new_customers',
      channels: ['search', 'social', 'tv'],
    });
  });
});

/** A dataset's description (no preview rows) from its columns. */
const infoOf = (columns: DatasetInfo['columns']): DatasetInfo => ({ id: 'ds', name: 'f.csv', rows: 10, columns, warnings: [] });

describe('column roles preselected from the data', () => {
  it('MMM: columns named like spend, cost or impressions are channels, 0/1 columns are events', () => {
    const roles = guessRoles(
      mmmForms[0],
      infoOf([
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
    expect(roles).toMatchObject({
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
      infoOf([
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
