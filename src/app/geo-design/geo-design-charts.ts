/**
 * A geo test design (src/models/causal/geo-design.ts) as charts and a CSV: the minimum detectable
 * lift by test length of the best candidates, the false-positive rate by length (the power
 * analysis's and the historical backtest's), and every candidate's scores. What GeoDesignPage.svelte
 * draws.
 */
import type { GeoCandidate, GeoDesign } from '../../models/causal/geo-design';
import { dotMark } from '../../ui/charts/dot';
import { lineMark } from '../../ui/charts/line';
import type { PlotOptions } from '../../ui/charts/plot';
import { ruleYMark } from '../../ui/charts/rule';
import { DANGER, MUTED, NEUTRAL, seriesColor } from '../../ui/theme';

/** How a candidate is named in legends and tables: its treatment geos (the first few). */
export function candidateLabel(c: GeoCandidate, max = 4): string {
  const shown = c.treatment.slice(0, max).join(', ');
  return c.treatment.length > max ? `${shown}, … (${c.treatment.length})` : shown;
}

/** Minimum detectable lift (%) by test length of the recommended design and the next `others` candidates; a rule at the expected lift. */
export function mdeChart(design: GeoDesign, expectedLift?: number, others = 4): PlotOptions {
  const shown = design.candidates.slice(0, 1 + others);
  return {
    x: { kind: 'linear', label: 'test length (weeks)' },
    y: { label: 'minimum detectable lift (%)', zero: true },
    title: 'Minimum detectable lift at 80% power by test length (recommended design bold)' + (expectedLift ? '; the line marks the expected lift' : ''),
    marks: [
      ...shown.map((c, i) =>
        lineMark({
          x: c.scores.map((s) => s.weeks),
          y: c.scores.map((s) => 100 * s.mde),
          stroke: i === 0 ? seriesColor(0) : seriesColor(i),
          strokeWidth: i === 0 ? 3 : 1.2,
          label: `${i === 0 ? 'recommended: ' : ''}${candidateLabel(c)}`,
        }),
      ),
      ...(expectedLift ? [ruleYMark({ y: 100 * expectedLift, stroke: DANGER, dash: '4 3' })] : []),
    ],
  };
}

/** The recommended design's false-positive rate by length: the power analysis's (line), the backtest's (dots), the nominal 10% (rule). */
export function falsePositiveChart(design: GeoDesign): PlotOptions {
  const scores = design.candidates[design.recommended.candidate].scores;
  const tested = scores.filter((s) => s.backtestFalsePositive !== undefined);
  return {
    x: { kind: 'linear', label: 'test length (weeks)' },
    y: { label: 'false-positive rate (%)', zero: true },
    title: 'Recommended design: a no-effect test read as positive (%), from the power analysis (line) and the historical windows (dots); the rule is the nominal 10%',
    marks: [
      lineMark({ x: scores.map((s) => s.weeks), y: scores.map((s) => 100 * s.falsePositiveRate), stroke: seriesColor(0), label: 'power analysis' }),
      ...(tested.length ? [dotMark({ x: tested.map((s) => s.weeks), y: tested.map((s) => 100 * s.backtestFalsePositive!), fill: MUTED, r: 4, label: 'historical windows' })] : []),
      ruleYMark({ y: 10, stroke: NEUTRAL, dash: '4 3' }),
    ],
  };
}

/** Every candidate's score at every length, one row each (empty cells where the backtest had no window). */
export function designCsv(design: GeoDesign): { header: string[]; rows: unknown[][] } {
  return {
    header: ['rank', 'recommended', 'treatment_geos', 'share', 'weeks', 'mde_lift', 'selection_mde_lift', 'mde_effect', 'false_positive_rate', 'windows', 'backtest_false_positive', 'backtest_power', 'cost'],
    rows: design.candidates.flatMap((c, i) =>
      c.scores.map((s) => [
        i + 1,
        i === design.recommended.candidate && s.weeks === design.recommended.weeks ? 'yes' : '',
        c.treatment.join(' '),
        c.share,
        s.weeks,
        s.mde,
        s.selectionMde,
        s.mdeEffect,
        s.falsePositiveRate,
        s.windows,
        s.backtestFalsePositive ?? '',
        s.backtestPower ?? '',
        s.cost ?? '',
      ]),
    ),
  };
}
