/**
 * Per channel, the spend at which its marginal ROAS falls to a target (1 by default: the last unit
 * of spend returns one unit of the target), from every stored draw of the response model (float64,
 * no tfjs). The spend is a sustained spend per period: held for long, the normalised adstock
 * (weights sum to 1) carries a constant spend s to the level s, so the channel's contribution per
 * period is yMax f(s / xMax) and its marginal ROAS is yMax f'(s / xMax) / xMax, whatever the
 * adstock. Above that spend, one more unit returns less than the target. In a geo-level model a
 * channel's national spend is split over the geos by their historical shares (budget-cells.ts) and
 * the marginal ROAS is that of the geos' summed contribution.
 */
import { InputError } from '../../api/errors';
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { cellLayout, steadyContribution } from './budget-cells';
import { drawCount, type ResponseModel } from './response';

/** Upper end of the search, in multiples of the channel's largest historical spend per period. */
const SEARCH_MAX = 1000;
/** Grid of scaled spends searched for the last crossing: 0, then log-spaced from 1e-4 to SEARCH_MAX. */
const GRID = [0, ...Array.from({ length: 241 }, (_, i) => 1e-4 * Math.pow(SEARCH_MAX / 1e-4, i / 240))];

/** A channel's spend per period at which its marginal ROAS falls to the target. */
export interface MarginalBreakeven {
  channel: string;
  target: number;
  /** Sustained spend per period (spend units), summarised over draws (94% HDI). */
  spend: Estimate;
  /** The same per draw. */
  draws: number[];
  /** Draws in which even the first unit of spend returns less than the target (their spend is 0). */
  never: number;
  /** Draws still above the target at SEARCH_MAX x the largest historical spend (their spend is that bound). */
  beyond: number;
  /** The channel's historical mean spend per period, for comparison. */
  meanSpend: number;
}

/**
 * For each channel of `m`, the sustained spend per period at which its marginal ROAS falls to
 * `target` (> 0), per draw: the largest spend where it crosses the target (for an S-shaped Hill
 * curve, on the falling side of its peak), found on a log grid and refined by bisection.
 */
export function marginalBreakevens(m: ResponseModel, target = 1): MarginalBreakeven[] {
  if (!(target > 0) || !Number.isFinite(target)) throw new InputError(`The marginal ROAS to find the spend for must be a positive number, got ${target}.`);
  const layout = cellLayout(m, 'channel');
  const D = drawCount(m);
  return m.channels.map((channel, c) => {
    let never = 0;
    let beyond = 0;
    const draws = Array.from({ length: D }, (_, d) => {
      // Marginal ROAS at scaled spend x (spend x xMax): the contribution's derivative by central differences (forward at 0).
      const marginal = (x: number) => {
        const h = 1e-7 * Math.max(x, 1e-4);
        const lo = Math.max(0, x - h);
        return (steadyContribution(m, layout, d, c, (x + h) * m.xMax[c]) - steadyContribution(m, layout, d, c, lo * m.xMax[c])) / ((x + h - lo) * m.xMax[c]);
      };
      let last = -1;
      for (let i = GRID.length - 1; i >= 0; i--) {
        if (marginal(GRID[i]) >= target) {
          last = i;
          break;
        }
      }
      if (last < 0) {
        never++;
        return 0;
      }
      if (last === GRID.length - 1) {
        beyond++;
        return GRID[last] * m.xMax[c];
      }
      let a = GRID[last];
      let b = GRID[last + 1];
      for (let it = 0; it < 100; it++) {
        const mid = 0.5 * (a + b);
        if (mid === a || mid === b) break;
        if (marginal(mid) >= target) a = mid;
        else b = mid;
      }
      return 0.5 * (a + b) * m.xMax[c];
    });
    return { channel, target, spend: estimate(draws), draws, never, beyond, meanSpend: m.meanSpend[c] };
  });
}
