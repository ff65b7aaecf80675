/**
 * Shared by ltv-cac-sample.test.ts (the simulation, MAP, per-channel BG/NBD) and
 * ltv-cac-sample-mcmc.test.ts (MCMC), two files so that the two slow fits run on two test workers.
 * The truth and the tolerances are described in ltv-cac-sample.test.ts.
 */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Estimate, InferenceSpec } from '../../../src/api/types';
import { parseCsvText } from '../../../src/data/csv';
import { bgnbdExpected } from '../../../src/models/clv/bgnbd';
import type { CountModelOutputs } from '../../../src/models/clv/count-outputs';
import { ltvCac, paybackMonths } from '../../../src/models/ltv-cac';
import type { MmmOutputs } from '../../../src/models/mmm/outputs';
import { runFit } from '../../../src/models/run-fit';
import { MEDIA, PURCHASES, simulateAcquisition, type MediaChannel } from '../../data/generate-ltv-sample.mjs';

export const sample = (file: string) => readFileSync(new URL(`../../../public/samples/${file}`, import.meta.url), 'utf8');
const WEEKS_PER_MONTH = 365.25 / 12 / 7;

/** True cumulative value per new customer at month ends 0..months. */
export function trueCumulative(ch: keyof typeof PURCHASES, months = 12, discount = 0.01): number[] {
  const p = PURCHASES[ch];
  const out = [p.spend];
  for (let m = 1; m <= months; m++) {
    const inc = bgnbdExpected(p, m * WEEKS_PER_MONTH) - bgnbdExpected(p, (m - 1) * WEEKS_PER_MONTH);
    out.push(out[m - 1] + (p.spend * inc) / Math.pow(1 + discount, m));
  }
  return out;
}

export function inside(e: Estimate, truth: number, label: string) {
  expect(truth, `${label}: ${truth} vs ${e.mean} [${e.hdiLow}, ${e.hdiHigh}]`).toBeGreaterThanOrEqual(e.hdiLow);
  expect(truth, `${label}: ${truth} vs ${e.mean} [${e.hdiLow}, ${e.hdiHigh}]`).toBeLessThanOrEqual(e.hdiHigh);
}

/** The simulation behind the bundled LTV/CAC sample (seed 2024). */
export const sim = simulateAcquisition(2024);

/** BG/NBD with the channel role on the bundled transactions, observed to the simulation's end. */
export async function fitClv(config: Record<string, unknown>, inference: InferenceSpec) {
  const table = (await parseCsvText(sample('acquisition-transactions.csv'), 'tx.csv')).table;
  const columns = { customer: 'customer_id', date: 'date', amount: 'amount', channel: 'channel' };
  return runFit(table, 'tx', { dataset: 'tx', model: 'bgnbd', columns, config: { observationEnd: sim.truth.observationEnd, ...config }, inference }, 'clv', 'cpu');
}

/** Fits BG/NBD and the MMM on the sample by `method` and checks each channel's LTV, CAC, LTV/CAC and payback against the truth. */
export async function checkLtvCac(method: 'map' | 'mcmc'): Promise<void> {
  // The short run as planned, not extended "until converged" (the app's default, which asks for R-hat < 1.01).
  const inference = method === 'map' ? { method, seed: 1 } : { method, chains: 8, warmup: 300, draws: 250, seed: 1, untilConverged: false };
  const clv = await fitClv({}, inference);
  const mmmTable = (await parseCsvText(sample('acquisition-mmm.csv'), 'mmm.csv')).table;
  const mmm = await runFit(
    mmmTable,
    'mmm',
    { dataset: 'mmm', model: 'mmm', columns: { date: 'date', target: 'new_customers', channels: ['search', 'social', 'tv'] }, inference },
    'mmm',
    'cpu',
  );
  if (method === 'mcmc') {
    expect(clv.diagnostics.rhatMax).toBeLessThan(1.05);
    expect(mmm.diagnostics.rhatMax).toBeLessThan(1.05);
  }
  const value = (clv.outputs as unknown as CountModelOutputs).byChannel!;
  expect(Object.keys(value)).toEqual(['organic', 'search', 'social', 'tv']);
  const channels = (mmm.outputs as unknown as MmmOutputs).channels;
  const res = ltvCac(value, 12, channels);
  expect(res.onlyClv).toEqual(['organic']);
  // Every channel's numbers are reported before any check fails.
  console.log(
    res.channels
      .map((row) => {
        const ch = row.channel as MediaChannel;
        const c = trueCumulative(ch);
        const cac = sim.truth.cac[ch];
        const show = (e: Estimate) => `${e.mean.toFixed(2)} [${e.hdiLow.toFixed(2)}, ${e.hdiHigh.toFixed(2)}]`;
        return `${ch}: LTV ${c[12].toFixed(2)} vs ${show(row.ltv)}; CAC ${cac.toFixed(2)} vs ${show(row.cac)}; incremental ${sim.truth.incremental[ch].toFixed(1)} vs ${show(row.incremental)}; ratio ${(c[12] / cac).toFixed(3)} vs ${show(row.ratio)}; payback ${paybackMonths(c, cac).toFixed(2)} vs ${JSON.stringify(row.payback)}; observed share ${value[ch].observedShare.toFixed(3)}`;
      })
      .join('\n'),
  );
  for (const row of res.channels) {
    const ch = row.channel as MediaChannel;
    const cumulative = trueCumulative(ch);
    const ltv = cumulative[12];
    const cac = sim.truth.cac[ch];
    expect(row.customers).toBe(sim.truth.customers[ch]);
    inside(row.ltv, ltv, `LTV ${ch}`);
    inside(row.cac, cac, `CAC ${ch}`);
    inside(row.ratio, ltv / cac, `LTV/CAC ${ch}`);
    // Payback: the truth inside the 94% interval; "> 12 months" (null) when it is beyond the horizon.
    const payback = paybackMonths(cumulative, cac);
    const { low, high } = row.payback;
    if (Number.isFinite(payback)) {
      expect(low, `payback ${ch}: ${payback}`).not.toBeNull();
      expect(payback, `payback ${ch}`).toBeGreaterThanOrEqual(low!);
      expect(payback, `payback ${ch}`).toBeLessThanOrEqual(high ?? Infinity);
    } else {
      expect(high, `payback ${ch}: beyond the horizon`).toBeNull();
    }
  }
}
