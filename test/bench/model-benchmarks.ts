/**
 * Per-model benchmark targets (issues 4, 5, 6): each runs one model on its reference data set and
 * reports the time, with R-hat and bulk-ESS where it samples. Data come from `test/fixtures`
 * through the dev server (`dataUrl`), or from the bundled samples.
 */
import { parseCsvText } from '../../src/data/csv';
import { findMap } from '../../src/engine/map';
import type { BackendName, FitSpec, Progress, RunResult } from '../../src/api/types';
import { ComputeClient } from '../../src/worker/client';
import { findModel } from '../../src/models/registry';
import { runFit } from '../../src/models/run-fit';
import * as tf from '@tensorflow/tfjs';
import { timeToConverge } from './benchmarks';
import type { CompiledModel } from '../../src/engine/types';
import { MERIDIAN_FILE, MERIDIAN_SPEC } from '../data/meridian-geo';

export interface ModelBenchmark {
  name: string;
  what: string;
  /** Included in `--quick` runs. */
  quick: boolean;
  run(data: DataReader): Promise<{ seconds: number; rhatMax?: number; essBulkMin?: number; note?: string }>;
}

async function prepared(data: DataReader, file: string, spec: Omit<FitSpec, 'dataset'>) {
  const { table } = await parseCsvText(await data(file), file);
  return findModel(spec.model).prepare(table, { ...spec, dataset: file });
}

const CDNOW_SAMPLE: Omit<FitSpec, 'dataset'> = {
  model: 'bgnbd',
  columns: { customer: 'column_1', date: 'column_3', amount: 'column_5' },
  config: { timeUnit: 'weeks', observationEnd: '1998-06-30', calibrationEnd: '1997-09-30' },
};

const CDNOW_MASTER: Omit<FitSpec, 'dataset'> = {
  model: 'bgnbd',
  columns: { customer: 'customer_id', date: 'date', amount: 'dollar_value' },
  config: { timeUnit: 'weeks', observationEnd: '1998-06-30', calibrationEnd: '1997-09-30' },
};

/**
 * Time to R-hat < 1.01 and bulk-ESS >= 400 on every parameter (benchmarks.ts `timeToConverge`:
 * draws double from 250 until the target is met; the time is that of the run that met it). Few
 * chains: split R-hat < 1.01 needs ~50 effective draws in every half-chain, so each extra chain
 * costs ~100 effective draws whatever the batching gains.
 */
async function converge(model: Awaited<ReturnType<typeof prepared>>['model'], chains = 8, warmup = 300) {
  const r = await timeToConverge(model, chains, warmup, 250, 2000);
  return { ...r, note: `${chains} chains x (${warmup} warm-up + ${r.draws} draws)${r.reached ? '' : ': target not reached'}` };
}

/**
 * Reads a benchmark's data as text: a reference file of `test/fixtures` by its name, or a bundled
 * demo CSV (`public/samples`) as `samples/<file>`.
 */
export type DataReader = (file: string) => Promise<string>;

/** A bundled demo CSV's name for a `DataReader`. */
export const SAMPLE_PREFIX = 'samples/';

/** The bundled demo CSVs, read through `data`. */
const bundledIn = (data: DataReader): DataReader => (file) => data(`${SAMPLE_PREFIX}${file}`);

const MMM_WEEKLY: Omit<FitSpec, 'dataset'> = {
  model: 'mmm',
  columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] },
};

/** Three years of daily data, 10 channels, from a fixed generator (the memory check of issue 5). */
function dailyTenChannels(): string {
  let s = 7;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ['date,y,' + Array.from({ length: 10 }, (_, c) => `ch${c}`).join(',')];
  const start = Date.UTC(2022, 0, 1);
  for (let d = 0; d < 3 * 365; d++) {
    const spend = Array.from({ length: 10 }, () => (u() > 0.3 ? Math.round(1000 * u()) : 0));
    const y = 5000 + spend.reduce((a, x, c) => a + (0.5 + c / 10) * 3000 * (1 - Math.exp(-x / 800)), 0) + 300 * Math.sin((2 * Math.PI * d) / 365) + 200 * (u() - 0.5);
    rows.push(`${new Date(start + d * 86_400_000).toISOString().slice(0, 10)},${y.toFixed(2)},${spend.join(',')}`);
  }
  return rows.join('\n');
}

/**
 * Synthetic geo data, 200 geos x 104 weeks x 10 channels with population (the memory check of the
 * geo MMM issue), from a fixed generator.
 */
function geoTwoHundred(): string {
  let s = 11;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const channels = Array.from({ length: 10 }, (_, c) => `ch${c}`);
  const rows = [`date,geo,population,y,${channels.join(',')}`];
  const start = Date.UTC(2022, 0, 3);
  for (let g = 0; g < 200; g++) {
    const pop = Math.round(1e5 * (1 + 9 * u()));
    for (let t = 0; t < 104; t++) {
      const spend = channels.map(() => (u() > 0.3 ? Math.round((pop / 1000) * u()) : 0));
      const y = pop * (2 + spend.reduce((a, x, c) => a + (0.05 + c / 100) * (1 - Math.exp((-x * 1000) / pop)), 0) + 0.1 * Math.sin((2 * Math.PI * t) / 52) + 0.05 * (u() - 0.5));
      rows.push(`${new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10)},G${g},${pop},${y.toFixed(2)},${spend.join(',')}`);
    }
  }
  return rows.join('\n');
}
const GEO_200_SPEC: Omit<FitSpec, 'dataset'> = {
  model: 'mmm',
  columns: { date: 'date', geo: 'geo', population: 'population', target: 'y', channels: Array.from({ length: 10 }, (_, c) => `ch${c}`) },
};

const CAUSAL: { name: string; file: string; spec: Omit<FitSpec, 'dataset'> }[] = [
  { name: 'ITS', file: 'deaths_and_temps_england_wales.csv', spec: { model: 'its', columns: { date: 'date', outcome: 'deaths', covariates: ['temp'] }, config: { treatmentStart: '2020-01-01', placebo: false } } },
  { name: 'Synthetic control', file: 'california_prop99.csv', spec: { model: 'synthetic_control', columns: { date: 'Year', treated: 'California', donors: ['Alabama', 'Arkansas', 'Colorado', 'Connecticut', 'Delaware', 'Georgia', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada', 'New Hampshire', 'New Mexico', 'North Carolina', 'North Dakota', 'Ohio', 'Oklahoma', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah', 'Vermont', 'Virginia', 'West Virginia', 'Wisconsin', 'Wyoming'] }, config: { treatmentStart: '1989-01-01', placebo: false } } },
  { name: 'DiD', file: 'banks.csv', spec: { model: 'did', columns: { date: 'date', treated: 'bib6', control: 'bib8' }, config: { treatmentStart: 11140, placebo: false } } },
  { name: 'RD', file: 'drinking.csv', spec: { model: 'rd', columns: { running: 'agecell', outcome: 'all' }, config: { threshold: 21, order: 1 } } },
  { name: 'TBR', file: 'geo_experiment_salesandcost.csv', spec: { model: 'tbr', columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group', spend: 'cost' }, config: { testStart: '2015-02-16', testEnd: '2015-03-15', placebo: false } } },
];

async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { seconds: (performance.now() - t0) / 1000, value };
}

export const MODEL_BENCHMARKS: ModelBenchmark[] = [
  {
    name: 'BG/NBD',
    what: 'MAP (L-BFGS), CDNOW sample, 2,357 customers',
    quick: true,
    async run(data) {
      const p = await prepared(data, 'CDNOW_sample.txt', CDNOW_SAMPLE);
      const { seconds, value } = await timed(() => findMap(p.model));
      return { seconds, note: `${value.iterations} iterations` };
    },
  },
  {
    name: 'BG/NBD',
    what: 'MCMC to R-hat < 1.01 and bulk-ESS >= 400, CDNOW sample',
    quick: false,
    async run(data) {
      const p = await prepared(data, 'CDNOW_sample.txt', CDNOW_SAMPLE);
      return converge(p.model);
    },
  },
  {
    name: 'BG/NBD',
    what: 'MCMC, CDNOW_master (23,570 customers)',
    quick: false,
    async run(data) {
      const p = await prepared(data, 'CDNOW_master.txt', CDNOW_MASTER);
      return converge(p.model);
    },
  },
  {
    name: 'Pareto/NBD',
    what: 'MCMC to R-hat < 1.01 and bulk-ESS >= 400, CDNOW sample',
    quick: false,
    async run(data) {
      const p = await prepared(data, 'CDNOW_sample.txt', { ...CDNOW_SAMPLE, model: 'paretonbd' });
      return converge(p.model);
    },
  },
  {
    name: 'Pareto/NBD outputs',
    what: 'MAP + Laplace + per-customer outputs (a whole MAP fit), CDNOW_master (23,570 customers)',
    quick: false,
    async run(data) {
      const file = 'CDNOW_master.txt';
      const { table } = await parseCsvText(await data(file), file);
      const spec: FitSpec = { ...CDNOW_MASTER, model: 'paretonbd', dataset: file, inference: { method: 'map' } };
      const { seconds, value } = await timed(() => runFit(table, file, spec, 'bench', tf.getBackend()));
      return { seconds, note: `outputs for ${(value.outputs as { customers: { id: unknown[] } }).customers.id.length} customers` };
    },
  },
  {
    name: 'Cohorts',
    what: 'MCMC to R-hat < 1.01 and bulk-ESS >= 400, CDNOW transactions by first-purchase month (3 cohorts)',
    quick: false,
    async run(data) {
      const p = await prepared(bundledIn(data), 'cdnow-transactions.csv', { model: 'cohorts', columns: { customer: 'customer_id', date: 'date' } });
      return converge(p.model);
    },
  },
  {
    name: 'MMM',
    what: 'MAP (L-BFGS), 179 weeks x 2 channels (mmm-weekly.csv)',
    quick: true,
    async run(data) {
      const p = await prepared(bundledIn(data), 'mmm-weekly.csv', MMM_WEEKLY);
      const { seconds, value } = await timed(() => findMap(p.model));
      return { seconds, note: `${value.iterations} iterations, ${p.model.dim} parameters` };
    },
  },
  {
    name: 'MMM',
    what: 'MCMC to R-hat < 1.01 and bulk-ESS >= 400, 179 weeks x 2 channels',
    quick: false,
    async run(data) {
      const p = await prepared(bundledIn(data), 'mmm-weekly.csv', MMM_WEEKLY);
      return converge(p.model);
    },
  },
  {
    name: 'MMM',
    what: 'MCMC, 3 years daily x 10 channels (simulated), 8 chains x (300 + 250)',
    quick: false,
    async run() {
      const p = await prepared(async () => dailyTenChannels(), 'daily-10.csv', { model: 'mmm', columns: { date: 'date', target: 'y', channels: Array.from({ length: 10 }, (_, c) => `ch${c}`) } });
      const r = await timeToConverge(p.model, 8, 300, 250, 250);
      return { ...r, note: `${p.model.dim} parameters, completed without running out of memory${r.reached ? '' : '; target not reached at 250 draws'}` };
    },
  },
  {
    name: 'Geo MMM',
    what: `MAP (L-BFGS), Meridian geo data, 40 geos x 156 weeks, 5 channels with exposures (${MERIDIAN_FILE})`,
    quick: true,
    async run(data) {
      const p = await prepared(data, MERIDIAN_FILE, MERIDIAN_SPEC);
      const { seconds, value } = await timed(() => findMap(p.model));
      return { seconds, note: `${value.iterations} iterations, ${p.model.dim} parameters${value.converged ? '' : ', not converged'}` };
    },
  },
  {
    name: 'Geo MMM',
    what: `MCMC to R-hat < 1.01 and bulk-ESS >= 400, Meridian geo data, 40 geos x 156 weeks (${MERIDIAN_FILE})`,
    quick: false,
    async run(data) {
      const p = await prepared(data, MERIDIAN_FILE, MERIDIAN_SPEC);
      return { ...(await converge(p.model)), note: `${p.model.dim} parameters` };
    },
  },
  {
    name: 'Geo MMM',
    what: 'MCMC, 200 geos x 104 weeks x 10 channels (simulated), 8 chains x (300 + 250)',
    quick: false,
    async run() {
      const p = await prepared(async () => geoTwoHundred(), 'geo-200.csv', GEO_200_SPEC);
      const r = await timeToConverge(p.model, 8, 300, 250, 250);
      return { ...r, note: `${p.model.dim} parameters, completed without running out of memory${r.reached ? '' : '; target not reached at 250 draws'}` };
    },
  },
  ...CAUSAL.map(
    (c): ModelBenchmark => ({
      name: c.name,
      what: `MCMC to R-hat < 1.01 and bulk-ESS >= 400, ${c.file}`,
      quick: false,
      async run(data) {
        const p = await prepared(data, c.file, c.spec);
        return converge(p.model);
      },
    }),
  ),
];

/**
 * The hot models' log densities, prepared on their reference data, for the per-call measurements
 * (kernels per log-density + gradient call and time per call; `--kernels`).
 */
export const KERNEL_MODELS: { name: string; load(data: DataReader): Promise<CompiledModel> }[] = [
  { name: 'BG/NBD, CDNOW sample', load: async (data) => (await prepared(data, 'CDNOW_sample.txt', CDNOW_SAMPLE)).model },
  { name: 'BG/NBD, CDNOW_master', load: async (data) => (await prepared(data, 'CDNOW_master.txt', CDNOW_MASTER)).model },
  { name: 'Pareto/NBD, CDNOW sample', load: async (data) => (await prepared(data, 'CDNOW_sample.txt', { ...CDNOW_SAMPLE, model: 'paretonbd' })).model },
  { name: 'MMM, 179 weeks x 2 channels', load: async (data) => (await prepared(bundledIn(data), 'mmm-weekly.csv', MMM_WEEKLY)).model },
  { name: 'Geo MMM, Meridian 40 geos x 156 weeks', load: async (data) => (await prepared(data, MERIDIAN_FILE, MERIDIAN_SPEC)).model },
  ...CAUSAL.map((c) => ({ name: `${c.name}, ${c.file}`, load: async (data: DataReader) => (await prepared(data, c.file, c.spec)).model })),
];

/**
 * Each bundled sample's default run, as a user starts it from the sample's page: the columns the
 * form guesses, the options the README's sample notes give, and the default inference (MCMC, until
 * converged within its 3-minute budget). `--defaults` reports each run's verdict and time.
 */
export const DEFAULT_RUNS: { sample: string; spec: Omit<FitSpec, 'dataset'> }[] = [
  { sample: 'mmm-weekly.csv', spec: MMM_WEEKLY },
  { sample: 'acquisition-mmm.csv', spec: { model: 'mmm', columns: { date: 'date', target: 'new_customers', channels: ['search', 'social', 'tv'] } } },
  { sample: 'cdnow-transactions.csv', spec: { model: 'bgnbd', columns: { customer: 'customer_id', date: 'date', amount: 'amount' } } },
  { sample: 'cdnow-transactions.csv', spec: { model: 'paretonbd', columns: { customer: 'customer_id', date: 'date', amount: 'amount' } } },
  { sample: 'cdnow-transactions.csv', spec: { model: 'cohorts', columns: { customer: 'customer_id', date: 'date' } } },
  { sample: 'acquisition-transactions.csv', spec: { model: 'bgnbd', columns: { customer: 'customer_id', date: 'date', amount: 'amount', channel: 'channel' } } },
  { sample: 'acquisition-transactions.csv', spec: { model: 'cohorts', columns: { customer: 'customer_id', date: 'date' } } },
  { sample: 'california_prop99.csv', spec: { ...CAUSAL[1].spec, config: { treatmentStart: '1989-01-01' } } },
  { sample: 'geo_experiment_salesandcost.csv', spec: { ...CAUSAL[4].spec, config: { testStart: '2015-02-16', testEnd: '2015-03-15' } } },
  { sample: 'banks.csv', spec: { ...CAUSAL[2].spec, config: { treatmentStart: '1930-07-01' } } },
  { sample: 'banks.csv', spec: { model: 'its', columns: { date: 'date', outcome: 'bib6' }, config: { treatmentStart: '1930-07-01', seasonality: 0 } } },
  { sample: 'drinking.csv', spec: CAUSAL[3].spec },
  { sample: 'geo-mmm.csv', spec: { model: 'mmm', columns: { date: 'date', geo: 'geo', population: 'population', target: 'sales', channels: ['tv', 'search', 'social'] } } },
  { sample: 'abtest.csv', spec: { model: 'abtest', columns: { customer: 'customer', group: 'group', converted: 'converted', purchases: 'purchases', revenue: 'revenue', covariates: ['prev_revenue'], segment: 'segment' }, config: { treatment: 'coupon', costPerTreated: 0.25, margin: 0.4 } } },
];

/**
 * The hardware issue's speed targets, each a default run (default backend choice and inference):
 * BG/NBD and Pareto/NBD on the CDNOW sample's transactions, the MMM sample, and BG/NBD on
 * CDNOW_master (a reference file, not a bundled sample). `--targets` reports their times.
 */
export const TARGET_RUNS: DefaultRun[] = [
  DEFAULT_RUNS[2],
  DEFAULT_RUNS[0],
  DEFAULT_RUNS[3],
  { sample: 'CDNOW_master.txt', fixture: true, spec: CDNOW_MASTER },
];

/** A bundled sample's default run, or a reference data set's (`fixture`: read from test/fixtures). */
export interface DefaultRun {
  sample: string;
  fixture?: boolean;
  spec: Omit<FitSpec, 'dataset'>;
}

const SUMMARY_COLUMNS = { customer: 'ID', frequency: 'frequency', recency: 'recency', T: 'T' };

/**
 * The README's reference data sets (test/fixtures, read through the dev server) that are not bundled
 * samples, each with the model the README pairs it with, the columns its header names for that
 * model's roles (as the form's guesses, or, for the summary-form CLV inputs that the form does not
 * offer, as the automation API takes them) and the published design (ITS: COVID from 2020-01;
 * banks: district 6 eased lending from July 1930, day 11140 on this file's day-number axis).
 * `california_prop99.csv` and `geo_experiment_salesandcost.csv` are byte-identical to the samples
 * above, so their default runs are those rows. Default inference throughout.
 */
export const REFERENCE_DEFAULT_RUNS: DefaultRun[] = [
  { sample: 'CDNOW_master.txt', fixture: true, spec: { model: 'bgnbd', columns: { customer: 'customer_id', date: 'date', amount: 'dollar_value' } } },
  { sample: 'CDNOW_master.txt', fixture: true, spec: { model: 'paretonbd', columns: { customer: 'customer_id', date: 'date', amount: 'dollar_value' } } },
  { sample: 'CDNOW_sample.txt', fixture: true, spec: { model: 'bgnbd', columns: CDNOW_SAMPLE.columns } },
  { sample: 'cdnow_customers_summary.csv', fixture: true, spec: { model: 'bgnbd', columns: SUMMARY_COLUMNS } },
  { sample: 'cdnow_customers_summary.csv', fixture: true, spec: { model: 'paretonbd', columns: SUMMARY_COLUMNS } },
  {
    sample: 'cdnow_customers_summary_with_transactions.csv',
    fixture: true,
    spec: { model: 'gammagamma', columns: { customer: 'ID', frequency: 'x', recency: 't_x', T: 'T', monetary: 'zbar' } },
  },
  { sample: 'donations.csv', fixture: true, spec: { model: 'bgbb', columns: { frequency: 'frequency', recency: 'recency', periods: 'periods', weights: 'weights' } } },
  { sample: 'deaths_and_temps_england_wales.csv', fixture: true, spec: { model: 'its', columns: CAUSAL[0].spec.columns, config: { treatmentStart: '2020-01-01' } } },
  { sample: 'banks.csv', fixture: true, spec: { ...CAUSAL[2].spec, config: { treatmentStart: 11140 } } },
  { sample: 'drinking.csv', fixture: true, spec: CAUSAL[3].spec },
];

/** Runs one default fit through the worker's path (runFit) and reports its verdict. */
export async function defaultRun(r: DefaultRun, data: DataReader) {
  const { table } = await parseCsvText(await (r.fixture ? data : bundledIn(data))(r.sample), r.sample);
  // The last sampling progress report carries the adapted step size and trajectory length: a
  // transition takes ceil(h T / eps) leapfrog steps (gradients), h jittered on (0, 1).
  let adapted: { stepSize?: number; trajectoryLength?: number } = {};
  const onProgress = (p: Progress) => {
    if (p.phase === 'sampling' && p.stepSize !== undefined) adapted = { stepSize: p.stepSize, trajectoryLength: p.trajectoryLength };
  };
  const { seconds, value } = await timed(() => runFit(table, r.sample, { ...r.spec, dataset: r.sample }, 'bench', tf.getBackend(), { onProgress }));
  const stepsPerDraw = adapted.stepSize && adapted.trajectoryLength ? adapted.trajectoryLength / adapted.stepSize / 2 + 0.5 : undefined;
  return { ...defaultRow(r, seconds, value), stepsPerDraw };
}

/**
 * One default fit as the studio runs it, through compute workers (`--workers`): a client with
 * `workers` workers on `backend` loads the sample and fits it twice; `seconds` is the second fit
 * (workers already started, as for a user's every fit but the first), `firstSeconds` the first
 * (which starts the helper workers and their backend).
 */
export async function defaultRunOnWorkers(r: DefaultRun, data: DataReader, workers: number, backend: BackendName) {
  const client = new ComputeClient(backend, { workers });
  try {
    await client.ready();
    const info = await client.loadCsv({ name: r.sample, text: await (r.fixture ? data : bundledIn(data))(r.sample) }, r.sample);
    const spec: FitSpec = { ...r.spec, dataset: info.id, inference: { ...r.spec.inference, workers } };
    const first = await timed(() => client.fit(spec));
    const next = await timed(() => client.fit(spec));
    return { ...defaultRow(r, next.seconds, next.value), stepsPerDraw: undefined, workers, firstSeconds: first.seconds };
  } finally {
    client.terminate();
  }
}

function defaultRow(r: DefaultRun, seconds: number, value: RunResult) {
  const d = value.diagnostics;
  return {
    sample: r.fixture ? `${r.sample} (fixture)` : r.sample,
    model: r.spec.model,
    seconds,
    verdict: value.verdict,
    rhatMax: d.rhatMax,
    essBulkMin: d.essBulkMin,
    divergences: d.divergences,
    draws: d.draws,
    chains: d.chains,
    warmupSeconds: value.timings.warmupMs !== undefined ? value.timings.warmupMs / 1000 : undefined,
    samplingSeconds: value.timings.samplingMs !== undefined ? value.timings.samplingMs / 1000 : undefined,
    extension: d.extension ? `${d.extension.rounds} extension(s), ${d.extension.warmups} fresh warm-up(s), stopped: ${d.extension.stop}${d.extension.reason ? ` (${d.extension.reason})` : ''}` : '',
  };
}
