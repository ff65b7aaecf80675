/**
 * Geo test design (src/models/causal/geo-design.ts).
 *
 * The check of issue 20: geo panels simulated from a known process (each geo's outcome its size
 * times 1 + a common AR(1) factor + its own AR(1) noise, daily, 42 pre-period days as the geo
 * fixture's), the design run on the pre-period as a user would, the lift it reports as the
 * recommended design's 80%-power minimum detectable lift injected over the test that follows, and
 * the TBR reading applied (closed form, as the design's backtest takes it; its relation to the
 * fitted TBR model is checked on the fixture below, where tbr.test.ts checks the fitted model
 * against the same float64 numbers).
 *
 * Tolerance: N simulated tests, binomial sd at 80% sqrt(0.16 / N); 3 sd. The false-positive rate
 * with no lift: within 3 binomial sd of the nominal 10% when the noise is independent, and of the
 * rate the design reports when it is autocorrelated (phi = 0.5; the reading's nominal level then
 * understates it, tbr-power.ts). The backtest over historical windows: with independent noise its
 * share of no-lift windows read positive averages the nominal 10%.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src/api/errors';
import { parseCsvText } from '../../../../src/data/csv';
import { ar1Series } from './ar1';
import { createRng, type Rng } from '../../../../src/engine/rng';
import { designGeoTest, geoPanel, studentTQuantile, tbrLeastSquares, tbrReading, type GeoPanel } from '../../../../src/models/causal/geo-design';
import { geoTotals } from '../../../../src/models/causal/tbr';
import { fixtureTable } from './fit';

const DAY = 86_400_000;


/** G geos over m days: size_g * (1 + common AR(1) factor + own AR(1) noise). */
function simulatePanel(rng: Rng, G: number, m: number, phi: number): GeoPanel {
  const common = ar1Series(rng, m, phi, 0.05);
  const outcome = Array.from({ length: G }, (_, g) => {
    const size = 100 * (1 + g);
    const own = ar1Series(rng, m, phi, 0.08);
    return Float64Array.from(common, (c, t) => size * (1 + c + own[t]));
  });
  return { geos: outcome.map((_, g) => `g${g + 1}`), times: Float64Array.from({ length: m }, (_, t) => t * DAY), timeKind: 'date', perWeek: 7, outcome };
}

/** The first n points of a panel (the pre-period the design sees). */
const head = (p: GeoPanel, n: number): GeoPanel => ({ ...p, times: p.times.subarray(0, n), outcome: p.outcome.map((s) => s.subarray(0, n)) });

async function coverage(phi: number, sims: number, seed: number) {
  const n = 42;
  const weeks = [2, 4];
  const rng = createRng(seed);
  const hits = [0, 0];
  const positives = [0, 0];
  const reported = [0, 0];
  let backtestPositive = 0; // mean share of the 2-week historical windows read positive
  for (let s = 0; s < sims; s++) {
    const panel = simulatePanel(rng, 10, n + 28, phi);
    const design = await designGeoTest(head(panel, n), { treatmentGeos: 3, candidates: 1, weeks, plannedWeeks: 2, seed: s + 1 });
    const best = design.candidates[design.recommended.candidate];
    const treated = new Set(best.treatment);
    const y = new Float64Array(n + 28);
    const x = new Float64Array(n + 28);
    panel.outcome.forEach((series, g) => series.forEach((v, t) => ((treated.has(panel.geos[g]) ? y : x)[t] += v)));
    const fit = tbrLeastSquares(y, x, 0, n);
    weeks.forEach((w, k) => {
      const score = best.scores.find((c) => c.weeks === w)!;
      const L = 7 * w;
      const { gap, threshold } = tbrReading(fit, y, x, n, n + L);
      if (gap + score.mde * L * best.baseline > threshold) hits[k]++;
      if (gap > threshold) positives[k]++;
      reported[k] += score.falsePositiveRate / sims;
    });
    backtestPositive += best.scores[0].backtestFalsePositive! / sims;
  }
  return { hits: hits.map((h) => h / sims), positives: positives.map((h) => h / sims), reported, backtestPositive };
}

describe('geo test design', () => {
  it('takes Student-t quantiles within 1e-3 of the tables', () => {
    expect(Math.abs(studentTQuantile(0.9, 5) - 1.475884)).toBeLessThan(1e-3);
    expect(Math.abs(studentTQuantile(0.9, 10) - 1.372184)).toBeLessThan(1e-4);
    expect(Math.abs(studentTQuantile(0.9, 40) - 1.303077)).toBeLessThan(1e-5);
  });

  it('reads the fixture geo experiment in closed form as the fitted TBR model does (tbr.test.ts)', async () => {
    // tbr.test.ts: the fitted model's incremental sales are 147,337 with predictive sd 4,626 (float64, t-based).
    // The group totals sum the geos present per date, as TBR does: the panel here is read from
    // the rows directly since 14 geos lack some dates (the design leaves those out).
    const table = await fixtureTable('geo_experiment_salesandcost.csv');
    const { times, treatment: y, control: x } = geoTotals(table, { dataset: 'geo', model: 'tbr', columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group' } });
    expect(times.length).toBe(93);
    const start = 42; // 2015-02-16
    const fit = tbrLeastSquares(y, x, 0, start);
    const { gap, scale } = tbrReading(fit, y, x, start, start + 28);
    expect(Math.abs(gap - 147337)).toBeLessThan(1);
    // tbr.test.ts's 4,626 is this scale: s sqrt(L + L^2/n + G^2/Sxx), the Student-t's (its sd is sqrt(40/38) of it).
    expect(Math.abs(scale - 4626)).toBeLessThan(1);
  });

  it('detects ~80% of simulated tests at the reported lift; false positives at the level it reports', async () => {
    const sims = 1000;
    const band = 3 * Math.sqrt(0.16 / sims);
    const independent = await coverage(0, sims, 1);
    const correlated = await coverage(0.5, sims, 2);
    for (const [name, r, phi] of [
      ['independent', independent, 0],
      ['AR(1) 0.5', correlated, 0.5],
    ] as const) {
      console.log(
        `Geo design, ${sims} simulated tests, ${name} noise: detected at the reported MDE ${r.hits.map((h) => (100 * h).toFixed(1)).join('% / ')}% (2 / 4 weeks); no lift read positive ${r.positives.map((h) => (100 * h).toFixed(1)).join('% / ')}% (reported ${r.reported.map((h) => (100 * h).toFixed(1)).join('% / ')}%)`,
      );
      r.hits.forEach((h) => expect(Math.abs(h - 0.8)).toBeLessThan(band));
      console.log(`  backtest: 2-week historical windows read positive ${(100 * r.backtestPositive).toFixed(1)}% on average`);
      r.positives.forEach((p, k) => {
        const expected = phi === 0 ? 0.1 : r.reported[k];
        expect(Math.abs(p - expected)).toBeLessThan(3 * Math.sqrt((expected * (1 - expected)) / sims));
      });
    }
    // With independent noise each historical window's reading is an exact t-test at 10%, whatever
    // its training length: the datasets' mean share read positive is 10%, and a dataset's share (a
    // mean of correlated 0/1s) has sd at most sqrt(0.09), so 3 sd of the mean of N is 0.9 / sqrt(N).
    expect(Math.abs(independent.backtestPositive - 0.1)).toBeLessThan(0.9 / Math.sqrt(sims));
  }, 60_000);

  it('is deterministic for a seed, reports progress, can be cancelled; ranks on the first half of the history', async () => {
    const panel = simulatePanel(createRng(7), 12, 70, 0.3);
    const progress: number[] = [];
    const a = await designGeoTest(panel, { treatmentGeos: 3, candidates: 6, seed: 3 }, { onProgress: (p) => progress.push(p.iteration / p.total) });
    const b = await designGeoTest(panel, { treatmentGeos: 3, candidates: 6, seed: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(progress.at(-1)).toBe(1);
    expect(a.recommended.weeks).toBe(4);
    expect(a.candidates[0].treatment).toHaveLength(3);
    // Every scored length is listed, each with its backtest where the 70 days allow one.
    expect(a.candidates[0].scores.map((s) => s.weeks)).toEqual([2, 3, 4, 6, 8, 10, 12]);
    expect(a.candidates[0].scores.map((s) => s.windows)).toEqual([43, 29, 15, 0, 0, 0, 0]);
    // The recommended set is the best ranked on the first 35 days; its reported lift is estimated apart.
    const ranked = a.candidates.map((c) => c.scores[2].selectionMde);
    expect(Math.min(...ranked)).toBe(ranked[0]);
    expect(a.recommended.score.mde).not.toBe(a.recommended.score.selectionMde);
    const controller = new AbortController();
    const cancelled = designGeoTest(panel, { candidates: 50 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
  });

  it('matched markets balance two regions whose totals move differently', async () => {
    // Geos 1-6 follow one regional factor, 7-12 another (AR(1), sd 10%), with 2% own noise: a
    // treatment set that takes the regions in other proportions than the control leaves the factor
    // gap in its residuals; the matched search balances them.
    const rng = createRng(9);
    const regions = [ar1Series(rng, 70, 0.5, 0.1), ar1Series(rng, 70, 0.5, 0.1)];
    const outcome = Array.from({ length: 12 }, (_, g) => {
      const own = ar1Series(rng, 70, 0.3, 0.02);
      return Float64Array.from(regions[g < 6 ? 0 : 1], (f, t) => 100 * (1 + (g % 6)) * (1 + f + own[t]));
    });
    const panel: GeoPanel = { ...simulatePanel(rng, 12, 70, 0.3), outcome };
    const matched = await designGeoTest(panel, { treatmentGeos: 4, candidates: 5, method: 'matched' });
    const stratified = await designGeoTest(panel, { treatmentGeos: 4, candidates: 5 });
    const inRegion = (d: typeof matched) => d.candidates[0].treatment.filter((g) => Number(g.slice(1)) <= 6).length;
    console.log(`two regions: matched MDE ${(100 * matched.recommended.score.mde).toFixed(2)}% (${inRegion(matched)} of 4 in the first), stratified ${(100 * stratified.recommended.score.mde).toFixed(2)}%`);
    expect(matched.recommended.score.mde).toBeLessThan(0.5 * stratified.recommended.score.mde);
  });

  it('picks the shortest length that detects the expected lift, prices it, and keeps to a budget', async () => {
    const panel = simulatePanel(createRng(8), 12, 70, 0.3);
    const d = await designGeoTest(panel, { treatmentGeos: 4, candidates: 5, expectedLift: 0.05, costPerUnit: 2 });
    const best = d.candidates[0];
    const score = d.recommended.score;
    expect(score.mde).toBeLessThanOrEqual(0.05);
    const shorter = d.weeks.filter((w) => w < d.recommended.weeks);
    for (const w of shorter) for (const c of d.candidates) expect(c.scores.find((s) => s.weeks === w)!.mde).toBeGreaterThan(0.05);
    expect(d.recommended.expectedCost).toBeCloseTo(0.05 * d.recommended.weeks * 7 * best.baseline * 2, 6);
    expect(d.summary).toContain(`for ${d.recommended.weeks} weeks`);
    const budget = 0.5 * d.recommended.expectedCost!;
    const cheap = await designGeoTest(panel, { budget, costPerUnit: 2, candidates: 3 });
    for (const c of cheap.candidates) expect(c.scores.find((s) => s.weeks === cheap.recommended.weeks)!.cost!).toBeLessThanOrEqual(budget);
  });

  it('rejects bad input with specific messages', async () => {
    const csv = (rows: string[]) => parseCsvText(['date,geo,sales', ...rows].join('\n'), 'x.csv').then((p) => p.table);
    const days = (geo: string, count: number, skip = -1) =>
      Array.from({ length: count }, (_, d) => d)
        .filter((d) => d !== skip)
        .map((d) => `2024-01-${String(d + 1).padStart(2, '0')},${geo},${100 + d}`);
    const cols = { geo: 'geo', date: 'date', outcome: 'sales' };
    const gap = await csv([...days('a', 20), ...days('b', 20, 4), ...days('c', 20), ...days('d', 20)]);
    expect(geoPanel(gap, cols).incomplete).toEqual([{ geo: 'b', missing: 1, first: '2024-01-05' }]);
    const left = await designGeoTest(geoPanel(gap, cols), { treatmentGeos: 1, candidates: 1 });
    expect(left.warnings[0]).toMatch(/1 geo lacks rows for some dates and is left out of the design: "b" \(1 missing, first 2024-01-05\)/);
    const sparse = await csv([...days('a', 20), ...days('b', 20, 4), ...days('c', 20, 7)]);
    expect(() => geoPanel(sparse, cols)).toThrow(/Only 1 of the 3 geos have a row for every one of the 20 dates; a design needs at least 3. Geo "b" has no row for 1 of them \(first 2024-01-05\)/);
    const twice = await csv([...days('a', 20), '2024-01-03,a,5']);
    expect(() => geoPanel(twice, cols)).toThrow(/Geo "a" has two rows for 2024-01-03 \(rows 3 and 21\)/);
    const missing = await csv([...days('a', 20), '2024-01-03,b,']);
    expect(() => geoPanel(missing, cols)).toThrow(/Row 21: the outcome "sales" is missing/);
    const three = geoPanel(await csv([...days('a', 20), ...days('b', 20), ...days('c', 20)]), cols);
    await expect(designGeoTest(three, { treatmentGeos: 2 })).rejects.toThrow(/2 treatment geos leave 1 control geos of the 3 in the data; a design needs at least 2 control geos/);
    await expect(designGeoTest(three, { budget: 100 })).rejects.toThrow(/A budget needs the cost per incremental unit/);
    await expect(designGeoTest(head(three, 10))).rejects.toThrow(/The pre-period has 10 time points; a design needs at least 14/);
    await expect(designGeoTest({ ...three, geos: three.geos.slice(0, 2), outcome: three.outcome.slice(0, 2) })).rejects.toThrow(/at least 3 geos/);
    await expect(designGeoTest(three, { weeks: [0] })).rejects.toThrow(/whole weeks from 1 to 52; got 0/);
  });
});
