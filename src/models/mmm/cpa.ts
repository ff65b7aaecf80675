/**
 * Cost per acquisition for an MMM whose target is a count (sign-ups, new customers): spend per
 * unit of contribution, per posterior draw, so its interval is the posterior's and not the
 * reciprocal of the ROAS interval's ends (an HDI does not carry over through 1/x).
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';

/**
 * The posterior of `spend / contribution` over the contribution's draws; null when some draw's
 * contribution is 0 or less (the cost per acquisition is then unbounded: the data cannot rule out
 * that the spend brought nothing), or when there is no spend.
 */
export function cpaEstimate(spend: number, contributionDraws: ArrayLike<number>): Estimate | null {
  if (!(spend > 0) || contributionDraws.length === 0) return null;
  const cpa = new Float64Array(contributionDraws.length);
  for (let d = 0; d < cpa.length; d++) {
    const c = contributionDraws[d];
    if (!(c > 0)) return null;
    cpa[d] = spend / c;
  }
  return estimate(cpa);
}
