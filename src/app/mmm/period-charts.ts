/**
 * The MMM's period comparison as a table and a waterfall (period-comparison.ts), for the page
 * (PeriodComparison.svelte) and the report alike: plain strings and plot options, no DOM.
 */
import type { Estimate, OutputsOf } from '../../api/types';
import { changeWaterfall, type PeriodChange, type PeriodComparison } from '../../models/mmm/period-comparison';
import type { PlotOptions } from '../../ui/charts/plot';
import { waterfallMark } from '../../ui/charts/waterfall';
import { fmt, fmtInterval } from '../../ui/format';
import { PALETTE } from '../../ui/theme';

type MmmOutputs = OutputsOf<'mmm'>;

/** Which base period a change is against. */
export type Against = 'previous' | 'yearAgo';

/** How each base is named. */
export const AGAINST_LABEL: Record<Against, string> = { previous: 'the previous period', yearAgo: 'the same period a year earlier' };

/** A signed interval: `+12 [3, 20]`. */
function signed(e: Estimate): string {
  return `${e.mean > 0 ? '+' : ''}${fmtInterval(e)}`;
}

const unbounded = 'unbounded';

/** Whether the run's target counts acquisitions (runs stored before `targetKind` read as values). */
export function isCount(out: MmmOutputs): boolean {
  return out.targetKind === 'count';
}

/**
 * The comparison's table against `change`: one row per quantity (observed and fitted target, each
 * part's contribution, each channel's spend and ROAS or cost per acquisition), columns the current
 * period, the base period and the change with its 94% HDI (per-draw differences).
 */
export function periodTable(c: PeriodComparison, change: PeriodChange, target: string): { header: string[]; rows: string[][] } {
  const cur = c.current;
  const base = change.base;
  const rows: string[][] = [
    [`${target} (observed)`, fmt(cur.actual), fmt(base.actual), `${change.actual > 0 ? '+' : ''}${fmt(change.actual)}`],
    [`${target} (model fit)`, fmtInterval(cur.fitted), fmtInterval(base.fitted), signed(change.fitted)],
  ];
  cur.parts.forEach((p, i) => rows.push([`contribution: ${p.label}`, fmtInterval(p.contribution), fmtInterval(base.parts[i].contribution), signed(change.parts[i].change)]));
  rows.push(['not explained by the model', '', '', signed(change.unexplained)]);
  cur.channels.forEach((ch, j) => {
    const b = base.channels[j];
    const d = change.channels[j];
    rows.push([`spend: ${ch.name}`, fmt(ch.spend), fmt(b.spend), `${d.spend > 0 ? '+' : ''}${fmt(d.spend)}`]);
    if (ch.cpa !== undefined) {
      const show = (e: Estimate | null | undefined) => (e ? fmtInterval(e) : unbounded);
      rows.push([`cost per ${target}: ${ch.name}`, show(ch.cpa), show(b.cpa), d.cpa ? signed(d.cpa) : unbounded]);
    } else {
      const show = (e: Estimate | null) => (e ? fmtInterval(e) : 'no spend');
      rows.push([`ROAS: ${ch.name}`, show(ch.roas), show(b.roas), d.roas ? signed(d.roas) : '—']);
    }
  });
  return { header: ['', cur.key, base.key, 'change [94% HDI]'], rows };
}

/** The waterfall of the change in the target from the base period to the current one. */
export function periodWaterfallChart(c: PeriodComparison, change: PeriodChange, out: Pick<MmmOutputs, 'target'>): PlotOptions {
  return {
    x: { kind: 'band', label: 'part of the model' },
    y: { label: out.target },
    title: `${out.target}: ${change.base.key} to ${c.current.key}, the change split by part (posterior means, 94% HDI of each change)`,
    marks: [waterfallMark({ steps: changeWaterfall(change, c.current.key, c.current.actual), total: PALETTE[0], format: (v) => fmt(v) })],
  };
}
