/**
 * Interrupted time series: a simulated monthly series with a known step effect (trend, yearly
 * seasonality, a covariate) must be recovered inside the 94% HDI, the placebo refit must find no
 * effect, the structural (local level) variant must also cover the truth with a band that widens
 * with the horizon; bad input gets specific messages.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import type { Table } from '../../../../src/data/table';
import { createRng } from '../../../../src/engine/rng';
import { itsModel, type ItsOutputs } from '../../../../src/models/causal/its';
import { fitCausal } from './fit';

const N = 72;
const START = 54;
const EFFECT = 6;

/** Monthly 2018-01 .. 2023-12; treatment from 2022-07 (row 54) adds EFFECT per month. */
function simulated(seed: number): Table {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: N }, () => rng.normal());
  const y = Float64Array.from(
    { length: N },
    (_, i) => 50 + 0.3 * i + 4 * Math.sin((2 * Math.PI * i) / 12) + 2 * Math.cos((2 * Math.PI * i) / 12) + 1.5 * x[i] + 1.5 * rng.normal() + (i >= START ? EFFECT : 0),
  );
  return {
    rows: N,
    columns: [
      { name: 'month', type: 'date', values: Float64Array.from({ length: N }, (_, i) => Date.UTC(2018, i, 1)) },
      { name: 'sales', type: 'number', values: y },
      { name: 'price', type: 'number', values: x },
    ],
  };
}

const spec = (config: Record<string, unknown>, inference: FitSpec['inference'] = { chains: 8, warmup: 200, draws: 125 }): FitSpec => ({
  dataset: 'sim',
  model: 'its',
  columns: { date: 'month', outcome: 'sales', covariates: ['price'] },
  config: { treatmentStart: '2022-07-01', ...config },
  inference,
});

const covers = (e: { hdiLow: number; hdiHigh: number }, v: number) => e.hdiLow <= v && v <= e.hdiHigh;

describe('interrupted time series', () => {
  it('recovers a known effect inside the 94% HDI; the placebo finds none', async () => {
    // Sales per month are a flow; this smooth, trending series does not show it (lag-1 0.82), so it is said.
    const { outputs, parameters } = await fitCausal(itsModel, simulated(7), spec({ outcomeKind: 'flow' }));
    const out = outputs as unknown as ItsOutputs;
    expect(out.seasonality).toEqual({ order: 2, period: 12 });
    expect(covers(out.cumulativeEffect, EFFECT * (N - START))).toBe(true);
    expect(covers(out.averageEffect, EFFECT)).toBe(true);
    expect(out.probPositive).toBeGreaterThan(0.99);
    expect(out.relativeEffect!.mean).toBeGreaterThan(0);
    expect(out.placebo!.coversZero).toBe(true);
    expect(out.placebo!.start).toBe(Date.UTC(2021, 0, 1)); // the last 18 of the 54 pre-period months
    expect(out.series.time.length).toBe(N);
    expect(out.series.cumulative.length).toBe(N - START);
    expect(out.outcomeKind).toEqual({ kind: 'flow', source: 'config', reason: '' });
    expect(out.summary).toMatch(/^Over the 18 post-period points \(from 2022-07-01\), the intervention added about [\d.]+ to the outcome "sales" in total/);
    // The covariate's coefficient is on the standardised axis: 1.5 * sd(x) / sd(y_pre) > 0.
    expect(parameters['beta[price]'].hdiLow).toBeGreaterThan(0);
    expect(Object.keys(parameters)).toContain('placebo_gamma_fourier[sin_1]');
  }, 60_000);

  it('structural variant: covers the truth, and the forecast band widens with the horizon', async () => {
    const { outputs } = await fitCausal(itsModel, simulated(7), spec({ structural: true, placebo: false }, { method: 'map' }));
    const out = outputs as unknown as ItsOutputs;
    expect(out.structural).toBe(true);
    expect(out.placebo).toBeUndefined();
    expect(covers(out.cumulativeEffect, EFFECT * (N - START))).toBe(true);
    const cf = out.series.counterfactual;
    expect(cf[N - 1].sd).toBeGreaterThan(cf[START].sd);
  }, 60_000);

  it('rejects bad input with specific messages', () => {
    const t = simulated(1);
    const prep = (config: Record<string, unknown>, columns?: Record<string, string | string[]>) =>
      itsModel.prepare(t, { ...spec(config), columns: columns ?? spec({}).columns });
    expect(() => prep({ treatmentStart: '2030-01-01' })).toThrow(/config.treatmentStart 2030-01-01 is outside the data \(2018-01-01 to 2023-12-01\)/);
    expect(() => prep({ treatmentStart: '2018-05-01' })).toThrow(/pre-period \(before 2018-05-01\) has only 4 time points; at least 10 are needed \(7 coefficients/);
    expect(() => prep({ seasonality: 6 })).toThrow(/too high for a period of 12/);
    expect(() => prep({ treatmentstart: '2022-07-01' })).toThrow(/config.treatmentstart is not an option/);
    expect(() => prep({}, { date: 'month', outcome: 'sales', covariates: ['sales'] })).toThrow(/cannot also be a covariate/);
    const gap: Table = { ...t, columns: t.columns.map((c) => (c.name === 'price' ? { ...c, values: (c.values as Float64Array).map((v, i) => (i === 60 ? NaN : v)) } : c)) } as Table;
    expect(() => itsModel.prepare(gap, spec({}))).toThrow(/Row 61: the covariate "price" is missing/);
  });
});
