/**
 * The views only a geo-level MMM run has (`outputs.geo`): the fit of each geo as small multiples,
 * the geo x channel table (sorted by any column) and its heat map, and their CSV exports. The
 * national builders of mmm-charts.ts draw one geo when given it (the page's geo filter).
 */
import type { OutputsOf } from '../../api/types';
import type { MmmGeoChannel, MmmGeoOutputs } from '../../models/mmm/geo-outputs';
import { bandMark } from '../../ui/charts/band';
import { heatmapMark } from '../../ui/charts/heatmap';
import { lineMark } from '../../ui/charts/line';
import type { PlotOptions } from '../../ui/charts/plot';
import { INK, PALETTE } from '../../ui/theme';
import { fmt } from '../../ui/format';
import { periodTimes, type ChannelKey } from './mmm-charts';

type MmmOutputs = OutputsOf<'mmm'>;

/** A column of the geo x channel table. */
export type GeoTableKey = 'geo' | 'channel' | 'spend' | ChannelKey;

/** How the geo x channel table is sorted: by a column, descending or not. */
export interface GeoTableSort {
  key: GeoTableKey;
  descending: boolean;
}

const HEATMAP_TITLE: Record<ChannelKey, string> = {
  contribution: 'Contribution by geo and channel (posterior mean)',
  share: 'Share of each geo’s media contribution by channel (posterior mean)',
  roas: 'ROAS by geo and channel (posterior mean)',
  mroas: 'Marginal ROAS by geo and channel (posterior mean)',
};

/** The geo part of a run's outputs, or an error saying the run has none. */
function geoOutputs(out: MmmOutputs): MmmGeoOutputs {
  if (!out.geo) throw new Error('This MMM run has no geos: it was fitted on national data.');
  return out.geo;
}

/**
 * The geos in order of their total actual target over the fitted periods, largest first: the
 * small multiples show the first ones.
 */
export function geosBySize(out: MmmOutputs): string[] {
  const geo = geoOutputs(out);
  const total = geo.actual.map((a) => a.slice(0, out.train).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0));
  return geo.geos.map((name, g) => ({ name, total: total[g] })).sort((a, b) => b.total - a.total).map((x) => x.name);
}

/** One small chart per geo in `geos`: its fitted mean (94% HDI) against its actuals. */
export function geoFitCharts(out: MmmOutputs, geos: readonly string[]): { geo: string; options: PlotOptions }[] {
  const geo = geoOutputs(out);
  const x = periodTimes(out);
  return geos.map((name) => {
    const g = geo.geos.indexOf(name);
    if (g < 0) throw new Error(`The run has no geo "${name}".`);
    const f = geo.fitted[g];
    return {
      geo: name,
      options: {
        width: 300,
        height: 180,
        x: { kind: 'time' as const },
        y: { label: out.target },
        title: `${name}: R² ${fmt(geo.r2[g].mean, 2)}`,
        marks: [
          bandMark({ x, y1: f.hdiLow, y2: f.hdiHigh, fill: PALETTE[0], opacity: 0.35 }),
          lineMark({ x, y: f.mean, stroke: PALETTE[0] }),
          lineMark({ x, y: geo.actual[g], stroke: INK, strokeWidth: 1 }),
        ],
      },
    };
  });
}

/** The value a row is sorted by: a name, the spend, or a quantity's posterior mean. */
function sortValue(row: MmmGeoChannel, key: GeoTableKey): string | number {
  if (key === 'geo' || key === 'channel') return row[key];
  if (key === 'spend') return row.spend;
  return row[key].mean;
}

/**
 * The geo x channel table's rows (only `channel`'s when given), sorted by `sort`: names
 * alphabetically (numbers inside names in numeric order: Geo2 before Geo10), quantities by their
 * posterior mean; ties keep the geo-major order.
 */
export function geoTableRows(out: MmmOutputs, sort: GeoTableSort, channel?: string): MmmGeoChannel[] {
  const rows = geoOutputs(out).table.filter((r) => channel === undefined || r.channel === channel);
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const va = sortValue(a.row, sort.key);
      const vb = sortValue(b.row, sort.key);
      const c = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb), undefined, { numeric: true }) : va - vb;
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

/** The sort after a click on column `key`: the same column flips, another starts descending (names ascending). */
export function nextGeoTableSort(sort: GeoTableSort, key: GeoTableKey): GeoTableSort {
  if (sort.key === key) return { key, descending: !sort.descending };
  return { key, descending: key !== 'geo' && key !== 'channel' };
}

/** Geos (rows, in the geos' order) by channels (columns) coloured by one quantity's posterior mean. */
export function geoHeatmapChart(out: MmmOutputs, key: ChannelKey): PlotOptions {
  const geo = geoOutputs(out);
  const channels = Object.keys(out.channels);
  const cell = new Map(geo.table.map((r) => [`${r.geo}\u0000${r.channel}`, r[key].mean]));
  const values = geo.geos.flatMap((g) => channels.map((c) => cell.get(`${g}\u0000${c}`) ?? NaN));
  return {
    width: Math.max(420, 140 + 90 * channels.length),
    height: Math.max(220, 70 + 16 * geo.geos.length),
    x: { kind: 'band', label: 'channel' },
    y: { kind: 'band' },
    title: HEATMAP_TITLE[key],
    marks: [
      heatmapMark({
        xLabels: channels,
        yLabels: geo.geos,
        values,
        format: key === 'share' ? (v) => `${(v * 100).toFixed(1)}%` : (v) => fmt(v),
      }),
    ],
  };
}

/** The geo x channel table as CSV: spend and each quantity's mean, sd and 94% HDI, one row per geo and channel. */
export function geoChannelsCsv(out: MmmOutputs): { header: string[]; rows: unknown[][] } {
  const cols = ['contribution', 'share', 'roas', 'mroas'] as const;
  return {
    header: ['geo', 'channel', 'spend', ...cols.flatMap((k) => [k, `${k}_sd`, `${k}_hdi_low`, `${k}_hdi_high`])],
    rows: geoOutputs(out).table.map((r) => [r.geo, r.channel, r.spend, ...cols.flatMap((k) => [r[k].mean, r[k].sd, r[k].hdiLow, r[k].hdiHigh])]),
  };
}

/** Per geo and period: the actual, the fit and each channel's contribution, each with its 94% HDI (long format). */
export function geoContributionsCsv(out: MmmOutputs): { header: string[]; rows: unknown[][] } {
  const geo = geoOutputs(out);
  const channels = Object.keys(out.channels);
  return {
    header: ['geo', 'date', 'actual', 'fitted', 'fitted_hdi_low', 'fitted_hdi_high', ...channels.flatMap((c) => [c, `${c}_hdi_low`, `${c}_hdi_high`])],
    rows: geo.geos.flatMap((name, g) =>
      out.dates.map((d, t) => [
        name,
        d,
        geo.actual[g][t],
        geo.fitted[g].mean[t],
        geo.fitted[g].hdiLow[t],
        geo.fitted[g].hdiHigh[t],
        ...channels.flatMap((c) => {
          const s = geo.contributions[g][c];
          return s ? [s.mean[t], s.hdiLow[t], s.hdiHigh[t]] : [NaN, NaN, NaN];
        }),
      ]),
    ),
  };
}
