/**
 * Synthetic control (Abadie, Diamond & Hainmueller 2010; Bayesian as CausalPy's
 * `WeightedSumFitter`): the treated unit's pre-period outcome is a weighted sum of donor units'
 * outcomes, weights on the simplex with a Dirichlet prior and Gaussian noise; the same weights
 * applied to the donors after `config.treatmentStart` give the counterfactual.
 *
 * Input is wide: one row per time point, the treated unit and each donor in its own column (as
 * `california_prop99.csv`: `Year`, then one column per state). The treated series and the donors are
 * divided by one scale (the treated unit's mean absolute pre-period value), so the weights are
 * scale-free and `sigma` is relative to that scale.
 *
 * Prior: Dirichlet(alpha, .., alpha) with alpha = `config.dirichletAlpha`, default 0.1 (sparse).
 * With many donors and few pre-period points a flat Dirichlet(1) (CausalPy's default) is dominated
 * by the simplex's volume: on Prop 99 (38 donors, 19 years) its posterior spreads the weight over
 * dozens of states, fits the pre-period 4x worse than the least-squares synthetic control and
 * fails the placebo test badly (1983-1988 "effect" -13.6 packs a year); alpha = 0.1 recovers Abadie
 * et al.'s few-donor answer (Utah, Nevada, Montana), with a small placebo "effect" left (-4.3 a year:
 * 13 pre-period years of the outcome alone do not pin California down). The simplex is sampled as
 * normalised Gamma variates (parameters `weights_raw[col]`, see gamma-simplex.ts);
 * `outputs.weights[col]` are the weights.
 */
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec } from '../../api/types';
import { numberColumn, roleColumn, roleColumns } from '../../data/columns';
import type { Table } from '../../data/table';
import { estimate } from '../../engine/diagnostics';
import type { SamplingHints } from '../../engine/types';
import { mergePriors, type Prior } from '../../engine/priors';
import { defineModel } from '../define';
import type { ModelDefinition } from '../types';
import { readOptions } from '../options';
import { coefficientDraws, type RegressionSpec } from './regression';
import { SYNTHETIC_CONTROL_OPTIONS } from './options';
import { outcomeKindOption, outcomeText } from './outcome';
import { formatTime, parseTimePoint, requirePrePeriod, sortUniqueTimes, splitIndex, timeColumn } from './time-axis';
import { PLACEBO_PREFIX, placeboSplit, timeSeriesModel, timeSeriesOutputs, type CausalOutputs } from './time-series';

/** Fewest pre-period points a synthetic control is fitted on. */
export const MIN_PRE_POINTS = 5;

/**
 * The weights' posterior has minor modes (a donor in or out of the mix) and its mode is not in its
 * typical set, so chains start spread out, and the step size is tuned on the mean acceptance: on
 * Prop 99 either default alone left chains stuck (BENCHMARKS.md).
 */
const SAMPLING: SamplingHints = { start: 'spread', acceptance: 'mean' };

/** Synthetic-control outputs: the common causal outputs plus the donor weights. */
export interface SyntheticControlOutputs extends CausalOutputs {
  method: 'synthetic_control';
  /** Donor weight posteriors by donor column, largest posterior mean first (they sum to 1 per draw). */
  weights: Record<string, Estimate>;
  /** Root-mean-square pre-period gap between the treated unit and its posterior-mean synthetic control (outcome units). */
  preRmse: number;
}

/** The 'synthetic_control' model: roles date, treated, donors; config.treatmentStart (required). */
export const syntheticControlModel: ModelDefinition<'synthetic_control', SyntheticControlOutputs> = defineModel({
  name: 'synthetic_control',
  label: 'synthetic control',
  roles: ['date', 'treated', 'donors'],
  options: SYNTHETIC_CONTROL_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(SYNTHETIC_CONTROL_OPTIONS, spec.config);
    const timeCol = timeColumn(table, roleColumn(spec.columns, 'date'), 'date');
    const treatedName = roleColumn(spec.columns, 'treated');
    const donorNames = roleColumns(spec.columns, 'donors');
    if (donorNames.includes(treatedName)) {
      throw new InputError(`Column "${treatedName}" is the treated unit and is also listed as a donor: remove it from the donors (a unit cannot be its own control).`);
    }
    const seen = new Set<string>();
    for (const d of donorNames) {
      if (seen.has(d)) throw new InputError(`Donor "${d}" is listed twice.`);
      seen.add(d);
    }
    if (donorNames.length < 2) throw new InputError(`Synthetic control needs at least 2 donor columns, got ${donorNames.length}.`);
    const treatedRaw = numberColumn(table, treatedName, 'treated').values;
    const donorsRaw = donorNames.map((d) => numberColumn(table, d, 'donors').values);
    const { order, times } = sortUniqueTimes(timeCol);
    const n = times.length;
    const treated = Float64Array.from(order, (r) => treatedRaw[r]);
    order.forEach((r, i) => {
      if (!Number.isFinite(treated[i])) throw new InputError(`The treated unit "${treatedName}" is missing at ${formatTime(times[i], timeCol.kind)} (row ${r + 1}).`);
    });
    const donors = donorsRaw.map((values, j) => {
      const x = Float64Array.from(order, (r) => values[r]);
      const missing = times.filter((_, i) => !Number.isFinite(x[i]));
      if (missing.length) {
        const list = Array.from(missing.slice(0, 6), (t) => formatTime(t, timeCol.kind)).join(', ');
        throw new InputError(
          `Donor "${donorNames[j]}" has missing values at ${missing.length} time point${missing.length > 1 ? 's' : ''} (${list}${missing.length > 6 ? ', …' : ''}): every donor needs a value at every time point. Remove it from the donors or fill the gaps.`,
        );
      }
      return x;
    });
    const startTime = parseTimePoint(config.treatmentStart, timeCol, 'treatmentStart');
    const start = splitIndex(times, startTime, timeCol.kind, 'treatmentStart');
    requirePrePeriod(start, MIN_PRE_POINTS, startTime, timeCol.kind, 'the weights are fitted on it');

    let scale = 0;
    for (let i = 0; i < start; i++) scale += Math.abs(treated[i]);
    scale /= start;
    if (!(scale > 0)) throw new InputError(`The treated unit "${treatedName}" is zero throughout the pre-period: there is nothing to match.`);
    const alpha = config.dirichletAlpha;
    const defaults: Record<string, Prior> = {
      weights: { dist: 'Dirichlet', a: new Array<number>(donorNames.length).fill(alpha) },
      sigma: { dist: 'HalfNormal', sigma: 1 },
    };
    const priors = mergePriors(defaults, config.priors);
    if (priors.weights.dist !== 'Dirichlet' || priors.weights.a.length !== donorNames.length) {
      throw new InputError(`priors.weights must be a Dirichlet with ${donorNames.length} concentrations (one per donor).`);
    }
    const base = {
      terms: [{ name: 'weights', prior: priors.weights, columns: donors.map((d) => d.map((v) => v / scale)), labels: donorNames, gammaSimplex: true }],
      y: treated.map((v) => v / scale),
      sigmaPrior: priors.sigma,
    };
    const main: RegressionSpec = { ...base, prefix: '', fitRows: start };
    const warnings: string[] = [];
    const override =
      config.placeboStart !== undefined && config.placeboStart !== '' ? splitIndex(times, parseTimePoint(config.placeboStart, timeCol, 'placeboStart'), timeCol.kind, 'placeboStart') : undefined;
    const cut = config.placebo ? placeboSplit(start, n - start, MIN_PRE_POINTS, override, warnings, treated) : undefined;
    const placebo: RegressionSpec | undefined = cut === undefined ? undefined : { ...base, prefix: PLACEBO_PREFIX, fitRows: cut };
    const text = outcomeText(config, treatedName);
    const kind = outcomeKindOption(config.outcomeKind, treated, start);
    return {
      model: timeSeriesModel(main, placebo, SAMPLING),
      outputs(posterior) {
        const common = timeSeriesOutputs(
          {
            method: 'synthetic_control',
            outcome: treatedName,
            text,
            kind,
            checkNoise: false,
            time: times,
            timeKind: timeCol.kind,
            observed: treated,
            main,
            placebo: placebo && { spec: placebo, start: placebo.fitRows },
            offset: 0,
            scale,
            start,
            end: n,
            preEnd: start,
            subject: 'the intervention',
            periodWord: `post-period points (from ${formatTime(times[start], timeCol.kind)})`,
            warnings,
          },
          posterior,
        );
        const total = posterior.chains * posterior.draws;
        const perDraw = coefficientDraws(main, posterior, Array.from({ length: total }, (_, k) => k));
        const draws = donorNames.map((_, j) => Float64Array.from(perDraw, (w) => w[j]));
        const weights = donorNames.map((d, j) => [d, estimate(draws[j])] as const).sort((a, b) => b[1].mean - a[1].mean);
        let sq = 0;
        for (let i = 0; i < start; i++) sq += (treated[i] - common.series.counterfactual[i].mean) ** 2;
        const out: SyntheticControlOutputs = {
          ...common,
          method: 'synthetic_control',
          weights: Object.fromEntries(weights),
          preRmse: Math.sqrt(sq / start),
        };
        return out;
      },
    };
  },
});
