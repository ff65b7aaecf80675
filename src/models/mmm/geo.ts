/**
 * The geo layout of MMM data: which table row holds each (geo, period). Long format, any row order
 * (one CSV per geo stacked is fine): rows are grouped by the `geo` column (without one, every row is
 * the single geo), each geo's rows sorted by date, and every geo must cover the same evenly spaced
 * dates once each. The model's arrays are geo-major: entry g * T + t is geo g, period t. Every
 * rejection is an InputError naming the geo, the row or the date.
 */
import { InputError } from '../../api/errors';
import { dateColumn, labelColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { DAY_MS, toIsoDate } from '../../data/time';

/** Which table row holds each (geo, period). */
export interface GeoRows {
  /** Geo names in natural sort order (`['']` without a geo column). */
  geos: string[];
  /** Period start dates (epoch ms), sorted; the same for every geo. */
  dates: number[];
  /** Days between periods (7 weekly, 1 daily; months are accepted too). */
  periodDays: number;
  /** Table row (0-based) of geo g, period t at g * T + t. */
  row: Int32Array;
}

/**
 * Sorted dates with a constant step (days), or an InputError naming the duplicate or the gap;
 * `where` prefixes the messages (the geo), `rowOf(k)` is the 1-based data row of date k. Monthly
 * data (calendar months) is accepted as well.
 */
export function checkDates(dates: readonly number[], rowOf: (k: number) => number, where = ''): number {
  for (let k = 0; k < dates.length; k++) {
    if (!Number.isFinite(dates[k])) throw new InputError(`${where}Row ${rowOf(k)}: the date is missing.`);
  }
  for (let k = 1; k < dates.length; k++) {
    if (dates[k] === dates[k - 1]) {
      throw new InputError(
        `${where}Row ${rowOf(k)}: the date ${toIsoDate(dates[k])} appears twice (also row ${rowOf(k - 1)}); an MMM needs one row per ${where ? 'geo and ' : ''}period.`,
      );
    }
  }
  if (dates.length < 2) return 7;
  const step = dates[1] - dates[0];
  const monthly = step >= 28 * DAY_MS && step <= 31 * DAY_MS;
  for (let k = 1; k < dates.length; k++) {
    const a = new Date(dates[k - 1]);
    const b = new Date(dates[k]);
    const ok = monthly
      ? b.getUTCFullYear() * 12 + b.getUTCMonth() - (a.getUTCFullYear() * 12 + a.getUTCMonth()) === 1
      : Math.abs(dates[k] - dates[k - 1] - step) < DAY_MS / 2;
    if (!ok) {
      const gap = Math.round((dates[k] - dates[k - 1]) / DAY_MS);
      throw new InputError(
        `${where}Dates are not evenly spaced: ${toIsoDate(dates[k - 1])} to ${toIsoDate(dates[k])} (row ${rowOf(k)}) is ${gap} days, but the first step is ${Math.round(step / DAY_MS)} days. Fill the missing periods (with 0 spend) or remove the extra rows.`,
      );
    }
  }
  return Math.round(step / DAY_MS);
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** The rows of each geo sorted by date, checked: every geo has the same evenly spaced dates, once each. */
export function geoRows(table: Table, dateName: string, geoName?: string): GeoRows {
  const dateValues = dateColumn(table, dateName, 'date').values;
  const labels = geoName ? labelColumn(table, geoName, 'geo') : undefined;
  const byGeo = new Map<string, number[]>();
  for (let i = 0; i < table.rows; i++) {
    const g = labels ? labels[i].trim() : '';
    if (labels && g === '') throw new InputError(`Row ${i + 1}: the geo ("${geoName}") is missing; every row needs its geo.`);
    let rows = byGeo.get(g);
    if (!rows) byGeo.set(g, (rows = []));
    rows.push(i);
  }
  const geos = [...byGeo.keys()].sort(naturalOrder);
  const name = (g: string) => (labels ? `Geo "${g}": ` : '');
  const sorted = geos.map((g) => {
    const rows = byGeo.get(g) as number[];
    rows.sort((a, b) => {
      const da = dateValues[a];
      const db = dateValues[b];
      if (Number.isNaN(da)) return Number.isNaN(db) ? 0 : -1;
      if (Number.isNaN(db)) return 1;
      return da - db;
    });
    return rows;
  });
  const periodDays = checkDates(
    sorted[0].map((i) => dateValues[i]),
    (k) => sorted[0][k] + 1,
    name(geos[0]),
  );
  const dates = sorted[0].map((i) => dateValues[i]);
  const T = dates.length;
  const row = new Int32Array(geos.length * T);
  sorted.forEach((rows, g) => {
    const own = rows.map((i) => dateValues[i]);
    const where = name(geos[g]);
    // Missing and duplicated dates first (named by row), then the comparison with the first geo.
    own.forEach((d, k) => {
      if (!Number.isFinite(d)) throw new InputError(`${where}Row ${rows[k] + 1}: the date is missing.`);
      if (k > 0 && d === own[k - 1]) {
        throw new InputError(`${where}the date ${toIsoDate(d)} appears twice (rows ${rows[k - 1] + 1} and ${rows[k] + 1}); a geo MMM needs one row per geo and period.`);
      }
    });
    if (g > 0) {
      if (own[0] !== dates[0] || own[own.length - 1] !== dates[T - 1]) {
        throw new InputError(
          `Geos cover different date ranges: geo "${geos[0]}" runs ${toIsoDate(dates[0])} to ${toIsoDate(dates[T - 1])}, geo "${geos[g]}" ${toIsoDate(own[0])} to ${toIsoDate(own[own.length - 1])}. Every geo needs the same periods.`,
        );
      }
      const have = new Set(own);
      const missing = dates.find((d) => !have.has(d));
      if (missing !== undefined) {
        throw new InputError(`${where}no row for ${toIsoDate(missing)} (geo "${geos[0]}" has one); every geo needs a row for every period (0 spend where nothing was spent).`);
      }
      const ref = new Set(dates);
      const extra = own.findIndex((d) => !ref.has(d));
      if (extra >= 0) {
        throw new InputError(`${where}row ${rows[extra] + 1} is dated ${toIsoDate(own[extra])}, a period no other geo has (geo "${geos[0]}" has none); the periods must be evenly spaced and the same for every geo.`);
      }
    }
    rows.forEach((i, t) => (row[g * T + t] = i));
  });
  return { geos, dates, periodDays, row };
}
