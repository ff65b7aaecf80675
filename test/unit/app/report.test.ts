/**
 * A run's report (src/app/report): built from runs fitted with MAP in Node, one model of each
 * family, it has its sections and charts, escapes every name from the data, and holds nothing that
 * could run or fetch: no script, no URL but the SVG namespace, no src/href, no CSS url().
 * The fits run in Node's own environment (happy-dom's URL breaks the fixture reader); the report,
 * which draws its charts into a DOM, gets happy-dom's window as its globals once they are done.
 */
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInfo, FitSpec, RunResult } from '../../../src/api/types';
import { buildReport, reportFileName } from '../../../src/app/report/report';
import { esc } from '../../../src/app/report/report-html';
import { parseCsvText } from '../../../src/data/csv';
import { runFit } from '../../../src/models/run-fit';
import { readFixture } from '../../fixtures/read.mjs';
import { simulateMmm } from '../models/mmm/simulate';
import { budgetPlanOf, optimiseBudget } from '../../../src/models/mmm/optimiser';

const SVG_NS = 'http://www.w3.org/2000/svg';

async function fit(name: string, text: string, spec: Omit<FitSpec, 'dataset' | 'inference'>): Promise<{ run: RunResult; dataset: DatasetInfo }> {
  const { table } = await parseCsvText(text, name);
  const run = await runFit(table, name, { ...spec, dataset: name, inference: { method: 'map', seed: 3 } }, `run-${spec.model}`, 'cpu');
  const dataset: DatasetInfo = { id: name, name, rows: table.rows, columns: table.columns.map((c) => ({ name: c.name, type: c.type })), warnings: [`A warning about <b>${name}</b>`] };
  return { run, dataset };
}

/** What a report must never hold: anything that runs, loads or links. */
function expectInert(html: string): void {
  // The matches themselves are compared (a failure then shows them, not the whole document).
  expect(html.match(/<script/i)).toBeNull();
  const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
  expect(new Set(urls)).toEqual(new Set([SVG_NS]));
  // Attributes inside tags (escaped text such as "&lt;img src=" is not a tag).
  expect(html.match(/<[^>]*\s(src|href|xlink:href|srcset|action|formaction)\s*=/i)?.[0]).toBeUndefined();
  // url(#id) names a gradient of the same SVG (the heat maps' colour bars), not a resource.
  expect(html.match(/url\((?!#)|@import|<link|<iframe|<object|<embed|<img|<[^>]*\son[a-z]+\s*=/i)?.[0]).toBeUndefined();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const el of doc.querySelectorAll('*')) {
    for (const attr of ['src', 'href', 'xlink:href']) expect(el.hasAttribute(attr), `${el.tagName} ${attr}`).toBe(false);
  }
}

function sections(html: string): string[] {
  return [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
}

/** The text of the section `id` (its markup, up to the next section). */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

const COMMON = ['data', 'model', 'verdict', 'headline', 'diagnostics', 'careful'];

describe('run report', () => {
  const runs: Record<string, { run: RunResult; dataset: DatasetInfo }> = {};
  const dom = new Window();

  beforeAll(async () => {
    // MMM with a channel named <script>: the name appears escaped in every table and chart.
    const sim = simulateMmm(1);
    const [header, ...rest] = sim.csv.split('\n');
    const renamed = header.split(',').map((h: string) => (h === 'x1' ? '<script>' : h)).join(',');
    runs.mmm = await fit('weekly <sales>.csv', [renamed, ...rest].join('\n'), { model: 'mmm', columns: { date: 'date', target: 'y', channels: ['<script>', 'x2'] } });
    runs.bgnbd = await fit('CDNOW_sample.txt', readFixture('CDNOW_sample.txt'), {
      model: 'bgnbd',
      columns: { customer: 'column_1', date: 'column_3', amount: 'column_5' },
      config: { timeUnit: 'weeks', observationEnd: '1998-06-30', calibrationEnd: '1997-09-30' },
    });
    runs.sc = await fit('california_prop99.csv', readFixture('california_prop99.csv'), {
      model: 'synthetic_control',
      columns: { date: 'Year', treated: 'California', donors: ['Utah', 'Nevada', 'Montana', 'Colorado'] },
      config: { treatmentStart: '1989-01-01' },
    });
    const rows = ['customer,date,amount'];
    let id = 0;
    [[0, 1, 1, 2, 3, 5, 5, 5], [0, 0, 1, 2, 4, 4], [0, 1, 3, 3], [0, 2]].forEach((lasts, c) =>
      lasts.forEach((last) => {
        id++;
        for (let m = c; m <= c + last; m++) rows.push(`u${id},2023-${String(m + 1).padStart(2, '0')}-15,10`);
      }),
    );
    runs.cohorts = await fit('tx.csv', rows.join('\n') + '\n', { model: 'cohorts', columns: { customer: 'customer', date: 'date' }, config: { horizon: 4 } });
    Object.assign(globalThis, { document: dom.document, XMLSerializer: dom.XMLSerializer, DOMParser: dom.DOMParser });
  }, 240_000);
  afterAll(async () => {
    for (const name of ['document', 'XMLSerializer', 'DOMParser']) Reflect.deleteProperty(globalThis, name);
    await dom.happyDOM.close();
  });

  it('MMM: sections, ROAS table, charts as inline SVG, the <script> channel escaped', () => {
    const { run, dataset } = runs.mmm;
    const html = buildReport(run, dataset);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(sections(html)).toEqual([...COMMON.slice(0, 4), 'mmm-fit', 'mmm-contributions', 'mmm-roas', 'mmm-response', 'mmm-periods', 'mmm-breakeven', ...COMMON.slice(4)]);
    expectInert(html);
    // The data run 2018-04-02 to 2021-08-30: the latest whole quarter is 2021-Q2, against 2021-Q1 and 2020-Q2, each a table and a waterfall.
    const periods = section(html, 'mmm-periods');
    expect(periods).toContain('2021-Q2 against 2021-Q1');
    expect(periods).toContain('2021-Q2 against 2020-Q2');
    expect((periods.match(/<svg/g) ?? []).length).toBe(2);
    expect((periods.match(/class="waterfall change"/g) ?? []).length).toBeGreaterThan(4);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('weekly &lt;sales&gt;.csv');
    expect(html).toContain('A warning about &lt;b&gt;weekly &lt;sales&gt;.csv&lt;/b&gt;');
    expect(section(html, 'verdict')).toContain('data-verdict="approximate"');
    expect(section(html, 'headline')).toContain('ROAS of &lt;script&gt;');
    expect(section(html, 'data')).toMatch(/Period covered<\/th><td>\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(179 periods/);
    expect(section(html, 'data')).toContain('<td>Channel spend</td><td>&lt;script&gt;, x2</td>');
    const roas = section(html, 'mmm-roas');
    expect(roas).toMatch(/<td>&lt;script&gt;<\/td>/);
    expect((roas.match(/<svg/g) ?? []).length).toBe(2);
    for (const id of ['mmm-fit', 'mmm-contributions', 'mmm-response']) expect(section(html, id)).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path/);
    // The model's assumptions are the page's own text.
    expect(section(html, 'model')).toContain('adstock');
    // MAP: the diagnostics give the Laplace check; the parameter table leaves sampler coordinates out.
    const diagnostics = section(html, 'diagnostics');
    expect(diagnostics).toContain('Pareto k');
    const internal = Object.entries(run.parameters).filter(([, p]) => p.internal).map(([n]) => n);
    for (const name of internal) expect(diagnostics).not.toContain(`<td>${esc(name)}</td>`);
    expect(section(html, 'careful')).toContain('Gaussian approximation');
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
    expect(reportFileName(run)).toMatch(/^report-mmm-\d{4}-\d\d-\d\d-[\w-]+\.html$/);
  });

  it('MMM: the breakeven spends, and the optimiser’s stored plan with the bounds the historical mix breaks', () => {
    const { run, dataset } = runs.mmm;
    if (run.model !== 'mmm') throw new Error('an MMM run');
    const model = run.outputs.optimizerDraws;
    const total = model.meanSpend.reduce((a, b) => a + b, 0) * 13;
    // The historical mix gives <script> more than a third of the budget: cap it at a tenth.
    const options = { total, horizon: 13, min: [0, 0], max: [total / 10, total], objective: 'cvar' as const };
    const result = optimiseBudget(model, options);
    expect(result.outOfBounds).toEqual([0]);
    const plan = { ...budgetPlanOf(model, options, result, '2026-01-02T03:04:05Z'), mroasTarget: 2 };
    const html = buildReport({ ...run, budgetPlan: plan }, dataset);
    expectInert(html);
    expect(sections(html)).toContain('mmm-plan');
    const planHtml = section(html, 'mmm-plan');
    expect(planHtml).toContain('worst 5% of posterior draws (CVaR 5%)');
    expect(planHtml).toContain('breaks your bounds: &lt;script&gt;');
    expect(planHtml).toContain('Current plan within bounds');
    expect(planHtml).toMatch(/<svg/);
    const breakeven = section(html, 'mmm-breakeven');
    expect(breakeven).toContain('Spend at marginal ROAS 2 [94% HDI]');
    expect((breakeven.match(/<tr>/g) ?? []).length).toBe(3);
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
    // Without a plan there is no plan section.
    expect(sections(buildReport(run, dataset))).not.toContain('mmm-plan');
  });

  it('CLV (BG/NBD): tracking, P(alive) and purchases summary, segments', () => {
    const { run, dataset } = runs.bgnbd;
    const html = buildReport(run, dataset);
    expectInert(html);
    expect(sections(html)).toEqual([...COMMON.slice(0, 4), 'clv-tracking', 'clv-customers', 'clv-segments', ...COMMON.slice(4)]);
    expect((section(html, 'clv-tracking').match(/<svg/g) ?? []).length).toBe(2);
    const customers = section(html, 'clv-customers');
    expect(customers).toMatch(/<th>Customers<\/th><td>2,357<\/td>/);
    expect(customers).toContain('Average P(alive)');
    expect((customers.match(/<svg/g) ?? []).length).toBe(2);
    expect(section(html, 'clv-segments')).toContain('Share of value');
    // No spend model: headline falls back to the model's parameters (r, alpha, a, b).
    expect(section(html, 'headline')).toContain('Model parameter alpha');
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
  });

  it('Causal (synthetic control): effect, counterfactual, cumulative effect, placebo, donors', () => {
    const { run, dataset } = runs.sc;
    const html = buildReport(run, dataset);
    expectInert(html);
    expect(sections(html)).toEqual([...COMMON.slice(0, 4), 'causal-effect', 'causal-cumulative', 'causal-placebo', 'causal-donors', ...COMMON.slice(4)]);
    expect(section(html, 'causal-effect')).toContain('Observed vs counterfactual');
    expect((section(html, 'causal-effect').match(/<svg/g) ?? []).length).toBe(2);
    expect(section(html, 'causal-cumulative')).toContain('<svg');
    expect(section(html, 'causal-placebo')).toMatch(/Refitted on the data before \d{4}/);
    expect(section(html, 'headline')).toContain('Average effect per period');
    expect(section(html, 'data')).toContain('1970 to 2000; intervention from 1989');
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
  });

  it('Cohorts: the forecast chart and a row per cohort', () => {
    const { run, dataset } = runs.cohorts;
    const html = buildReport(run, dataset);
    expectInert(html);
    expect(sections(html)).toEqual([...COMMON.slice(0, 4), 'cohorts-forecast', ...COMMON.slice(4)]);
    const forecast = section(html, 'cohorts-forecast');
    expect(forecast).toContain('<svg');
    for (const c of ['2023-01', '2023-02', '2023-03', '2023-04']) expect(forecast).toContain(`<td>${c}</td>`);
    expect(section(html, 'model')).toContain('shifted-beta-geometric');
    expect(html.match(/.{40}(NaN|Infinity|undefined).{40}/)?.[0]).toBeUndefined();
  });

  it('a run whose data set is gone still reports, naming the data set as the spec did', () => {
    const html = buildReport(runs.cohorts.run);
    expect(section(html, 'data')).toContain('not known');
    expect(section(html, 'data')).toContain('<td>tx.csv</td>');
  });
});
