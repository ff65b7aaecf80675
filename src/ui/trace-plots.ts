/**
 * Trace and rank plots of one parameter from a run's compact trace (ArviZ `plot_trace` and
 * `plot_rank` with `kind="bars"`): the plot options the TracePlots component draws.
 */
import type { ParameterSummary, RunDiagnostics, RunTrace } from '../api/types';
import { lineMark } from './charts/line';
import type { PlotOptions } from './charts/plot';
import { PALETTE, seriesColor } from './theme';
import { rowHistogramsMark } from './charts/row-histograms';

/** Chart width, as the other charts (plot.ts default). */
const WIDTH = 720;

/** The kept parameter with the largest finite R-hat (the first one when none is finite). */
export function worstRhatParam(names: readonly string[], parameters: Record<string, ParameterSummary>): string | undefined {
  let worst: string | undefined;
  let worstRhat = -Infinity;
  for (const name of names) {
    const r = parameters[name]?.rhat;
    if (r !== undefined && Number.isFinite(r) && r > worstRhat) {
      worst = name;
      worstRhat = r;
    }
  }
  return worst ?? names[0];
}

/** Row and legend label of chain `k` (0-based); a MAP run's "chains" are sets of independent draws. */
export function chainLabel(k: number, laplace: boolean): string {
  return `${laplace ? 'set' : 'chain'} ${k + 1}`;
}

/** Draw index (of the run, before thinning) against value, one line per kept chain. */
export function tracePlot(trace: RunTrace, name: string, laplace: boolean): PlotOptions {
  const x = Float64Array.from({ length: trace.draws }, (_, i) => i * trace.thin);
  const marks = trace.params[name].map((draws, k) =>
    lineMark({
      x,
      y: Float64Array.from(draws, (v) => v ?? NaN),
      stroke: seriesColor(k),
      strokeWidth: 1,
      label: chainLabel(k, laplace),
    }),
  );
  return {
    width: WIDTH,
    height: 260,
    x: { kind: 'linear', label: laplace ? 'draw (independent)' : 'draw' },
    // Plain numbers: SI prefixes would print 0.25 as "250m".
    y: { label: name, format: '~g' },
    title: laplace ? `Laplace draws of ${name}` : `Trace of ${name}`,
    marks,
  };
}

/**
 * Per kept chain, the histogram of its draws' ranks among all draws of the run, with the uniform
 * expectation (draws per chain / bins) dashed.
 */
export function rankPlot(trace: RunTrace, name: string, diagnostics: Pick<RunDiagnostics, 'chains' | 'draws'>, laplace: boolean): PlotOptions {
  const { bins, counts } = trace.ranks[name];
  const total = diagnostics.chains * diagnostics.draws;
  const edges = Float64Array.from({ length: bins + 1 }, (_, j) => (j * total) / bins);
  const expected = diagnostics.draws / bins;
  const largest = Math.max(expected, ...counts.flat());
  const rows = counts.map((_, k) => chainLabel(k, laplace));
  return {
    width: WIDTH,
    height: 64 + 30 * rows.length,
    x: { kind: 'linear', label: `rank among all ${total} draws`, nice: false },
    y: { kind: 'band' },
    title: `Rank plot of ${name} (dashed: uniform)`,
    marks: [
      rowHistogramsMark({
        rows,
        edges,
        counts,
        max: 1.1 * largest,
        reference: expected,
        fills: PALETTE,
      }),
    ],
  };
}
