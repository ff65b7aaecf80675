/**
 * LTV/CAC by acquisition channel as charts and a CSV: the ratio against break-even, LTV beside CAC,
 * and the payback of each channel's cumulative value against its CAC. What LtvCacPage.svelte draws;
 * a channel keeps its colour from the CLV run's charts.
 */
import type { OutputsOf } from '../api/types';
import type { ChannelEconomics } from '../models/ltv-cac';
import type { ModelsOf } from '../models/families';
import { bandMark } from '../ui/charts/band';
import { intervalBarsMark } from '../ui/charts/interval-bars';
import { lineMark } from '../ui/charts/line';
import type { PlotOptions } from '../ui/charts/plot';
import { ruleYMark } from '../ui/charts/rule';
import { colorsByName, DANGER, PALETTE } from '../ui/theme';

/** The CLV run's value per acquired customer, by channel. */
type ChannelValues = NonNullable<OutputsOf<ModelsOf<'count'>>['byChannel']>;

/** LTV / CAC per channel (94% HDI), with a rule at break-even (1). */
export function ratioChart(rows: readonly ChannelEconomics[]): PlotOptions {
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: 'LTV / CAC', zero: true },
    title: 'LTV / CAC per channel (94% HDI); the line marks break-even (1)',
    marks: [
      intervalBarsMark({
        labels: rows.map((r) => r.channel),
        mean: rows.map((r) => r.ratio.mean),
        low: rows.map((r) => r.ratio.hdiLow),
        high: rows.map((r) => r.ratio.hdiHigh),
        fill: PALETTE[2],
      }),
      ruleYMark({ y: 1, stroke: DANGER, strokeWidth: 1.5, dash: '4 3' }),
    ],
  };
}

/** LTV over `months` beside CAC, per channel (94% HDI). */
export function ltvVsCacChart(rows: readonly ChannelEconomics[], months: number): PlotOptions {
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: 'per acquired customer', zero: true },
    title: `${months}-month LTV vs CAC per channel (94% HDI)`,
    marks: rows.flatMap((r) =>
      (['ltv', 'cac'] as const).map((k, j) =>
        intervalBarsMark({
          labels: [`${r.channel} ${k.toUpperCase()}`],
          mean: [r[k].mean],
          low: [r[k].hdiLow],
          high: [r[k].hdiHigh],
          fill: PALETTE[j],
        }),
      ),
    ),
  };
}

/** Each channel's cumulative value per acquired customer (94% HDI) against its CAC (dashed, posterior mean). */
export function paybackChart(rows: readonly ChannelEconomics[], byChannel: ChannelValues, months: number): PlotOptions {
  const color = colorsByName(Object.keys(byChannel));
  return {
    x: { kind: 'linear', label: 'months after the first purchase' },
    y: { label: 'cumulative value per customer', zero: true },
    title: 'Payback: cumulative value per acquired customer (94% HDI) against the CAC (dashed, posterior mean)',
    marks: rows.flatMap((r) => {
      const v = byChannel[r.channel].cumulative;
      const x = v.mean.map((_, m) => m);
      return [
        bandMark({ x, y1: v.hdiLow, y2: v.hdiHigh, fill: color(r.channel) }),
        lineMark({ x, y: v.mean, stroke: color(r.channel), label: r.channel }),
        lineMark({ x: [0, months], y: [r.cac.mean, r.cac.mean], stroke: color(r.channel), dash: '4 3' }),
      ];
    }),
  };
}

/** The table as CSV: each quantity with its 94% HDI, payback months ("> months" where it does not pay back). */
export function ltvCacCsv(rows: readonly ChannelEconomics[], months: number): { header: string[]; rows: unknown[][] } {
  const cols = ['incremental', 'cac', 'ltv', 'ratio'] as const;
  return {
    header: ['channel', 'customers', 'spend', ...cols.flatMap((k) => [k, `${k}_hdi_low`, `${k}_hdi_high`]), 'payback_months', 'payback_low', 'payback_high'],
    rows: rows.map((r) => [
      r.channel,
      r.customers,
      r.spend,
      ...cols.flatMap((k) => [r[k].mean, r[k].hdiLow, r[k].hdiHigh]),
      r.payback.median ?? `>${months}`,
      r.payback.low ?? `>${months}`,
      r.payback.high ?? `>${months}`,
    ]),
  };
}
