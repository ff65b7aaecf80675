/**
 * How an MMM's channels read as a return: ROAS (target per unit of spend) for a value target,
 * cost per acquisition (spend per unit of target, per draw: models/mmm/cpa.ts) for a count target
 * such as sign-ups, where "ROAS 0.00784" means nothing to a reader. For the page and the report.
 */
import type { OutputsOf } from '../../api/types';
import type { MmmChannel } from '../../models/mmm/channel-outputs';
import { intervalBarsMark } from '../../ui/charts/interval-bars';
import type { PlotOptions } from '../../ui/charts/plot';
import { fmtInterval } from '../../ui/format';
import { PALETTE } from '../../ui/theme';
import { isCount } from './period-charts';

type MmmOutputs = OutputsOf<'mmm'>;

/** What an unbounded cost per acquisition reads as. */
export const UNBOUNDED_CPA = 'unbounded (the contribution’s interval reaches 0)';

/** The column heading of a channel's return. */
export function returnLabel(out: MmmOutputs): string {
  return isCount(out) ? `cost per ${out.target} (spend per unit)` : 'ROAS';
}

/** A channel's return with its 94% HDI: cost per acquisition for a count target, else ROAS. */
export function returnCell(out: MmmOutputs, c: Pick<MmmChannel, 'roas' | 'cpa'>): string {
  if (!isCount(out)) return fmtInterval(c.roas);
  return c.cpa ? fmtInterval(c.cpa) : UNBOUNDED_CPA;
}

/** The column heading of a channel's marginal return. */
export function marginalLabel(out: MmmOutputs): string {
  return isCount(out) ? `marginal cost per ${out.target}` : 'marginal ROAS';
}

/** A channel's marginal return at current spend: marginal cost per acquisition for a count target, else marginal ROAS. */
export function marginalCell(out: MmmOutputs, c: Pick<MmmChannel, 'mroas' | 'mcpa'>): string {
  if (!isCount(out)) return fmtInterval(c.mroas);
  return c.mcpa ? fmtInterval(c.mcpa) : UNBOUNDED_CPA;
}

/** Cost per acquisition by channel with 94% HDIs (channels whose cost is unbounded are left out and named in the title). */
export function cpaChart(out: MmmOutputs): PlotOptions {
  const names = Object.keys(out.channels);
  const bounded = names.filter((n) => out.channels[n].cpa);
  const left = names.filter((n) => !out.channels[n].cpa);
  return {
    x: { kind: 'band', label: 'channel' },
    y: { label: `spend per ${out.target}`, zero: true },
    title: `Cost per ${out.target} by channel (94% HDI)${left.length ? `; unbounded, not drawn: ${left.join(', ')}` : ''}`,
    marks: [
      intervalBarsMark({
        labels: bounded,
        mean: bounded.map((n) => out.channels[n].cpa!.mean),
        low: bounded.map((n) => out.channels[n].cpa!.hdiLow),
        high: bounded.map((n) => out.channels[n].cpa!.hdiHigh),
        fill: PALETTE[1],
      }),
    ],
  };
}
