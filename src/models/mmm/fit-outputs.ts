/**
 * How an MMM fits, over time, in the data's original units from thinned draws: the posterior of
 * mu_t and the posterior predictive (mu_t plus observation noise) with 94% HDIs, Bayesian R^2,
 * MAPE and holdout error, and the stacked contributions (intercept, trend, seasonality, controls,
 * events, each channel) that add up to mu_t.
 */
import type { Estimate } from '../../api/types';
import { estimate } from '../../engine/diagnostics';
import { createRng, gammaVariate, type Rng } from '../../engine/rng';
import { estimateColumns, type EstimateColumns } from '../summaries';
import { sum, type MmmDraw } from './draws';
import type { ControlKind, MmmData } from './prepare';

/** What a contribution series is. */
export type ContributionKind = 'intercept' | 'trend' | 'seasonality' | 'controls' | 'events' | 'channel';

/** The fit part of `MmmOutputs`. */
export interface MmmFitOutputs {
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
    /** Holdout rows only (present when config.holdoutPeriods > 0). */
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
}

const CONTROL_GROUPS: readonly { kind: ControlKind; contribution: ContributionKind; label: string }[] = [
  { kind: 'trend', contribution: 'trend', label: 'trend' },
  { kind: 'control', contribution: 'controls', label: 'controls' },
  { kind: 'event', contribution: 'events', label: 'events' },
];

/** Seed of the predictive noise draws (fixed, so a stored run's outputs are reproducible). */
const PREDICTIVE_SEED = 20_240_601;

/** Per draw, every component of mu over all rows (target units). */
export interface MmmComponents {
  /** `[draw][channel]` media contributions. */
  media: readonly (readonly Float64Array[])[];
  /** Trend, controls and events, each a linear group of control columns, per draw. */
  groups: { kind: ControlKind; contribution: ContributionKind; label: string; values: Float64Array[] }[];
  /** Fourier seasonality per draw (absent without it). */
  season?: Float64Array[];
  /** Their sum with the intercept: mu per draw. */
  mu: Float64Array[];
}

/** The fit outputs of `draws`, whose components per draw are `parts` (`mmmComponents`). */
export function mmmFitOutputs(data: MmmData, draws: readonly MmmDraw[], parts: MmmComponents): MmmFitOutputs {
  const T = data.dates.length;
  const D = draws.length;
  const noisy = predictiveDraws(data, draws, parts.mu);
  const fitted = estimateColumns(T, D, (t, d) => parts.mu[d][t]);
  const predictive = estimateColumns(T, D, (t, d) => noisy[d][t]);
  return { fitted, predictive, metrics: fitMetrics(data, parts.mu, fitted, predictive), contributions: contributions(data, draws, parts) };
}

/** Every component of mu per draw (target units, all rows), whose media contributions per draw and channel are `media`. */
export function mmmComponents(data: MmmData, draws: readonly MmmDraw[], media: readonly (readonly Float64Array[])[]): MmmComponents {
  const T = data.dates.length;
  const M = data.channels.length;
  const yMax = data.yMax;
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
  return { media, groups, ...(season ? { season } : {}), mu };
}

/** mu plus observation noise (Normal, or Student-t as a Normal scale mixture), per draw; `rng` draws the noise. */
export function predictiveDraws(data: MmmData, draws: readonly MmmDraw[], mu: readonly Float64Array[], rng: Rng = createRng(PREDICTIVE_SEED)): Float64Array[] {
  const T = data.dates.length;
  return draws.map((dr, d) =>
    Float64Array.from({ length: T }, (_, t) => {
      const z = rng.normal();
      const scale = Number.isFinite(dr.nu) ? Math.sqrt(dr.nu / (2 * gammaVariate(rng, dr.nu / 2))) : 1;
      return mu[d][t] + data.yMax * dr.sigma * z * scale;
    }),
  );
}

/** Bayesian R^2 and MAPE over the fitted rows; with a holdout, its MAPE, RMSE and predictive coverage. */
function fitMetrics(data: MmmData, mu: readonly Float64Array[], fitted: EstimateColumns, predictive: EstimateColumns): MmmFitOutputs['metrics'] {
  const T = data.dates.length;
  const train = data.train;
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
  const metrics: MmmFitOutputs['metrics'] = {
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
  return metrics;
}

/** The stacked contributions with bands: intercept, trend, seasonality, controls, events, then each channel. */
function contributions(data: MmmData, draws: readonly MmmDraw[], parts: MmmComponents): MmmFitOutputs['contributions'] {
  const T = data.dates.length;
  const D = draws.length;
  const { groups, season, media } = parts;
  const out: MmmFitOutputs['contributions'] = [{ label: 'intercept', kind: 'intercept', ...estimateColumns(T, D, (_, d) => data.yMax * draws[d].intercept) }];
  const trend = groups.find((g) => g.kind === 'trend');
  if (trend) out.push({ label: trend.label, kind: trend.contribution, ...estimateColumns(T, D, (t, d) => trend.values[d][t]) });
  if (season) out.push({ label: 'seasonality', kind: 'seasonality', ...estimateColumns(T, D, (t, d) => season[d][t]) });
  for (const g of groups.filter((x) => x.kind !== 'trend')) out.push({ label: g.label, kind: g.contribution, ...estimateColumns(T, D, (t, d) => g.values[d][t]) });
  data.channels.forEach((ch, c) => out.push({ label: ch, kind: 'channel', ...estimateColumns(T, D, (t, d) => media[d][c][t]) }));
  return out;
}
