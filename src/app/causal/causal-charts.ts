/**
 * The causal models' results as charts: observed against the counterfactual, the pointwise and
 * cumulative effects (interrupted time series, synthetic control, DiD, TBR), the regression
 * discontinuity's scatter and fits, and the CSV exports of each. The plot options
 * CausalResults.svelte draws.
 */
import type { Estimate, OutputsOf } from '../../api/types';
import type { ModelsOf } from '../../models/families';
import { bandMark } from '../../ui/charts/band';
import { dotMark } from '../../ui/charts/dot';
import { lineMark } from '../../ui/charts/line';
import type { Mark, PlotOptions } from '../../ui/charts/plot';
import { ruleXMark, ruleYMark } from '../../ui/charts/rule';
import { INK, MUTED, PALETTE } from '../../ui/theme';

/** Outputs of the causal models over a time series (all but RD). */
export type TimeSeriesOutputs = OutputsOf<Exclude<ModelsOf<'causal'>, 'rd'>>;
type RdOutputs = OutputsOf<'rd'>;

const mean = (e: readonly Estimate[]) => e.map((v) => v.mean);
const low = (e: readonly Estimate[]) => e.map((v) => v.hdiLow);
const high = (e: readonly Estimate[]) => e.map((v) => v.hdiHigh);

/** A time as the results write it: an ISO date for a date axis, else the number. */
export function timeLabel(v: number, kind: 'date' | 'number'): string {
  return kind === 'date' ? new Date(v).toISOString().slice(0, 10) : String(v);
}

/** The outcome's axis label: its label, with the unit when there is one. */
function axisLabel(o: { outcomeLabel?: string; outcome: string; unit?: string }): string {
  return `${o.outcomeLabel ?? o.outcome}${o.unit ? ` (${o.unit})` : ''}`;
}

function xKind(ts: TimeSeriesOutputs): 'time' | 'linear' {
  return ts.series.timeKind === 'date' ? 'time' : 'linear';
}

/**
 * Rules at the intervention (a TBR test's start), and at a TBR test's end when data follow it
 * (`testEnd`, only for TBR).
 */
export function interventionRules(ts: TimeSeriesOutputs, tbr: { testEnd: number } | undefined): Mark[] {
  const r = [ruleXMark({ x: ts.treatmentStart, label: tbr ? 'test starts' : 'intervention' })];
  if (tbr && ts.series.postEnd < ts.series.time.length) r.push(ruleXMark({ x: tbr.testEnd, label: 'test ends' }));
  return r;
}

/** Observed against the counterfactual (94% HDI), with DiD's control group when given. */
export function counterfactualChart(ts: TimeSeriesOutputs, rules: readonly Mark[], control?: { values: number[]; name: string }): PlotOptions {
  const s = ts.series;
  const marks: Mark[] = [
    bandMark({ x: s.time, y1: low(s.counterfactual), y2: high(s.counterfactual), fill: PALETTE[0], opacity: 0.2, label: 'counterfactual 94% HDI' }),
    lineMark({ x: s.time, y: mean(s.counterfactual), stroke: PALETTE[0], dash: '5 3', label: 'counterfactual' }),
    lineMark({ x: s.time, y: s.observed, stroke: INK, label: 'observed' }),
  ];
  if (control) marks.push(lineMark({ x: s.time, y: control.values, stroke: PALETTE[2], strokeWidth: 1, label: control.name }));
  return {
    x: { kind: xKind(ts), label: s.timeKind === 'date' ? 'date' : 'time' },
    y: { label: axisLabel(ts) },
    title: 'Observed vs counterfactual (94% HDI)',
    marks: [...marks, ...rules],
  };
}

/** The pointwise effect, observed minus counterfactual (94% HDI). */
export function effectChart(ts: TimeSeriesOutputs, rules: readonly Mark[]): PlotOptions {
  const s = ts.series;
  return {
    x: { kind: xKind(ts) },
    y: { label: 'effect', zero: true },
    title: 'Pointwise effect: observed − counterfactual (94% HDI)',
    marks: [
      bandMark({ x: s.time, y1: low(s.effect), y2: high(s.effect), fill: PALETTE[1], opacity: 0.25 }),
      lineMark({ x: s.time, y: mean(s.effect), stroke: PALETTE[1] }),
      ruleYMark({ y: 0 }),
      ...rules,
    ],
  };
}

/** The effect summed since the intervention (94% HDI): only for a flow, a stock's sum means nothing. */
export function cumulativeChart(ts: TimeSeriesOutputs): PlotOptions {
  const s = ts.series;
  const t = s.time.slice(s.postStart, s.postEnd);
  return {
    x: { kind: xKind(ts) },
    y: { label: 'cumulative effect', zero: true },
    title: 'Cumulative effect since the intervention (94% HDI)',
    marks: [
      bandMark({ x: t, y1: low(s.cumulative), y2: high(s.cumulative), fill: PALETTE[3], opacity: 0.25 }),
      lineMark({ x: t, y: mean(s.cumulative), stroke: PALETTE[3] }),
      ruleYMark({ y: 0 }),
    ],
  };
}

/** The RD scatter (faded outside the bandwidth) with the fit on each side of the threshold (94% HDI of the mean). */
export function rdChart(rd: RdOutputs): PlotOptions {
  const curve = (c: RdOutputs['fit']['below'], color: string, label: string) => [
    bandMark({ x: c.x, y1: low(c.mean), y2: high(c.mean), fill: color, opacity: 0.25 }),
    lineMark({ x: c.x, y: mean(c.mean), stroke: color, label }),
  ];
  return {
    x: { kind: 'linear', label: rd.running },
    y: { label: axisLabel(rd) },
    title: `Outcome against ${rd.running}, fitted on each side of the threshold (94% HDI of the mean)`,
    marks: [
      dotMark({ x: rd.points.x, y: rd.points.y, opacity: rd.points.inWindow.map((inside) => (inside ? 0.85 : 0.25)), fill: MUTED }),
      ...curve(rd.fit.below, PALETTE[0], 'below threshold'),
      ...curve(rd.fit.above, PALETTE[1], 'at or above threshold'),
      ruleXMark({ x: rd.threshold, label: 'threshold' }),
    ],
  };
}

/** Per time point: observed, counterfactual, effect and (after the intervention) cumulative effect, each with its 94% HDI. */
export function seriesCsv(ts: TimeSeriesOutputs): { header: string[]; rows: unknown[][] } {
  const s = ts.series;
  const cumAt = (i: number) => (i >= s.postStart && i < s.postEnd ? s.cumulative[i - s.postStart] : undefined);
  return {
    header: ['time', 'observed', 'counterfactual', 'counterfactual_low', 'counterfactual_high', 'effect', 'effect_low', 'effect_high', 'cumulative', 'cumulative_low', 'cumulative_high'],
    rows: s.time.map((t, i) => [
      timeLabel(t, s.timeKind),
      s.observed[i],
      s.counterfactual[i].mean,
      s.counterfactual[i].hdiLow,
      s.counterfactual[i].hdiHigh,
      s.effect[i].mean,
      s.effect[i].hdiLow,
      s.effect[i].hdiHigh,
      cumAt(i)?.mean ?? '',
      cumAt(i)?.hdiLow ?? '',
      cumAt(i)?.hdiHigh ?? '',
    ]),
  };
}

/** The synthetic control's donor weights with their 94% HDIs. */
export function weightsCsv(sc: OutputsOf<'synthetic_control'>): { header: string[]; rows: unknown[][] } {
  return {
    header: ['donor', 'mean', 'sd', 'hdi_low', 'hdi_high'],
    rows: Object.entries(sc.weights).map(([d, w]) => [d, w.mean, w.sd, w.hdiLow, w.hdiHigh]),
  };
}

/** The RD's points and whether each is inside the bandwidth. */
export function rdPointsCsv(rd: RdOutputs): { header: string[]; rows: unknown[][] } {
  return {
    header: [rd.running, rd.outcome, 'in_bandwidth'],
    rows: rd.points.x.map((x, i) => [x, rd.points.y[i], rd.points.inWindow[i] ? 1 : 0]),
  };
}
