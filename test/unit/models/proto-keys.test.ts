/**
 * Names from the data ("__proto__", "constructor") are ordinary keys everywhere: a channel called
 * "__proto__" used to vanish from the MMM's outputs.channels (assigning it set the prototype), and
 * "constructor" matched Object.prototype's member in `in` checks.
 */
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../../src/data/csv';
import { mergePriors } from '../../../src/engine/priors';
import { ltvCac } from '../../../src/models/ltv-cac';
import type { MmmOutputs } from '../../../src/models/mmm/outputs';
import { runFit } from '../../../src/models/run-fit';
import { simulateMmm } from './mmm/simulate';

describe('names from the data as keys', () => {
  it('an MMM channel named "__proto__" is an own key of outputs.channels, responseCurves and adstockCurves', async () => {
    const sim = simulateMmm(1);
    const [header, ...rest] = sim.csv.split('\n');
    const names = header.split(',').map((h) => (h === 'x1' ? '__proto__' : h === 'x2' ? 'constructor' : h));
    const { table } = await parseCsvText([names.join(','), ...rest].join('\n'), 'proto.csv');
    expect(table.columns.map((c) => c.name)).toContain('__proto__');
    const run = await runFit(
      table,
      'proto',
      { dataset: 'proto', model: 'mmm', columns: { date: 'date', target: 'y', channels: ['__proto__', 'constructor'] }, inference: { method: 'map', seed: 3 } },
      'p1',
      'cpu',
    );
    const out = run.outputs as unknown as MmmOutputs;
    for (const record of [out.channels, out.responseCurves, out.adstockCurves]) {
      expect(Object.keys(record)).toEqual(['__proto__', 'constructor']);
      expect(Object.hasOwn(record, '__proto__')).toBe(true);
    }
    expect(out.channels['__proto__'].contribution.mean).toBeGreaterThan(0);
    expect(typeof out.channels['constructor'].spend).toBe('number');
    // Stored and sent as JSON-like data, the key survives.
    expect(Object.keys(structuredClone(out.channels))).toEqual(['__proto__', 'constructor']);
  }, 120_000);

  it('LTV/CAC matches a channel "constructor" only when both runs have it', () => {
    const v = { customers: 1, valueByMonth: [], histogram: { edges: [], counts: [] } } as never;
    const res = ltvCac({ constructor: v }, 1, { tv: { spend: 10, contributionDraws: [1] } });
    expect(res.onlyClv).toEqual(['constructor']);
    expect(res.channels).toEqual([]);
  });

  it('a prior named "constructor" or "__proto__" is unknown, not an inherited member', () => {
    const defaults = { r: { dist: 'HalfNormal', sigma: 1 } } as const;
    expect(() => mergePriors(defaults, { constructor: { dist: 'HalfNormal', sigma: 2 } })).toThrow(/unknown prior 'constructor'/);
    expect(() => mergePriors(defaults, JSON.parse('{"__proto__": {"dist": "HalfNormal", "sigma": 2}}'))).toThrow(/unknown prior '__proto__'/);
  });
});
