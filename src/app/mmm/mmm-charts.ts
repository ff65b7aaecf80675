/**
 * The MMM's results as charts: the fit against the actuals, the contributions over time (stacked
 * and one by one), per-channel bars (contribution, share, ROAS, marginal ROAS), response curves,
 * adstock decay and prior against posterior, and the CSV exports of the channels and
 * contributions. The plot options MmmResults.svelte draws. A channel has one colour in every chart
 * (`mmmColors`). For a geo-level run every builder that takes `geo` draws that geo (its fit, its
 * contributions, its channels and response curves) instead of the national sum over geos; the
 * views only geo data has are in mmm-geo-charts.ts.
 */
import type { Estimate, OutputsOf } from '../../api/types';
import { bandMark } from '../../ui/charts/band';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import { lineMark } from '../../ui/charts/line';
import type { Mark, PlotOptions } from '../../ui/charts/plot';
import { ruleXMark } from '../../ui/charts/rule';
import { stackedAreaMark } from '../../ui/charts/stacked-area';
import { colorsByName, INK, NEUTRAL, PALETTE } from '../../ui/theme';
import { fmtInterval } from '../../ui/format';

type MmmOutputs = OutputsOf<'mmm'>;

/** Per-channel quantities drawn as bars. */
export type ChannelKey = 'contribution' | 'share' | 'roas' | 'mroas';

const AXIS_LABEL: Record<ChannelKey, string> = {
  contribution: 'contribution',
  share: 'share of media contribution',
  roas: 'ROAS',
  mroas: 'marginal ROAS',
};

/** A channel's totals over the fitted period, nationally or in one geo. */
export interface ChannelSummary {
  spend: number;
  contribution: Estimate;
  share: Estimate;
  roas: Estimate;
  mroas: Estimate;
  /** With a count target: cost per acquisition, null when unbounded. */
  cpa?: Estimate | null;
  /** With a count target: marginal cost per acquisition, null when unbounded. */
  mcpa?: Estimate | null;
}

/**
 * The index of `geo` in a geo-level run's geos; undefined for the national view (`geo` undefined
 * or the run has no geos). An unknown geo is an error: a view must never silently show another.
 */
export function geoIndex(out: MmmOutputs, geo: string | undefined): number | undefined {
  if (geo === undefined || !out.geo) return undefined;
  const g = out.geo.geos.indexOf(geo);
  if (g < 0) throw new Error(`The run has no geo "${geo}" (its geos: ${out.geo.geos.slice(0, 5).join(', ')}${out.geo.geos.length > 5 ? ', …' : ''}).`);
  return g;
}

/** ` in <geo>` for a title, or nothing for the national view. */
function inGeo(out: MmmOutputs, geo: string | undefined): string {
  return geoIndex(out, geo) === undefined ? (out.geo ? ' (national: all geos)' : '') : ` in ${geo}`;
}

/** Each channel's totals, nationally or in `geo`, in the channels' order. */
export function channelSummaries(out: MmmOutputs, geo?: string): Record<string, ChannelSummary> {
  const g = geoIndex(out, geo);
  if (g === undefined || !out.geo) return out.channels;
  const cells = out.geo.table.filter((c) => c.geo === out.geo?.geos[g]);
  return Object.fromEntries(Object.keys(out.channels).flatMap((n) => {
    const c = cells.find((x) => x.channel === n);
    return c ? [[n, c]] : [];
  }));
}

/**
 * What a ROAS counts per unit spent: the target's units, or revenue when the data gives a revenue
 * per unit of target (the target then counts conversions).
 */
export function roasUnit(out: MmmOutputs): string {
  return out.revenuePerKpi ? `revenue (${out.target} x ${out.revenuePerKpi})` : out.target;
}

/** One colour per channel in every chart of the run: channels first, then the other contributions. */
export function mmmColors(out: MmmOutputs): (name: string) => string {
  return colorsByName([...Object.keys(out.channels), ...out.contributions.map((c) => c.label)]);
}

/** The period dates as epoch milliseconds (the time axis). */
export function periodTimes(out: MmmOutputs): number[] {
  return out.dates.map((d) => Date.parse(`${d}T00:00:00Z`));
}

/** A rule where the holdout starts, when there is one. */
function holdoutRule(out: MmmOutputs, x: readonly number[]): Mark[] {
  return out.train < out.dates.length ? [ruleXMark({ x: x[out.train], label: 'holdout starts' })] : [];
}

/**
 * Posterior predictive and fitted mean (94% HDIs) against the actuals; in a geo, its fitted mean
 * (94% HDI) against its actuals (the outputs keep no predictive band per geo).
 */
export function fitChart(out: MmmOutputs, geo?: string): PlotOptions {
  const x = periodTimes(out);
  const g = geoIndex(out, geo);
  if (g !== undefined && out.geo) {
    const fitted = out.geo.fitted[g];
    return {
      x: { kind: 'time', label: 'date' },
      y: { label: out.target },
      title: `Fit vs actual in ${geo}: fitted mean (94% HDI), Bayesian R² ${fmtInterval(out.geo.r2[g])}`,
      marks: [
        bandMark({ x, y1: fitted.hdiLow, y2: fitted.hdiHigh, fill: PALETTE[0], opacity: 0.35, label: 'mean 94% HDI' }),
        lineMark({ x, y: fitted.mean, stroke: PALETTE[0], label: 'fitted mean' }),
        lineMark({ x, y: out.geo.actual[g], stroke: INK, strokeWidth: 1, label: 'actual' }),
        ...holdoutRule(out, x),
      ],
    };
  }
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: out.target },
    title: `Posterior predictive fit vs actual${inGeo(out, geo)} (94% HDI)`,
    marks: [
      bandMark({ x, y1: out.predictive.hdiLow, y2: out.predictive.hdiHigh, fill: PALETTE[0], opacity: 0.15, label: 'predictive 94% HDI' }),
      bandMark({ x, y1: out.fitted.hdiLow, y2: out.fitted.hdiHigh, fill: PALETTE[0], opacity: 0.35, label: 'mean 94% HDI' }),
      lineMark({ x, y: out.fitted.mean, stroke: PALETTE[0], label: 'fitted mean' }),
      lineMark({ x, y: out.actual, stroke: INK, strokeWidth: 1, label: 'actual' }),
      ...holdoutRule(out, x),
    ],
  };
}

/**
 * The contributions' posterior means stacked over time. In a geo: the baseline (its fitted mean
 * less the channels' means: intercept, trend, seasonality, controls and events together) under
 * each channel's contribution.
 */
export function stackedContributionsChart(out: MmmOutputs, geo?: string): PlotOptions {
  const x = periodTimes(out);
  const color = mmmColors(out);
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: `contribution (${out.target})` },
    title: `Contributions over time${inGeo(out, geo)}, stacked (posterior means)`,
    marks: [...stackedAreaMark({ x, series: contributionSeries(out, geo).map((c) => ({ label: c.label, values: c.mean, color: color(c.label) })) }), ...holdoutRule(out, x)],
  };
}

/** Label of a geo's non-media part in its stacked contributions. */
export const GEO_BASELINE = 'baseline (all but media)';

/**
 * The contribution series drawn nationally (every component) or in `geo` (its baseline, then
 * each channel with its band; the baseline has none: its band is not in the outputs).
 */
function contributionSeries(out: MmmOutputs, geo: string | undefined): { label: string; mean: number[]; hdiLow?: number[]; hdiHigh?: number[] }[] {
  const g = geoIndex(out, geo);
  if (g === undefined || !out.geo) return out.contributions;
  const channels = out.geo.contributions[g];
  const names = Object.keys(out.channels).filter((n) => channels[n]);
  const baseline = out.geo.fitted[g].mean.map((v, t) => names.reduce((rest, n) => rest - channels[n].mean[t], v));
  return [{ label: GEO_BASELINE, mean: baseline }, ...names.map((n) => ({ label: n, ...channels[n] }))];
}

/** Each contribution over time with its 94% HDI (nationally, or in `geo`). */
export function contributionsChart(out: MmmOutputs, geo?: string): PlotOptions {
  const x = periodTimes(out);
  const color = mmmColors(out);
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: `contribution (${out.target})` },
    title: `Each contribution over time${inGeo(out, geo)} (94% HDI)`,
    marks: contributionSeries(out, geo).flatMap((c) => [
      ...(c.hdiLow && c.hdiHigh ? [bandMark({ x, y1: c.hdiLow, y2: c.hdiHigh, fill: color(c.label) })] : []),
      lineMark({ x, y: c.mean, stroke: color(c.label), label: c.label }),
    ]),
  };
}

/** One per-channel quantity (`key`) as bars with 94% HDIs (nationally, or in `geo`). */
export function channelBarsChart(out: MmmOutputs, key: ChannelKey, title: string, geo?: string): PlotOptions {
  const channels = channelSummaries(out, geo);
  const names = Object.keys(channels);
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: AXIS_LABEL[key], zero: true },
    title: `${title}${inGeo(out, geo)}`,
    marks: [
      intervalBarsMark({
        labels: names,
        mean: names.map((n) => channels[n][key].mean),
        low: names.map((n) => channels[n][key].hdiLow),
        high: names.map((n) => channels[n][key].hdiHigh),
        fill: PALETTE[1],
      }),
    ],
  };
}

/**
 * Total contribution against total spend, the historical pattern scaled 0-2x; rules at the
 * current spend (nationally, or in `geo`).
 */
export function responseCurvesChart(out: MmmOutputs, geo?: string): PlotOptions {
  const color = mmmColors(out);
  const g = geoIndex(out, geo);
  const curves = g === undefined || !out.geo ? out.responseCurves : out.geo.responseCurves[g];
  const channels = channelSummaries(out, geo);
  return {
    x: { kind: 'linear', label: 'total spend over the fitted period' },
    y: { label: `contribution (${out.target})`, zero: true },
    title: `Response curves${inGeo(out, geo)}: historical spend pattern scaled 0-2x (94% HDI); rules mark current spend`,
    marks: Object.keys(channels).flatMap((n) => {
      const r = curves[n];
      if (!r) return [];
      return [
        bandMark({ x: r.spend, y1: r.hdiLow, y2: r.hdiHigh, fill: color(n) }),
        lineMark({ x: r.spend, y: r.mean, stroke: color(n), label: n }),
        ruleXMark({ x: channels[n].spend, stroke: color(n) }),
      ];
    }),
  };
}

/** Each channel's adstock weights by lag (94% HDI). */
export function adstockChart(out: MmmOutputs): PlotOptions {
  const color = mmmColors(out);
  return {
    x: { kind: 'linear', label: 'lag (periods)' },
    y: { label: 'weight', zero: true },
    title: `Adstock decay: share of a period’s effect at each lag (94% HDI)${out.geo ? '; shared by all geos' : ''}`,
    marks: Object.keys(out.channels).flatMap((n) => {
      const a = out.adstockCurves[n];
      return [
        bandMark({ x: a.lag, y1: a.hdiLow, y2: a.hdiHigh, fill: color(n) }),
        lineMark({ x: a.lag, y: a.mean, stroke: color(n), label: n }),
      ];
    }),
  };
}

/** The geos named in a flat parameter's index (`z[G01, tv]` names G01). */
function geosOf(out: MmmOutputs, name: string): string[] {
  const index = /\[(.*)\]$/.exec(name)?.[1];
  if (!index || !out.geo) return [];
  const geos = new Set(out.geo.geos);
  return index.split(',').map((part) => part.trim()).filter((part) => geos.has(part));
}

/**
 * Prior against posterior density, one small chart per parameter. In a geo-level run the
 * parameters of one geo only with `geo` (else those of no single geo: a run of 40 geos has
 * hundreds).
 */
export function priorPosteriorCharts(out: MmmOutputs, geo?: string): { name: string; options: PlotOptions }[] {
  const g = geoIndex(out, geo);
  const shown = ([name]: [string, unknown]) => {
    const geos = geosOf(out, name);
    return geos.length === 0 || (g !== undefined && geos.includes(out.geo?.geos[g] ?? ''));
  };
  return Object.entries(out.priorPosterior).filter(shown).map(([name, d]) => ({
    name,
    options: {
      width: 260,
      height: 170,
      x: { kind: 'linear' as const, label: name },
      y: { label: 'density', zero: true },
      title: `${name}: prior vs posterior`,
      marks: [
        lineMark({ x: d.x, y: d.prior, stroke: NEUTRAL, dash: '4 3', label: 'prior' }),
        lineMark({ x: d.x, y: d.posterior, stroke: PALETTE[0], label: 'posterior' }),
      ],
    },
  }));
}

/** The channel table as CSV: spend and each quantity's mean, sd and 94% HDI (nationally, or in `geo`). */
export function channelsCsv(out: MmmOutputs, geo?: string): { header: string[]; rows: unknown[][] } {
  const cols = ['contribution', 'share', 'roas', 'mroas'] as const;
  const channels = channelSummaries(out, geo);
  return {
    header: ['channel', 'spend', ...cols.flatMap((k) => [k, `${k}_sd`, `${k}_hdi_low`, `${k}_hdi_high`])],
    rows: Object.keys(channels).map((n) => {
      const c = channels[n];
      return [n, c.spend, ...cols.flatMap((k) => [c[k].mean, c[k].sd, c[k].hdiLow, c[k].hdiHigh])];
    }),
  };
}

/** Per period: the actual, the fit and every contribution, each with its 94% HDI. */
export function contributionsCsv(out: MmmOutputs): { header: string[]; rows: unknown[][] } {
  return {
    header: ['date', 'actual', 'fitted', 'fitted_hdi_low', 'fitted_hdi_high', ...out.contributions.flatMap((c) => [c.label, `${c.label}_hdi_low`, `${c.label}_hdi_high`])],
    rows: out.dates.map((d, t) => [
      d,
      out.actual[t],
      out.fitted.mean[t],
      out.fitted.hdiLow[t],
      out.fitted.hdiHigh[t],
      ...out.contributions.flatMap((c) => [c.mean[t], c.hdiLow[t], c.hdiHigh[t]]),
    ]),
  };
}
