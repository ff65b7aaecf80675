// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { ParameterSummary, RunTrace } from '../../../src/api/types';
import { createPosterior } from '../../../src/engine/posterior';
import { createRng } from '../../../src/engine/rng';
import { compactTrace } from '../../../src/engine/trace';
import { renderPlot } from '../../../src/ui/charts/plot';
import { chainLabel, rankPlot, tracePlot, worstRhatParam } from '../../../src/ui/trace-plots';

function svg(): SVGSVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(el);
  return el;
}

/** 32 chains x 1000 draws of two parameters; chain 0 of `b` sits 1 sd high. */
function runTrace(): RunTrace {
  const rng = createRng(11);
  const values = new Float64Array(32 * 1000 * 2);
  for (let k = 0; k < values.length; k++) values[k] = rng.normal() + (k % 2 === 1 && k < 2000 ? 1 : 0);
  return compactTrace(createPosterior(['a', 'b'], 32, 1000, values));
}

const summary = (rhat: number): ParameterSummary => ({ mean: 0, sd: 1, hdiLow: -1, hdiHigh: 1, rhat, essBulk: 500, essTail: 500 });

describe('trace and rank plots', () => {
  it('defaults to the parameter with the worst finite R-hat', () => {
    expect(worstRhatParam(['a', 'b', 'c'], { a: summary(1.001), b: summary(1.2), c: summary(NaN) })).toBe('b');
    expect(worstRhatParam(['a'], { a: summary(NaN) })).toBe('a');
    expect(worstRhatParam([], {})).toBeUndefined();
  });

  it('trace: one line per kept chain over the run\'s draw index, a legend entry each; null draws break the line', () => {
    const trace = runTrace();
    trace.params.a[0][10] = null;
    const el = svg();
    const scales = renderPlot(el, tracePlot(trace, 'a', false));
    const lines = el.querySelectorAll('path.line');
    expect(lines).toHaveLength(8);
    expect(lines[0].getAttribute('d')!.match(/M/g)).toHaveLength(2);
    expect(el.querySelectorAll('g.legend text')).toHaveLength(8);
    expect(el.querySelector('g.legend text')!.textContent).toBe('chain 1');
    const x = scales.x as unknown as { domain(): number[] };
    expect(x.domain()[0]).toBe(0);
    expect(x.domain()[1]).toBeGreaterThanOrEqual(996); // thin 4: the last kept draw is 249 * 4
    // Values print as plain numbers, not with SI prefixes (0.5, not 500m).
    const ticks = [...el.querySelectorAll('g.axis.y text')].map((t) => t.textContent ?? '');
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.every((t) => /^[−-]?\d+(\.\d+)?$/.test(t))).toBe(true);
    expect(el.outerHTML).not.toMatch(/NaN|Infinity/);
  });

  it('rank: a row of bars per kept chain, the uniform expectation dashed in each; the shifted chain stands out', () => {
    const trace = runTrace();
    const el = svg();
    const options = rankPlot(trace, 'b', { chains: 32, draws: 1000 }, false);
    const scales = renderPlot(el, options);
    expect((scales.x as unknown as { domain(): number[] }).domain()).toEqual([0, 32000]);
    const rows = el.querySelectorAll('g.row-histogram');
    expect(rows).toHaveLength(8);
    expect(rows[0].getAttribute('data-label')).toBe('chain 1');
    for (const row of rows) {
      expect(row.querySelectorAll('rect.bar')).toHaveLength(20);
      expect(row.querySelectorAll('line.reference')).toHaveLength(1);
    }
    // Chain 0's top-rank bar is far above the expectation (50 per bin); chain 1's is not.
    const top = (r: number) => Number(rows[r].querySelectorAll('rect.bar')[19].getAttribute('height'));
    const reference = (r: number) => {
      const base = Number(rows[r].querySelector('line')!.getAttribute('y1'));
      return base - Number(rows[r].querySelector('line.reference')!.getAttribute('y1'));
    };
    expect(top(0)).toBeGreaterThan(2 * reference(0));
    expect(top(1)).toBeLessThan(2 * reference(1));
    expect(options.x.label).toBe('rank among all 32000 draws');
    expect(el.outerHTML).not.toMatch(/NaN|Infinity/);
  });

  it('labels a MAP run\'s groups of Laplace draws as sets, not chains', () => {
    const rng = createRng(12);
    const trace = compactTrace(createPosterior(['a'], 4, 250, Float64Array.from({ length: 1000 }, () => rng.normal())));
    expect(chainLabel(0, true)).toBe('set 1');
    const el = svg();
    renderPlot(el, tracePlot(trace, 'a', true));
    expect(el.querySelector('g.legend text')!.textContent).toBe('set 1');
    renderPlot(el, rankPlot(trace, 'a', { chains: 4, draws: 250 }, true));
    expect(el.querySelectorAll('g.row-histogram')[3].getAttribute('data-label')).toBe('set 4');
  });
});
