/**
 * Interrupted time series (as CausalPy's `InterruptedTimeSeries` with a linear model, and
 * CausalImpact's structural variant, Brodersen et al. 2015): a Bayesian regression fitted on the
 * pre-period (intercept, linear trend, Fourier seasonality, optional covariates), projected after
 * `config.treatmentStart` as the counterfactual.
 *
 * With `config.structural = true` a local level (Gaussian random walk, non-centred: the level's
 * innovations are parameters `level_z`) replaces the fixed trend, as CausalImpact's local level +
 * regression model; the state is sampled, not marginalised by a Kalman filter, because a filter is
 * one serial step per time point (hundreds of dispatches per evaluation on a GPU) while the sampled
 * walk is one matMul. After the pre-period the walk continues with fresh steps, so the
 * counterfactual band widens with the horizon.
 *
 * Scales: the outcome is centred and divided by its pre-period mean and sd, covariates likewise,
 * the trend is the step index divided by the pre-period length (centred on it). Parameters
 * (`intercept`, `trend`, `gamma_fourier[sin_k|cos_k]`, `beta[col]`, `sigma`, `sigma_level`) are on
 * that standardised axis; every output is in the outcome's units.
 */
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { numberColumn, roleColumn, roleColumns } from '../../data/columns';
import type { Table } from '../../data/table';
import { mergePriors, type Prior } from '../../engine/priors';
import { defineModel } from '../define';
import type { ModelDefinition } from '../types';
import { readOptions } from '../options';
import type { LinearTerm, RegressionSpec } from './regression';
import {
  defaultSeasonalPeriod,
  formatTime,
  parseTimePoint,
  requireEvenSpacing,
  requirePrePeriod,
  sortUniqueTimes,
  splitIndex,
  timeColumn,
} from './time-axis';
import { ITS_OPTIONS } from './options';
import { outcomeKindOption, outcomeText } from './outcome';
import { PLACEBO_PREFIX, placeboSplit, timeSeriesModel, timeSeriesOutputs, type CausalOutputs } from './time-series';

/** Default priors on the standardised axis (outcome and covariates z-scored on the pre-period). */
export const ITS_PRIORS: Readonly<Record<string, Prior>> = {
  intercept: { dist: 'Normal', mu: 0, sigma: 2 },
  /** Change over the whole pre-period, in pre-period sds: a steady trend spans a few. */
  trend: { dist: 'Normal', mu: 0, sigma: 5 },
  gamma_fourier: { dist: 'Normal', mu: 0, sigma: 1 },
  beta: { dist: 'Normal', mu: 0, sigma: 2 },
  sigma: { dist: 'HalfNormal', sigma: 1 },
  /** CausalImpact's default local-level sd is 0.01 of the outcome's sd; this half-normal's median is 0.034. */
  sigma_level: { dist: 'HalfNormal', sigma: 0.05 },
};

/** ITS outputs: the common causal outputs plus the design used. */
export interface ItsOutputs extends CausalOutputs {
  method: 'its';
  /** Fourier order and period (time steps) of the seasonality; order 0 = none. */
  seasonality: { order: number; period: number };
  /** Whether the structural (local level) variant was fitted. */
  structural: boolean;
}

/** Pre-period mean and sd (ddof 1) of the first `n` values. */
export function preMoments(x: ArrayLike<number>, n: number): { mean: number; sd: number } {
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return { mean: m, sd: Math.sqrt(v / Math.max(1, n - 1)) };
}

/** Fourier features sin(2 pi k i / period), then cos, k = 1..order, of the step index i. */
export function fourierColumns(n: number, order: number, period: number): { labels: string[]; columns: Float64Array[] } {
  const labels: string[] = [];
  const columns: Float64Array[] = [];
  for (const [name, f] of [
    ['sin', Math.sin],
    ['cos', Math.cos],
  ] as const) {
    for (let k = 1; k <= order; k++) {
      labels.push(`${name}_${k}`);
      columns.push(Float64Array.from({ length: n }, (_, i) => f((2 * Math.PI * k * i) / period)));
    }
  }
  return { labels, columns };
}

/** The 'its' model: roles date, outcome, covariates?; config.treatmentStart (required). */
export const itsModel: ModelDefinition<'its', ItsOutputs> = defineModel({
  name: 'its',
  label: 'interrupted time series',
  roles: ['date', 'outcome', 'covariates'],
  options: ITS_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(ITS_OPTIONS, spec.config);
    const timeCol = timeColumn(table, roleColumn(spec.columns, 'date'), 'date');
    const outcomeName = roleColumn(spec.columns, 'outcome');
    const outcome = numberColumn(table, outcomeName, 'outcome').values;
    const covNames = roleColumns(spec.columns, 'covariates');
    if (covNames.includes(outcomeName)) throw new InputError(`Column "${outcomeName}" is the outcome and cannot also be a covariate.`);
    const covariates = covNames.map((c) => numberColumn(table, c, 'covariates').values);
    const { order, times } = sortUniqueTimes(timeCol);
    requireEvenSpacing(times, timeCol.kind, timeCol.name);
    const n = times.length;
    const y = Float64Array.from(order, (r) => outcome[r]);
    order.forEach((r, i) => {
      if (!Number.isFinite(y[i])) throw new InputError(`Row ${r + 1}: the outcome "${outcomeName}" is missing.`);
      covariates.forEach((c, j) => {
        if (!Number.isFinite(c[r])) throw new InputError(`Row ${r + 1}: the covariate "${covNames[j]}" is missing (covariates are needed in the post-period too).`);
      });
    });
    const startTime = parseTimePoint(config.treatmentStart, timeCol, 'treatmentStart');
    const start = splitIndex(times, startTime, timeCol.kind, 'treatmentStart');

    const { structural } = config;
    const trend = config.trend ?? !structural;
    const period = config.seasonalPeriod ?? defaultSeasonalPeriod(times, timeCol.kind);
    const seasonality = config.seasonality ?? (period > 0 ? Math.min(2, Math.floor((period - 1) / 2)) : 0);
    if (seasonality > 0 && !(period > 0)) {
      throw new InputError(`config.seasonality ${seasonality} needs a seasonal period: set config.seasonalPeriod (in time steps, e.g. 12 for monthly data).`);
    }
    if (seasonality > 0 && 2 * seasonality >= period) {
      throw new InputError(`config.seasonality ${seasonality} is too high for a period of ${period} steps: the Fourier order must be below period / 2.`);
    }
    const priors = mergePriors({ ...ITS_PRIORS }, config.priors);

    const nCoef = 1 + (trend ? 1 : 0) + 2 * seasonality + covariates.length;
    const minPre = Math.max(6, nCoef + 3);
    requirePrePeriod(start, minPre, startTime, timeCol.kind, `${nCoef} coefficients and the noise are fitted on it`);

    const { mean: yMean, sd: ySd } = preMoments(y, start);
    if (!(ySd > 0)) throw new InputError(`The outcome "${outcomeName}" is constant in the pre-period: there is nothing to model.`);
    const yScaled = y.map((v) => (v - yMean) / ySd);
    const terms: LinearTerm[] = [{ name: 'intercept', prior: priors.intercept, columns: [new Float64Array(n).fill(1)] }];
    if (trend) {
      const centre = (start - 1) / 2;
      terms.push({ name: 'trend', prior: priors.trend, columns: [Float64Array.from({ length: n }, (_, i) => (i - centre) / start)] });
    }
    if (seasonality > 0) {
      const f = fourierColumns(n, seasonality, period);
      terms.push({ name: 'gamma_fourier', prior: priors.gamma_fourier, columns: f.columns, labels: f.labels });
    }
    if (covariates.length) {
      const columns = covariates.map((c, j) => {
        const x = Float64Array.from(order, (r) => c[r]);
        const { mean, sd } = preMoments(x, start);
        if (!(sd > 0)) throw new InputError(`The covariate "${covNames[j]}" is constant in the pre-period, so its effect cannot be estimated; remove it.`);
        return x.map((v) => (v - mean) / sd);
      });
      terms.push({ name: 'beta', prior: priors.beta, columns, labels: covNames });
    }
    const base = { terms, y: yScaled, sigmaPrior: priors.sigma, ...(structural ? { levelPrior: priors.sigma_level } : {}) };
    const main: RegressionSpec = { ...base, prefix: '', fitRows: start };
    const warnings: string[] = [];
    const usePlacebo = config.placebo;
    const override =
      config.placeboStart !== undefined && config.placeboStart !== '' ? splitIndex(times, parseTimePoint(config.placeboStart, timeCol, 'placeboStart'), timeCol.kind, 'placeboStart') : undefined;
    const cut = usePlacebo ? placeboSplit(start, n - start, minPre, override, warnings, y) : undefined;
    const placebo: RegressionSpec | undefined = cut === undefined ? undefined : { ...base, prefix: PLACEBO_PREFIX, fitRows: cut };
    const text = outcomeText(config, outcomeName);
    const kind = outcomeKindOption(config.outcomeKind, y, start);
    const model = timeSeriesModel(main, placebo);
    return {
      model,
      outputs(posterior) {
        const out: ItsOutputs = {
          ...timeSeriesOutputs(
            {
              method: 'its',
              outcome: outcomeName,
              text,
              kind,
              checkNoise: false,
              time: times,
              timeKind: timeCol.kind,
              observed: y,
              main,
              placebo: placebo && { spec: placebo, start: placebo.fitRows },
              offset: yMean,
              scale: ySd,
              start,
              end: n,
              preEnd: start,
              subject: 'the intervention',
              periodWord: `post-period points (from ${formatTime(times[start], timeCol.kind)})`,
              warnings,
            },
            posterior,
          ),
          method: 'its',
          seasonality: { order: seasonality, period },
          structural,
        };
        return out;
      },
    };
  },
});
