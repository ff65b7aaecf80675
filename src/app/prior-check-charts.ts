/** The prior predictive check as a chart: the 94% interval of the target drawn from the priors, a few single draws, and the data. */
import type { PriorPredictive } from '../models/types';
import { bandMark } from '../ui/charts/band';
import { lineMark } from '../ui/charts/line';
import type { PlotOptions } from '../ui/charts/plot';
import { fmt } from '../ui/format';
import { INK, NEUTRAL, PALETTE } from '../ui/theme';

/** The prior predictive against the data over time. */
export function priorPredictiveChart(pp: PriorPredictive): PlotOptions {
  const x = pp.dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  return {
    x: { kind: 'time', label: 'date' },
    y: { label: pp.target },
    title: `Prior predictive: ${pp.target} drawn from the priors (${pp.draws} draws, 94% interval and ${pp.samples.length} single draws) against the data`,
    marks: [
      bandMark({ x, y1: pp.predictive.hdiLow, y2: pp.predictive.hdiHigh, fill: PALETTE[0], opacity: 0.2, label: 'prior predictive 94%' }),
      ...pp.samples.map((s) => lineMark({ x, y: s, stroke: NEUTRAL, strokeWidth: 0.6 })),
      lineMark({ x, y: pp.actual, stroke: INK, strokeWidth: 1.5, label: 'data' }),
    ],
  };
}

/** One sentence on what the check says. */
export function priorPredictiveVerdict(pp: PriorPredictive): string {
  const inside = `${fmt(pp.coverage * 100, 3)}% of the observed values lie inside the priors' 94% predictive interval`;
  if (pp.coverage >= 0.9) return `${inside}: the priors allow the data.`;
  if (pp.coverage >= 0.5) return `${inside}: the priors allow only part of the data; check that they are not too narrow or centred elsewhere.`;
  return `${inside}: the priors rule most of the data out; widen or re-centre them before fitting.`;
}
