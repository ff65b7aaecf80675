/**
 * Geo MMM input: any row order gives the same model (one CSV per geo stacked, shuffled rows), and
 * each bad input gets its specific message naming the geo, the row or the column.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { buildMmm } from '../../../../src/models/mmm/mmm';
import { findModel } from '../../../../src/models/registry';

const SPEC: FitSpec = { dataset: 'g', model: 'mmm', columns: { date: 'date', geo: 'geo', population: 'pop', target: 'y', channels: ['tv', 'web'] } };
const HEADER = 'date,geo,pop,y,tv,web,tv_imp';
const DAY = 86_400_000;

/** Rows of `geos` geos x `weeks` weeks: a deterministic, varied table; `edit` may change a row's fields. */
function rows(geos = 3, weeks = 30, edit?: (f: string[], g: number, t: number) => string[] | null): string[] {
  const out: string[] = [];
  for (let g = 0; g < geos; g++) {
    for (let t = 0; t < weeks; t++) {
      const date = new Date(Date.UTC(2023, 0, 2) + t * 7 * DAY).toISOString().slice(0, 10);
      const tv = ((t * 7 + g * 3) % 11) * 10;
      const web = 5 + ((t * 5 + g) % 7);
      const f = [date, `geo${g}`, String(1000 * (g + 1)), String(100 + g * 10 + t + tv / 5 + web), String(tv), String(web), String(tv * 20)];
      const e = edit ? edit(f, g, t) : f;
      if (e) out.push(e.join(','));
    }
  }
  return out;
}

async function build(lines: string[], spec: FitSpec = SPEC) {
  const { table } = await parseCsvText(`${HEADER}\n${lines.join('\n')}\n`, 'data.csv');
  return buildMmm(table, spec);
}
async function fails(lines: string[], re: RegExp, spec: FitSpec = SPEC) {
  const { table } = await parseCsvText(`${HEADER}\n${lines.join('\n')}\n`, 'data.csv');
  expect(() => findModel('mmm').prepare(table, spec)).toThrow(re);
}

describe('geo MMM input', () => {
  it('any row order gives the same data (geos sorted naturally, periods by date)', async () => {
    const base = await build(rows());
    const shuffled = rows().map((r, i) => [r, (i * 7919) % 90] as const).sort((a, b) => a[1] - b[1]).map(([r]) => r);
    const other = await build(shuffled);
    expect(other.data.geos).toEqual(['geo0', 'geo1', 'geo2']);
    expect(Array.from(other.data.y)).toEqual(Array.from(base.data.y));
    expect(other.data.xMax).toEqual(base.data.xMax);
    expect(other.prepared.model.names).toEqual(base.prepared.model.names);
  });

  it('names a geo with a missing or duplicated date, and geos with different date ranges', async () => {
    await fails(rows(3, 30, (f, g, t) => (g === 1 && t === 10 ? null : f)), /Geo "geo1": no row for 2023-03-13 \(geo "geo0" has one\)/);
    await fails([...rows(), rows(3, 30)[35]], /Geo "geo1": the date 2023-02-06 appears twice \(rows 36 and 91\)/);
    await fails(rows(3, 30, (f, g, t) => (g === 2 && t === 29 ? null : f)), /Geos cover different date ranges: geo "geo0" runs 2023-01-02 to 2023-07-24, geo "geo2" 2023-01-02 to 2023-07-17/);
    await fails(rows(3, 30, (f, g, t) => (g === 0 && t === 4 ? null : f)), /Geo "geo0": Dates are not evenly spaced: 2023-01-23 to 2023-02-06 \(row 5\) is 14 days/);
    await fails(rows(3, 30, (f, g, t) => (g === 2 && t === 3 ? [f[0], '', ...f.slice(2)] : f)), /Row 64: the geo \("geo"\) is missing/);
  });

  it('names a population that is zero or varies within a geo', async () => {
    await fails(rows(3, 30, (f, g, t) => (g === 1 && t === 5 ? [f[0], f[1], '0', ...f.slice(3)] : f)), /Row 36 \(geo "geo1"\): population "pop" is 0; a population must be above 0/);
    await fails(rows(3, 30, (f, g, t) => (g === 2 && t === 7 ? [f[0], f[1], '3001', ...f.slice(3)] : f)), /Geo "geo2": population "pop" varies within the geo \(3000 in row 61, 3001 in row 68\)/);
  });

  it('names negative spend or exposure, and a channel all zero in every geo', async () => {
    await fails(rows(3, 30, (f, g, t) => (g === 1 && t === 2 ? [...f.slice(0, 5), '-3', f[6]] : f)), /Row 33 \(geo "geo1"\): channel "web" has negative spend \(-3\)/);
    const withImp: FitSpec = { ...SPEC, columns: { ...SPEC.columns, channels: ['tv'], exposures: ['tv_imp'] } };
    await fails(rows(3, 30, (f, g, t) => (g === 2 && t === 0 ? [...f.slice(0, 6), '-1'] : f)), /Row 61 \(geo "geo2"\): channel "tv" has negative exposure \(-1 in "tv_imp"\)/, withImp);
    await fails(rows(3, 30, (f) => [...f.slice(0, 5), '0', f[6]]), /Channel "web" is all zeros in every geo: its effect cannot be estimated/);
    await fails(rows(), /"exposures" must list one column per channel, in the channels' order \(2 channels, 1 exposure columns\)/, { ...SPEC, columns: { ...SPEC.columns, exposures: ['tv_imp'] } });
  });

  it('refuses geo-level options with fewer than 2 geos, and more parameters than rows', async () => {
    await fails(rows(1, 30), /config.geoSeasonality "per geo" needs a geo column with 2 or more geos; "geo" has only 1/, { ...SPEC, config: { geoSeasonality: 'per geo' } });
    await fails(rows(1, 30), /config.geoSeasonality "per geo" needs a geo column with 2 or more geos; no geo column is mapped/, {
      ...SPEC,
      columns: { ...SPEC.columns, geo: [] },
      config: { geoSeasonality: 'per geo' },
    });
    await fails(rows(), /config.geoParametrisation "centred" has no mode .* MAP cannot fit it: use MCMC, or the default "centred intercepts"/, {
      ...SPEC,
      config: { geoParametrisation: 'centred' },
      inference: { method: 'map' },
    });
    // 3 geos x 8 weeks = 24 rows; 1 + 2x3 media + trend + 4 Fourier + sigma + geo terms (1 + 3 + 2 + 6 + 1 + 3) = 29 parameters.
    await fails(rows(3, 8), /Too few rows to fit: 24 rows \(3 geos x 8 periods\) for 29 parameters/);
  });
});
