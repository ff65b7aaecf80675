/**
 * The MMM's results as charts: the fit against the actuals, the contributions over time (stacked
 * and one by one), per-channel bars (contribution, share, ROAS, marginal ROAS), response curves,
 * adstock decay and prior against posterior, and the CSV exports of the channels and
 * contributions. The plot options MmmResults.svelte draws. A channel has one colour in every chart
 * (`mmmColors`).
 */
import type { OutputsOf } from '../../api/types';
import { bandMark } from '../../ui/charts/band';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import { lineMark } from '../../ui/charts/line';
import type { Mark, PlotOptions } from '../../ui/charts/plot';
import { ruleXMark } from '../../ui/charts/rule';
import { stackedAreaMark } from '../../ui/charts/stacked-area';
import { colorsByName, INK, NEUTRAL, PALETTE } from '../../ui/theme';

type MmmOutputs = OutputsOf<'mmm'>;

/** Per-channel quantities drawn as bars. */
export type ChannelKey = 'contribution' | 'share' | 'roas' | 'mroas';

const AXIS_LABEL: Record<ChannelKey, string> = {
  contribution: 'contribution',
  share: 'share of media contribution',
  roas: 'ROAS',
  mroas: 'marginal ROAS',
};

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

/** Posterior predictive and fitted mean (94% HDIs) against the actuals. */
export function fitChart(out: MmmOutputs): PlotOptions {
  const x = periodTimes(out);
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: out.target },
    title: 'Posterior predictive fit vs actual (94% HDI)',
    marks: [
      bandMark({ x, y1: out.predictive.hdiLow, y2: out.predictive.hdiHigh, fill: PALETTE[0], opacity: 0.15, label: 'predictive 94% HDI' }),
      bandMark({ x, y1: out.fitted.hdiLow, y2: out.fitted.hdiHigh, fill: PALETTE[0], opacity: 0.35, label: 'mean 94% HDI' }),
      lineMark({ x, y: out.fitted.mean, stroke: PALETTE[0], label: 'fitted mean' }),
      lineMark({ x, y: out.actual, stroke: INK, strokeWidth: 1, label: 'actual' }),
      ...holdoutRule(out, x),
    ],
  };
}

/** The contributions' posterior means stacked over time. */
export function stackedContributionsChart(out: MmmOutputs): PlotOptions {
  const x = periodTimes(out);
  const color = mmmColors(out);
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: `contribution (${out.target})` },
    title: 'Contributions over time, stacked (posterior means)',
    marks: [...stackedAreaMark({ x, series: out.contributions.map((c) => ({ label: c.label, values: c.mean, color: color(c.label) })) }), ...holdoutRule(out, x)],
  };
}

/** Each contribution over time with its 94% HDI. */
export function contributionsChart(out: MmmOutputs): PlotOptions {
  const x = periodTimes(out);
  const color = mmmColors(out);
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: `contribution (${out.target})` },
    title: 'Each contribution over time (94% HDI)',
    marks: out.contributions.flatMap((c) => [
      bandMark({ x, y1: c.hdiLow, y2: c.hdiHigh, fill: color(c.label) }),
      lineMark({ x, y: c.mean, stroke: color(c.label), label: c.label }),
    ]),
  };
}

/** One per-channel quantity (`key`) as bars with 94% HDIs. */
export function channelBarsChart(out: MmmOutputs, key: ChannelKey, title: string): PlotOptions {
  const names = Object.keys(out.channels);
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: AXIS_LABEL[key], zero: true },
    title,
    marks: [
      intervalBarsMark({
        labels: names,
        mean: names.map((n) => out.channels[n][key].mean),
        low: names.map((n) => out.channels[n][key].hdiLow),
        high: names.map((n) => out.channels[n][key].hdiHigh),
        fill: PALETTE[1],
      }),
    ],
  };
}

/** Total contribution against total spend, the historical pattern scaled 0-2x; rules at the current spend. */
export function responseCurvesChart(out: MmmOutputs): PlotOptions {
  const color = mmmColors(out);
  return {
    x: { kind: 'linear', label: 'total spend over the fitted period' },
    y: { label: `contribution (${out.target})`, zero: true },
    title: 'Response curves: historical spend pattern scaled 0-2x (94% HDI); rules mark current spend',
    marks: Object.keys(out.channels).flatMap((n) => {
      const r = out.responseCurves[n];
      return [
        bandMark({ x: r.spend, y1: r.hdiLow, y2: r.hdiHigh, fill: color(n) }),
        lineMark({ x: r.spend, y: r.mean, stroke: color(n), label: n }),
        ruleXMark({ x: out.channels[n].spend, stroke: color(n) }),
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
    title: 'Adstock decay: share of a period’s effect at each lag (94% HDI)',
    marks: Object.keys(out.channels).flatMap((n) => {
      const a = out.adstockCurves[n];
      return [
        bandMark({ x: a.lag, y1: a.hdiLow, y2: a.hdiHigh, fill: color(n) }),
        lineMark({ x: a.lag, y: a.mean, stroke: color(n), label: n }),
      ];
    }),
  };
}

/** Prior against posterior density, one small chart per parameter. */
export function priorPosteriorCharts(out: MmmOutputs): { name: string; options: PlotOptions }[] {
  return Object.entries(out.priorPosterior).map(([name, d]) => ({
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

/** The channel table as CSV: spend and each quantity's mean, sd and 94% HDI. */
export function channelsCsv(out: MmmOutputs): { header: string[]; rows: unknown[][] } {
  const cols = ['contribution', 'share', 'roas', 'mroas'] as const;
  return {
    header: ['channel', 'spend', ...cols.flatMap((k) => [k, `${k}_sd`, `${k}_hdi_low`, `${k}_hdi_high`])],
    rows: Object.keys(out.channels).map((n) => {
      const c = out.channels[n];
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
