/**
 * The count models' results as charts (BG/NBD, MBG/NBD, Pareto/NBD): tracking, calibration vs
 * holdout, P(alive) and expected-purchase heatmaps, the CLV distribution, a new customer's
 * purchases, value per acquired customer by channel and the parameters' posteriors. The plot
 * options ClvResults.svelte draws.
 */
import type { OutputsOf } from '../../api/types';
import type { Prior } from '../../engine/priors';
import type { ModelsOf } from '../../models/families';
import { bandMark } from '../../ui/charts/band';
import { barYMark } from '../../ui/charts/bar';
import { heatmapMark } from '../../ui/charts/heatmap';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import { lineMark } from '../../ui/charts/line';
import { ruleXMark } from '../../ui/charts/rule';
import type { PlotOptions } from '../../ui/charts/plot';
import { fmt } from '../../ui/format';
import { colorsByName, PALETTE, seriesColor } from '../../ui/theme';

type CountModelOutputs = OutputsOf<ModelsOf<'count'>>;

/** A customer table whose columns may be missing (a run stored by an older version). */
export type ClvCustomers = Partial<CountModelOutputs['customers']> & { id: string[] };

/**
 * A count model's outputs with every section optional: a run stored by an older version renders
 * whatever it has.
 */
export type ClvOutputs = Partial<Omit<CountModelOutputs, 'customers'>> & { customers?: ClvCustomers };

/** Per-customer posterior summaries, column-wise (mean, sd and 94% HDI per customer). */
export type CustomerEstimates = CountModelOutputs['customers']['pAlive'];

/** "Gamma(alpha=1, beta=0.5)": a prior as the results list it. */
export function priorText(p: Prior): string {
  return `${p.dist}(${Object.entries(p)
    .filter(([k]) => k !== 'dist')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v, 3) : String(v)}`)
    .join(', ')})`;
}

/**
 * Repeat purchases per period, incremental and cumulative: actual against the model's 94% HDI,
 * with a rule at the end of the calibration period when the fit had one (`config.calibrationEnd`).
 */
export function trackingCharts(tracking: NonNullable<ClvOutputs['tracking']>, unit: string, calibrationEnd?: unknown): PlotOptions[] {
  const x = tracking.date.map((d) => Date.parse(`${d}T00:00:00Z`));
  const end = typeof calibrationEnd === 'string' ? Date.parse(`${calibrationEnd.slice(0, 10)}T00:00:00Z`) : NaN;
  const rule = Number.isFinite(end) ? [ruleXMark({ x: end, label: 'calibration end' })] : [];
  return (['incremental', 'cumulative'] as const).map((kind) => {
    const e = kind === 'cumulative' ? tracking.expectedCumulative : tracking.expected;
    return {
      x: { kind: 'time' as const, label: `${unit} (period start)` },
      y: { label: 'repeat purchases', zero: true },
      title: `Repeat purchases per ${unit.replace(/s$/, '')}, ${kind}: actual vs model (94% HDI)`,
      marks: [
        bandMark({ x, y1: e.hdiLow, y2: e.hdiHigh, fill: PALETTE[0], label: 'model 94% HDI' }),
        lineMark({ x, y: e.mean, stroke: PALETTE[0], dash: '4 3', label: 'model' }),
        lineMark({ x, y: kind === 'cumulative' ? tracking.actualCumulative : tracking.actual, stroke: PALETTE[1], label: 'actual' }),
        ...rule,
      ],
    };
  });
}

/** Mean holdout purchases by calibration frequency: predicted (94% HDI) and actual. */
export function holdoutChart(h: NonNullable<ClvOutputs['calibrationHoldout']>, unit: string): PlotOptions {
  return {
    x: { kind: 'band', label: 'purchases in the calibration period' },
    y: { label: `mean purchases in the ${fmt(h.holdoutLength, 3)}-${unit} holdout`, zero: true },
    title: 'Calibration vs holdout: predicted (94% HDI) and actual',
    marks: [
      intervalBarsMark({ labels: h.bin, mean: h.predicted.mean, low: h.predicted.hdiLow, high: h.predicted.hdiHigh, fill: PALETTE[0], label: 'predicted (94% HDI)' }),
      lineMark({ x: h.bin, y: h.actual, stroke: PALETTE[1], label: 'actual' }),
    ],
  };
}

/** Grid values as labels: whole numbers where that keeps every label distinct (12, not 12.35), else 2 significant digits. */
export function roundLabels(values: readonly number[]): string[] {
  const whole = values.map((v) => String(Math.round(v)));
  return new Set(whole).size === values.length ? whole : values.map((v) => fmt(v, 2));
}

/** One of the frequency x recency heatmaps (`values` is `h.pAlive` or `h.expectedPurchases`). */
export function heatmapChart(
  h: NonNullable<ClvOutputs['heatmaps']>,
  values: (number | null)[][],
  title: string,
  format: (v: number) => string,
  unit: string,
): PlotOptions {
  return {
    height: 360,
    x: { kind: 'band', label: `recency: ${unit} from first to last purchase` },
    y: { kind: 'band', label: 'frequency: repeat purchases (x)' },
    title,
    marks: [
      heatmapMark({
        xLabels: roundLabels(h.recency),
        yLabels: h.frequency.map((f) => `x=${f}`).reverse(),
        values: [...values].reverse().flat().map((v) => Number(v ?? NaN)),
        // Both are non-negative: the colour scale starts at 0 (its bar then reads 0, not 1e-35).
        domain: [0, Math.max(1e-9, ...values.flat().map((v) => Number(v ?? NaN)).filter(Number.isFinite))],
        format,
      }),
    ],
  };
}

/** Customers by a per-customer value (predicted CLV, expected spend), a bar per bin labelled by its lower edge. */
export function customerHistogramChart(histogram: { edges: number[]; counts: number[] }, label: string, title: string): PlotOptions {
  return {
    x: { kind: 'band', label },
    y: { label: 'customers', zero: true },
    title,
    marks: [barYMark({ x: histogram.counts.map((_, i) => fmt(histogram.edges[i], 3)), y: histogram.counts, fill: PALETTE[2] })],
  };
}

/** A new customer's purchases over the prediction horizon: P(X(t) = n) with 94% HDI. */
export function pmfChart(pmf: NonNullable<ClvOutputs['pmf']>, unit: string): PlotOptions {
  return {
    x: { kind: 'band', label: `purchases in ${fmt(pmf.t, 3)} ${unit}` },
    y: { label: 'probability', zero: true },
    title: 'Purchases of a new customer: P(X(t) = n) with 94% HDI',
    marks: [intervalBarsMark({ labels: pmf.n.map(String), mean: pmf.p.mean, low: pmf.p.hdiLow, high: pmf.p.hdiHigh, fill: PALETTE[4] })],
  };
}

/**
 * Value per acquired customer by channel: its cumulative value over the months after acquisition
 * (94% HDI), and how the channel's customers spread over value. A channel has one colour in both,
 * and on the LTV/CAC page (`colorsByName` of the channels in this order).
 */
export function channelValueCharts(byChannel: NonNullable<ClvOutputs['byChannel']>, months: number): [PlotOptions, PlotOptions] {
  const names = Object.keys(byChannel);
  const color = colorsByName(names);
  return [
    {
      x: { kind: 'linear', label: 'months after the first purchase' },
      y: { label: 'cumulative value per customer', zero: true },
      title: `Value per acquired customer by channel, observed + predicted (94% HDI)`,
      marks: names.flatMap((ch) => {
        const v = byChannel[ch].cumulative;
        const x = v.mean.map((_, m) => m);
        return [
          bandMark({ x, y1: v.hdiLow, y2: v.hdiHigh, fill: color(ch) }),
          lineMark({ x, y: v.mean, stroke: color(ch), label: ch }),
        ];
      }),
    },
    {
      x: { kind: 'linear', label: `${months}-month value per customer (posterior mean; the last bin holds the tail)` },
      y: { label: '% of the channel’s customers', zero: true },
      title: 'Distribution of value per acquired customer, by channel',
      marks: names.map((ch) => {
        const h = byChannel[ch].histogram;
        const total = h.counts.reduce((a, b) => a + b, 0);
        return lineMark({ x: h.counts.map((_, b) => (h.edges[b] + h.edges[b + 1]) / 2), y: h.counts.map((n) => (100 * n) / Math.max(1, total)), stroke: color(ch), label: ch });
      }),
    },
  ];
}

/** The posterior density of each parameter, small (the count models' and Gamma-Gamma's `densities`). */
export function densityCharts(densities: Record<string, { x: number[]; density: number[] }>): PlotOptions[] {
  return Object.entries(densities).map(([name, d], k) => ({
    width: 280,
    height: 180,
    x: { kind: 'linear' as const, label: name },
    y: { label: 'density', zero: true },
    title: `posterior of ${name}`,
    marks: [lineMark({ x: d.x, y: d.density, stroke: seriesColor(k) })],
  }));
}
