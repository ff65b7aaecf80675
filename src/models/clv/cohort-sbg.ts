/**
 * Hierarchical shifted-beta-geometric retention forecast per cohort (model `cohorts`).
 *
 * Each cohort c follows an sBG (Fader & Hardie 2007, "How to project customer retention"): its
 * customers churn at the end of each period with a beta(alpha_c, beta_c) heterogeneous probability.
 * The cohorts share a hierarchical prior, so small young cohorts borrow strength from the old ones:
 *
 *     m_c = alpha_c / (alpha_c + beta_c)          mean churn probability of the cohort
 *     logit(m_c)             = mu_churn + sigma_churn * z_churn[c]
 *     log(alpha_c + beta_c)  = mu_concentration + sigma_concentration * z_concentration[c]
 *     z_churn[c], z_concentration[c] ~ Normal(0, 1)      (non-centred)
 *
 * Hyperpriors (weakly informative, overridable through `config.priors`): mu_churn ~ Normal(0, 1.5)
 * (94% of the prior mass puts the mean churn of a typical cohort between 5% and 95% a period);
 * sigma_churn ~ HalfNormal(1) (cohorts' churn odds differing by a factor of e is plausible, by e^3
 * not); mu_concentration ~ Normal(1, 1.5) (alpha + beta between 0.1 and 50: from very heterogeneous
 * customers, whose retention rate climbs steeply as the churn-prone leave, to nearly geometric
 * churn); sigma_concentration ~ HalfNormal(1).
 *
 * Data: a transaction log is non-contractual, so a customer counts as alive at period k when they
 * made a purchase in period k or later (survival to the last purchase, which never increases, as an
 * sBG survival curve must; see `cohortSurvival`). Customers who have not bought for a while but
 * will buy again look churned in the last few periods, so recent survival is understated and the
 * forecast is conservative. Each cohort is right-censored at its own last complete period.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec, ParameterSummary } from '../../api/types';
import { cohortSurvival, type CohortPeriod, type CohortSurvival } from '../../data/cohorts';
import { dateColumn, labelColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { estimate, summarize } from '../../engine/diagnostics';
import { compileModel } from '../../engine/model';
import { createPosterior } from '../../engine/posterior';
import { mergePriors, type Prior } from '../../engine/priors';
import { createRng } from '../../engine/rng';
import type { Posterior } from '../../engine/types';
import type { ModelDefinition, PreparedModel } from '../types';
import { estimateColumns, type EstimateColumns } from './count-model';
import { isoDate } from './rfm-input';
import { sbgCounts, sbgLogLikelihood } from './sbg';

/** Default hyperpriors (see the file comment for what they mean). */
export const COHORT_PRIORS: Readonly<Record<string, Prior>> = {
  mu_churn: { dist: 'Normal', mu: 0, sigma: 1.5 },
  sigma_churn: { dist: 'HalfNormal', sigma: 1 },
  mu_concentration: { dist: 'Normal', mu: 1, sigma: 1.5 },
  sigma_concentration: { dist: 'HalfNormal', sigma: 1 },
};

const UNIT_NORMAL: Prior = { dist: 'Normal', mu: 0, sigma: 1 };

/** Default and largest forecast horizon, in periods. */
export const DEFAULT_HORIZON = 12;
const MAX_HORIZON = 240;

/** Posterior draws used for the curves (evenly spaced over all chains). */
const CURVE_DRAWS = 1000;

export interface CohortForecast {
  name: string;
  /** Customers acquired. */
  size: number;
  /** Last observed period after acquisition ("today" for this cohort). */
  observedPeriods: number;
  /** Customers alive (a purchase in their last observed period or later). */
  aliveNow: number;
  /** Observed share alive at periods 0..observedPeriods. */
  observed: number[];
  /** The sBG curve S(t) = B(alpha, beta + t) / B(alpha, beta) at periods 0..observedPeriods. */
  fitted: EstimateColumns;
  /**
   * Expected share of the cohort alive at periods observedPeriods..observedPeriods + horizon, given
   * who is alive today: observed[today] * S(t) / S(today). Parameter uncertainty only (the band is
   * of the expected share, not of the count a finite cohort will realise).
   */
  forecast: EstimateColumns;
  /**
   * Expected number of the next `horizon` periods that a customer alive today stays alive: a
   * remaining lifetime truncated at the horizon (the untruncated one is infinite when alpha <= 1).
   */
  remainingPeriods: Estimate;
}

export interface CohortForecastOutputs {
  period: CohortPeriod;
  /** Label of the last complete period of the data. */
  lastPeriod: string;
  horizon: number;
  cohorts: CohortForecast[];
  /** A cohort yet to be acquired, (alpha, beta) drawn from the hierarchy: S(t) at periods 0..periods.length-1. */
  newCohort: { periods: number[]; survival: EstimateColumns; meanChurn: Estimate; alpha: Estimate; beta: Estimate };
  /**
   * Per cohort, as derived parameters with R-hat and ESS: `alpha[c]`, `beta[c]` and `churn[c]` (the
   * mean churn probability alpha / (alpha + beta)).
   */
  derived: Record<string, ParameterSummary>;
  priors: Record<string, Prior>;
  notes: string[];
}

export interface CohortForecastOptions {
  horizon: number;
  /** User priors (merged over COHORT_PRIORS; unknown keys are an error). */
  priors?: Record<string, unknown>;
  /** Seed of the draws for a new cohort. */
  seed: number;
  /** The inference method (MAP + Laplace gets a note on what it holds fixed). */
  method: 'mcmc' | 'map';
}

function checkSurvival(s: CohortSurvival): void {
  if (s.cohorts.length === 0) throw new InputError('The retention forecast needs at least one cohort.');
  for (const c of s.cohorts) {
    if (!(c.size > 0)) throw new InputError(`Cohort "${c.name}" has no customers (size ${c.size}); every cohort needs at least one.`);
    if (c.churned.length !== c.periods || c.censored.length !== c.periods) {
      throw new InputError(`Cohort "${c.name}": ${c.periods} observed periods, but ${c.churned.length} churn and ${c.censored.length} censored counts.`);
    }
    const counted = [...c.churned, ...c.censored].reduce((a, b) => a + b, 0);
    if (counted > c.size) throw new InputError(`Cohort "${c.name}": ${counted} customers churned or censored, more than its ${c.size}.`);
  }
  const longest = Math.max(...s.cohorts.map((c) => c.periods));
  if (longest < 1) {
    const unit = s.period;
    throw new InputError(
      `The retention forecast needs at least 2 complete ${unit}s (the first-purchase ${unit} and one after it); the data up to ${s.lastPeriod} cover only 1.`,
    );
  }
}

/** S(0..periods) by S(t) = S(t - 1) (beta + t - 1) / (alpha + beta + t - 1), in float64. */
function survivalCurve(alpha: number, beta: number, periods: number): Float64Array {
  const s = new Float64Array(periods + 1);
  s[0] = 1;
  for (let t = 1; t <= periods; t++) s[t] = (s[t - 1] * (beta + t - 1)) / (alpha + beta + t - 1);
  return s;
}

function cohortParams(logitM: number, logKappa: number): { alpha: number; beta: number; churn: number } {
  const churn = 1 / (1 + Math.exp(-logitM));
  const kappa = Math.exp(logKappa);
  // 1 - churn directly, not by subtraction: accurate when churn is close to 1.
  const stay = 1 / (1 + Math.exp(logitM));
  return { alpha: churn * kappa, beta: stay * kappa, churn };
}

/** The `cohorts` model on survival counts (what `prepare` builds from a transaction log). */
export function prepareCohortForecast(survival: CohortSurvival, options: CohortForecastOptions): PreparedModel {
  checkSurvival(survival);
  const { horizon } = options;
  const cohorts = survival.cohorts;
  const labels = cohorts.map((c) => c.name);
  const C = cohorts.length;
  const counts = sbgCounts(cohorts.map((c) => c.churned), cohorts.map((c) => c.censored));
  const priors = mergePriors({ ...COHORT_PRIORS }, options.priors);
  const model = compileModel(
    [
      { name: 'mu_churn', prior: priors.mu_churn },
      { name: 'sigma_churn', prior: priors.sigma_churn },
      { name: 'mu_concentration', prior: priors.mu_concentration },
      { name: 'sigma_concentration', prior: priors.sigma_concentration },
      { name: 'z_churn', prior: UNIT_NORMAL, size: C, labels },
      { name: 'z_concentration', prior: UNIT_NORMAL, size: C, labels },
    ],
    (v) => {
      const logitM = tf.add(v.mu_churn, tf.mul(v.sigma_churn, v.z_churn)); // [chains, C]
      const logKappa = tf.add(v.mu_concentration, tf.mul(v.sigma_concentration, v.z_concentration));
      // alpha = m kappa, beta = (1 - m) kappa, with log m = -softplus(-logit m), log(1 - m) = -softplus(logit m).
      const alpha = tf.exp(tf.sub(logKappa, tf.softplus(tf.neg(logitM)))) as tf.Tensor2D;
      const beta = tf.exp(tf.sub(logKappa, tf.softplus(logitM))) as tf.Tensor2D;
      return sbgLogLikelihood(alpha, beta, counts);
    },
  );

  return {
    model,
    // The Laplace Gaussian on (mu, log sigma, z) is a poor fit to a non-centred hierarchy whose
    // cohorts have much data (logit m_c = mu + sigma z_c is pinned, a curved ridge): drawn along
    // log sigma, the cohorts' churn would range far wider than the data allow. Hold the two scales at
    // the mode; what remains is linear in the draws.
    laplaceFixed: [model.names.indexOf('sigma_churn'), model.names.indexOf('sigma_concentration')],
    outputs(posterior: Posterior): Record<string, unknown> {
      const total = posterior.chains * posterior.draws;
      const mu = posterior.column('mu_churn');
      const sigma = posterior.column('sigma_churn');
      const muK = posterior.column('mu_concentration');
      const sigmaK = posterior.column('sigma_concentration');
      const zChurn = labels.map((l) => posterior.column(`z_churn[${l}]`));
      const zKappa = labels.map((l) => posterior.column(`z_concentration[${l}]`));

      // Derived parameters per draw, laid out [draw][alpha_c..., beta_c..., churn_c...] as a Posterior.
      const P = 3 * C;
      const values = new Float64Array(total * P);
      for (let i = 0; i < total; i++) {
        for (let c = 0; c < C; c++) {
          const p = cohortParams(mu[i] + sigma[i] * zChurn[c][i], muK[i] + sigmaK[i] * zKappa[c][i]);
          values[i * P + c] = p.alpha;
          values[i * P + C + c] = p.beta;
          values[i * P + 2 * C + c] = p.churn;
        }
      }
      const names = [...labels.map((l) => `alpha[${l}]`), ...labels.map((l) => `beta[${l}]`), ...labels.map((l) => `churn[${l}]`)];
      const derived = summarize(createPosterior(names, posterior.chains, posterior.draws, values));

      const D = Math.min(CURVE_DRAWS, total);
      const pick = Array.from({ length: D }, (_, d) => Math.floor((d * total) / D));
      const forecasts = cohorts.map((c, k): CohortForecast => {
        const K = c.periods;
        const curves = pick.map((i) => survivalCurve(values[i * P + k], values[i * P + C + k], K + horizon));
        const today = c.observed[K];
        return {
          name: c.name,
          size: c.size,
          observedPeriods: K,
          aliveNow: c.aliveNow,
          observed: [...c.observed],
          fitted: estimateColumns(K + 1, D, (t, d) => curves[d][t]),
          forecast: estimateColumns(horizon + 1, D, (h, d) => (today * curves[d][K + h]) / curves[d][K]),
          remainingPeriods: estimate(
            curves.map((s) => {
              let sum = 0;
              for (let t = K + 1; t <= K + horizon; t++) sum += s[t] / s[K];
              return sum;
            }),
          ),
        };
      });

      // A new cohort: (z_churn, z_concentration) drawn from Normal(0, 1) for each posterior draw.
      const rng = createRng(options.seed);
      const span = Math.max(...cohorts.map((c) => c.periods)) + horizon;
      const fresh = pick.map((i) => cohortParams(mu[i] + sigma[i] * rng.normal(), muK[i] + sigmaK[i] * rng.normal()));
      const freshCurves = fresh.map((p) => survivalCurve(p.alpha, p.beta, span));
      const outputs: CohortForecastOutputs = {
        period: survival.period,
        lastPeriod: survival.lastPeriod,
        horizon,
        cohorts: forecasts,
        newCohort: {
          periods: Array.from({ length: span + 1 }, (_, t) => t),
          survival: estimateColumns(span + 1, D, (t, d) => freshCurves[d][t]),
          meanChurn: estimate(fresh.map((p) => p.churn)),
          alpha: estimate(fresh.map((p) => p.alpha)),
          beta: estimate(fresh.map((p) => p.beta)),
        },
        derived,
        priors,
        notes: [
          `A customer counts as alive in a ${survival.period} when they bought in it or later; customers who will buy again after a quiet spell look churned in the last few ${survival.period}s, so recent survival and the forecast are conservative.`,
          ...(options.method === 'map'
            ? ['MAP + Laplace holds sigma_churn and sigma_concentration at the joint mode: the spread between cohorts is taken as known, and with large cohorts it is overstated, so young cohorts borrow less and the new-cohort band is wider than MCMC would give.']
            : []),
          ...(survival.leftOut > 0
            ? [`${survival.leftOut.toLocaleString('en')} customers first bought after ${survival.lastPeriod}, the last complete ${survival.period}, and are left out.`]
            : []),
        ],
      };
      return { ...outputs };
    },
  };
}

function horizonOf(spec: FitSpec): number {
  const v = spec.config?.horizon;
  if (v === undefined || v === null || v === '') return DEFAULT_HORIZON;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_HORIZON) {
    throw new InputError(`config.horizon must be a whole number of periods from 1 to ${MAX_HORIZON}, got ${JSON.stringify(v)}.`);
  }
  return v;
}

function periodOf(spec: FitSpec): CohortPeriod {
  const v = spec.config?.period ?? 'month';
  if (v !== 'month' && v !== 'week') throw new InputError(`config.period must be "month" or "week", got ${JSON.stringify(v)}.`);
  return v;
}

export const cohortForecastModel: ModelDefinition = {
  name: 'cohorts',
  prepare(table: Table, spec: FitSpec) {
    const customer = labelColumn(table, roleColumn(spec.columns, 'customer'), 'customer');
    const date = dateColumn(table, roleColumn(spec.columns, 'date'), 'date').values;
    const groupName = roleColumn(spec.columns, 'cohort', true);
    const survival = cohortSurvival(
      { customer, date, group: groupName ? labelColumn(table, groupName, 'cohort') : undefined },
      periodOf(spec),
      isoDate(spec.config?.observationEnd, 'observationEnd'),
    );
    const seed = spec.inference?.seed ?? 1;
    return prepareCohortForecast(survival, {
      horizon: horizonOf(spec),
      priors: spec.config?.priors as Record<string, unknown> | undefined,
      seed: typeof seed === 'number' && Number.isFinite(seed) ? seed : 1,
      method: spec.inference?.method === 'map' ? 'map' : 'mcmc',
    });
  },
};
