/**
 * MMM outputs in the data's original units, computed in float64 from thinned posterior draws:
 * posterior predictive fit vs actual (94% HDI), Bayesian R^2, MAPE and holdout error; stacked
 * contributions over time (intercept, trend, seasonality, controls, events, each channel) with
 * HDIs; per-channel contribution, share, ROAS and marginal ROAS as Estimates; response and
 * adstock decay curves with HDIs; prior vs posterior per parameter; and the thinned draws the
 * budget optimiser and scenario forecast run on (`optimizerDraws`).
 */
import type { Estimate } from '../../api/types';
import { toIsoDate } from '../../data/time';
import { estimate } from '../../engine/diagnostics';
import { priorLogPdfF64 } from '../../engine/distributions';
import type { Prior } from '../../engine/priors';
import { createRng, gammaVariate } from '../../engine/rng';
import { thinIndices } from '../../engine/thin';
import type { Posterior } from '../../engine/types';
import { density, estimateColumns, type EstimateColumns } from '../summaries';
import { dataRecord } from '../types';
import { ADSTOCKS } from './adstock';
import { adstockWidth } from './adstock-f64';
import { channelContribution, channelWeights, type ResponseModel } from './optimizer';
import type { ControlKind, MmmData } from './prepare';
import { SATURATIONS } from './saturation';

/** Most draws used for the outputs (per-period HDIs over T rows). */
export const OUTPUT_DRAWS = 300;
/** Most draws stored for the optimiser and scenario forecast (they run on the main thread). */
export const OPTIMIZER_DRAWS = 200;
/** Spend multipliers of the response curves: 0 to 2x the historical spend. */
const CURVE_MULTIPLIERS = Array.from({ length: 21 }, (_, i) => i / 10);
/** Relative spend bump for the marginal ROAS (finite difference). */
const MROAS_BUMP = 0.01;

/** What a contribution series is. */
export type ContributionKind = 'intercept' | 'trend' | 'seasonality' | 'controls' | 'events' | 'channel';

/** Typed view of `RunResult.outputs` for 'mmm'. */
export interface MmmOutputs {
  /** Period dates (ISO yyyy-mm-dd), all rows sorted. */
  dates: string[];
  /** Rows 0..train-1 were fitted; the rest are the holdout. */
  train: number;
  /** Days per period. */
  periodDays: number;
  target: string;
  /** Observed target, all rows (target units). */
  actual: number[];
  /** Posterior of the expected target mu_t (target units), all rows. */
  fitted: EstimateColumns;
  /** Posterior predictive (mu_t plus observation noise), all rows. */
  predictive: EstimateColumns;
  metrics: {
    /** Bayesian R^2 over the fitted rows (Gelman et al. 2019: var(mu) / (var(mu) + var(y - mu)), per draw). */
    r2: Estimate;
    /** Classical R^2 of the posterior-mean fit over the fitted rows. */
    r2Mean: number;
    /** Mean absolute percentage error of mu over the fitted rows (a fraction; rows with y = 0 skipped). */
    mape: Estimate;
    /** Holdout rows only (present when config.holdoutWeeks > 0). */
    holdout?: {
      rows: number;
      mape: Estimate;
      /** Root mean squared error (target units). */
      rmse: Estimate;
      /** Fraction of holdout actuals inside the predictive 94% HDI. */
      coverage: number;
    };
  };
  /** Contributions per period (target units), stacked they sum to `fitted`; each with a band. */
  contributions: ({ label: string; kind: ContributionKind } & EstimateColumns)[];
  /** Per channel over the fitted rows (original units). */
  channels: Record<
    string,
    {
      /** Total spend (spend units). */
      spend: number;
      /** Total contribution (target units). */
      contribution: Estimate;
      /**
       * The per-draw totals behind `contribution` (<= 200, the draws of `optimizerDraws`): with a
       * target that counts new customers, incremental customers, for LTV/CAC.
       */
      contributionDraws: number[];
      /** Share of the total media contribution (fraction). */
      share: Estimate;
      /** Contribution per unit of spend. */
      roas: Estimate;
      /** Marginal ROAS at current spend: extra contribution per extra unit of spend (+1% bump). */
      mroas: Estimate;
    }
  >;
  /** Total contribution over the fitted rows vs total spend when the historical spend pattern is scaled 0..2x. */
  responseCurves: Record<string, { spend: number[] } & EstimateColumns>;
  /** Share of a period's spend acting at each lag (weights sum to 1). */
  adstockCurves: Record<string, { lag: number[] } & EstimateColumns>;
  /** Posterior histogram (density) and the prior density on the same grid, per flat parameter. */
  priorPosterior: Record<string, { x: number[]; posterior: number[]; prior: number[] }>;
  /** Thinned draws (<= 200) of the media parameters, for the optimiser and scenario forecast. */
  optimizerDraws: ResponseModel;
}

/** One draw's parameters, split by role. */
export interface MmmDraw {
  intercept: number;
  adstock: Record<string, number>[];
  saturation: Record<string, number>[];
  gammaControl: number[];
  gammaFourier: number[];
  sigma: number;
  nu: number;
}

/** Thinned draws of every parameter, split by role. */
export function mmmDraws(data: MmmData, posterior: Posterior, max: number): MmmDraw[] {
  const ad = ADSTOCKS[data.config.adstock];
  const sat = SATURATIONS[data.config.saturation];
  const col = new Map(posterior.names.map((n) => [n, posterior.column(n)]));
  const get = (name: string, k: number) => {
    const c = col.get(name);
    if (!c) throw new Error(`The posterior has no '${name}'.`);
    return c[k];
  };
  const idx = thinIndices(posterior.chains * posterior.draws, max);
  return idx.map((k) => ({
    intercept: get('intercept', k),
    adstock: data.channels.map((ch) => Object.fromEntries(Object.keys(ad.defaultPriors).map((p) => [p, get(`${ad.prefix}_${p}[${ch}]`, k)]))),
    saturation: data.channels.map((ch) => Object.fromEntries(Object.keys(sat.defaultPriors).map((p) => [p, get(`${sat.prefix}_${p}[${ch}]`, k)]))),
    gammaControl: data.controls.map((c) => get(`gamma_control[${c.name}]`, k)),
    gammaFourier: data.fourier.names.map((n) => get(`gamma_fourier[${n}]`, k)),
    sigma: get('sigma', k),
    nu: data.config.likelihood === 'studentt' ? get('nu', k) : Infinity,
  }));
}

/** The response model (media parameters and scales) of a set of draws. */
export function responseModel(data: MmmData, draws: readonly MmmDraw[]): ResponseModel {
  return {
    adstock: data.config.adstock,
    saturation: data.config.saturation,
    lMax: data.config.lMax,
    channels: [...data.channels],
    xMax: [...data.xMax],
    yMax: data.yMax,
    adstockParams: draws.map((d) => d.adstock),
    saturationParams: draws.map((d) => d.saturation),
    meanSpend: data.spend.map((s) => sum(s.subarray(0, data.train)) / data.train),
    periodDays: data.periodDays,
  };
}

function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}

const CONTROL_GROUPS: readonly { kind: ControlKind; contribution: ContributionKind; label: string }[] = [
  { kind: 'trend', contribution: 'trend', label: 'trend' },
  { kind: 'control', contribution: 'controls', label: 'controls' },
  { kind: 'event', contribution: 'events', label: 'events' },
];

/** Every MMM output from the posterior (see MmmOutputs). */
export function mmmOutputs(data: MmmData, posterior: Posterior, priors: Record<string, Prior>): MmmOutputs {
  const T = data.dates.length;
  const train = data.train;
  const M = data.channels.length;
  const draws = mmmDraws(data, posterior, OUTPUT_DRAWS);
  const D = draws.length;
  const response = responseModel(data, draws);
  const yMax = data.yMax;

  // Components per draw over all rows (target units).
  const media = draws.map((_, d) => data.channels.map((_, c) => channelContribution(response, d, c, data.spend[c])));
  const linear = (coef: readonly number[], columns: readonly Float64Array[], keep: (j: number) => boolean) =>
    Float64Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let j = 0; j < coef.length; j++) if (keep(j)) s += coef[j] * columns[j][t];
      return yMax * s;
    });
  const controlColumns = data.controls.map((c) => c.values);
  const groups = CONTROL_GROUPS.filter((g) => data.controls.some((c) => c.kind === g.kind)).map((g) => ({
    ...g,
    values: draws.map((dr) => linear(dr.gammaControl, controlColumns, (j) => data.controls[j].kind === g.kind)),
  }));
  const season = data.fourier.names.length ? draws.map((dr) => linear(dr.gammaFourier, data.fourier.values, () => true)) : undefined;
  const mu = draws.map((dr, d) =>
    Float64Array.from({ length: T }, (_, t) => {
      let m = yMax * dr.intercept;
      for (const g of groups) m += g.values[d][t];
      if (season) m += season[d][t];
      for (let c = 0; c < M; c++) m += media[d][c][t];
      return m;
    }),
  );

  // Fit and predictive.
  const rng = createRng(20_240_601);
  const predictiveDraws = draws.map((dr, d) =>
    Float64Array.from({ length: T }, (_, t) => {
      const z = rng.normal();
      const scale = Number.isFinite(dr.nu) ? Math.sqrt(dr.nu / (2 * gammaVariate(rng, dr.nu / 2))) : 1;
      return mu[d][t] + yMax * dr.sigma * z * scale;
    }),
  );
  const fitted = estimateColumns(T, D, (t, d) => mu[d][t]);
  const predictive = estimateColumns(T, D, (t, d) => predictiveDraws[d][t]);

  // Accuracy.
  const y = data.y;
  const variance = (a: ArrayLike<number>, from: number, to: number) => {
    const m = sum(a, from, to) / (to - from);
    let v = 0;
    for (let i = from; i < to; i++) v += (a[i] - m) ** 2;
    return v / Math.max(1, to - from - 1);
  };
  const r2 = mu.map((m) => {
    const resid = Float64Array.from({ length: train }, (_, t) => y[t] - m[t]);
    const vf = variance(m, 0, train);
    return vf / (vf + variance(resid, 0, train));
  });
  const mapeOf = (m: ArrayLike<number>, from: number, to: number) => {
    let s = 0;
    let n = 0;
    for (let t = from; t < to; t++) {
      if (y[t] !== 0) {
        s += Math.abs((y[t] - m[t]) / y[t]);
        n++;
      }
    }
    return n ? s / n : 0;
  };
  const meanY = sum(y, 0, train) / train;
  let ssRes = 0;
  let ssTot = 0;
  for (let t = 0; t < train; t++) {
    ssRes += (y[t] - fitted.mean[t]) ** 2;
    ssTot += (y[t] - meanY) ** 2;
  }
  const metrics: MmmOutputs['metrics'] = {
    r2: estimate(r2),
    r2Mean: ssTot > 0 ? 1 - ssRes / ssTot : 0,
    mape: estimate(mu.map((m) => mapeOf(m, 0, train))),
  };
  if (train < T) {
    let inside = 0;
    for (let t = train; t < T; t++) if (y[t] >= predictive.hdiLow[t] && y[t] <= predictive.hdiHigh[t]) inside++;
    metrics.holdout = {
      rows: T - train,
      mape: estimate(mu.map((m) => mapeOf(m, train, T))),
      rmse: estimate(mu.map((m) => Math.sqrt(sum(Float64Array.from({ length: T - train }, (_, i) => (y[train + i] - m[train + i]) ** 2)) / (T - train)))),
      coverage: inside / (T - train),
    };
  }

  // Stacked contributions with bands.
  const contributions: MmmOutputs['contributions'] = [
    { label: 'intercept', kind: 'intercept', ...estimateColumns(T, D, (_, d) => yMax * draws[d].intercept) },
  ];
  const trend = groups.find((g) => g.kind === 'trend');
  if (trend) contributions.push({ label: trend.label, kind: trend.contribution, ...estimateColumns(T, D, (t, d) => trend.values[d][t]) });
  if (season) contributions.push({ label: 'seasonality', kind: 'seasonality', ...estimateColumns(T, D, (t, d) => season[d][t]) });
  for (const g of groups.filter((x) => x.kind !== 'trend')) contributions.push({ label: g.label, kind: g.contribution, ...estimateColumns(T, D, (t, d) => g.values[d][t]) });
  data.channels.forEach((ch, c) => contributions.push({ label: ch, kind: 'channel', ...estimateColumns(T, D, (t, d) => media[d][c][t]) }));

  // Per channel over the fitted rows.
  const keep = thinIndices(D, OPTIMIZER_DRAWS);
  const totals = media.map((mc) => mc.map((series) => sum(series, 0, train)));
  const channels: MmmOutputs['channels'] = dataRecord();
  const responseCurves: MmmOutputs['responseCurves'] = dataRecord();
  const adstockCurves: MmmOutputs['adstockCurves'] = dataRecord();
  const width = adstockWidth(data.config.adstock, data.config.lMax);
  data.channels.forEach((ch, c) => {
    const spendSeries = data.spend[c];
    const spend = sum(spendSeries, 0, train);
    const scaledTotal = (d: number, k: number) => sum(channelContribution(response, d, c, spendSeries.map((v) => v * k)), 0, train);
    const bumped = draws.map((_, d) => scaledTotal(d, 1 + MROAS_BUMP) - totals[d][c]);
    channels[ch] = {
      spend,
      contribution: estimate(totals.map((t) => t[c])),
      contributionDraws: keep.map((k) => totals[k][c]),
      share: estimate(totals.map((t) => t[c] / Math.max(1e-300, Math.abs(sum(t))))),
      roas: estimate(totals.map((t) => t[c] / spend)),
      mroas: estimate(bumped.map((b) => b / (MROAS_BUMP * spend))),
    };
    const curve = CURVE_MULTIPLIERS.map((k) => draws.map((_, d) => (k === 1 ? totals[d][c] : k === 0 ? 0 : scaledTotal(d, k))));
    responseCurves[ch] = { spend: CURVE_MULTIPLIERS.map((k) => k * spend), ...estimateColumns(CURVE_MULTIPLIERS.length, D, (i, d) => curve[i][d]) };
    const weights = draws.map((_, d) => channelWeights(response, d, c));
    adstockCurves[ch] = { lag: Array.from({ length: width }, (_, l) => l), ...estimateColumns(width, D, (l, d) => weights[d][l]) };
  });

  // Prior vs posterior, from every draw.
  const priorPosterior: MmmOutputs['priorPosterior'] = {};
  for (const name of posterior.names) {
    const h = density(posterior.column(name));
    const prior = priors[name.replace(/\[.*$/, '')];
    priorPosterior[name] = {
      x: h.x,
      posterior: h.density,
      prior: h.x.map((x) => {
        const p = prior ? Math.exp(priorLogPdfF64(prior, x)) : 0;
        return Number.isFinite(p) ? p : 0;
      }),
    };
  }

  return {
    dates: data.dates.map(toIsoDate),
    train,
    periodDays: data.periodDays,
    target: data.target,
    actual: Array.from(y),
    fitted,
    predictive,
    metrics,
    contributions,
    channels,
    responseCurves,
    adstockCurves,
    priorPosterior,
    optimizerDraws: {
      ...response,
      adstockParams: keep.map((k) => response.adstockParams[k]),
      saturationParams: keep.map((k) => response.saturationParams[k]),
    },
  };
}
