// @vitest-environment happy-dom
/**
 * A count target's channels read as cost per acquisition (and its marginal cost), a value
 * target's as ROAS; an unbounded cost says so in words; the CPA chart leaves unbounded channels
 * out and names them. Runs stored before `targetKind` read as values.
 */
import { describe, expect, it } from 'vitest';
import type { Estimate, OutputsOf } from '../../../../src/api/types';
import { cpaChart, marginalCell, marginalLabel, returnCell, returnLabel, UNBOUNDED_CPA } from '../../../../src/app/mmm/return-metric';
import { renderPlot } from '../../../../src/ui/charts/plot';

const est = (mean: number): Estimate => ({ mean, sd: 0.1, hdiLow: mean - 0.2, hdiHigh: mean + 0.2 });
const channel = (cpa: Estimate | null) => ({ spend: 100, contribution: est(10), contributionDraws: [10], share: est(0.5), roas: est(0.1), mroas: est(0.05), cpa, mcpa: cpa && est(20) });
const run = (targetKind?: 'count' | 'value') =>
  ({ target: 'signups', ...(targetKind ? { targetKind } : {}), channels: { search: channel(est(10)), tv: channel(null) } }) as unknown as OutputsOf<'mmm'>;

describe('channel returns', () => {
  it('a count target reads as cost per acquisition, a value target as ROAS', () => {
    const count = run('count');
    expect(returnLabel(count)).toBe('cost per signups (spend per unit)');
    expect(marginalLabel(count)).toBe('marginal cost per signups');
    expect(returnCell(count, count.channels.search)).toBe('10 [9.8, 10.2]');
    expect(marginalCell(count, count.channels.search)).toBe('20 [19.8, 20.2]');
    expect(returnCell(count, count.channels.tv)).toBe(UNBOUNDED_CPA);
    for (const value of [run('value'), run()]) {
      expect(returnLabel(value)).toBe('ROAS');
      expect(returnCell(value, value.channels.search)).toBe('0.1 [-0.1, 0.3]');
      expect(marginalLabel(value)).toBe('marginal ROAS');
    }
  });

  it('the CPA chart draws the bounded channels and names the others', () => {
    const options = cpaChart(run('count'));
    expect(options.title).toContain('unbounded, not drawn: tv');
    const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    renderPlot(el, options);
    expect([...el.querySelectorAll('g.interval')].map((g) => g.getAttribute('data-label'))).toEqual(['search']);
  });
});
