/**
 * Geo experiments by time-based regression (Kerman, Wang & Vaver 2017, "Estimating ad
 * effectiveness using geo experiments in a time-based regression framework"; Google's
 * `matched_markets` TBR): the outcome of the treatment geos and of the control geos is summed per
 * time point; in the pre-period (before `config.testStart`) the treatment total is regressed on
 * the control total,
 *
 *   y_t = intercept + slope * (x_t - mean pre x) + eps_t,   eps_t ~ N(0, sigma),
 *
 * and over the test period (`testStart` .. `testEnd`, inclusive; later rows are the cool-down and
 * enter no sum) the observed treatment total minus the predicted one is the incremental outcome.
 * With spend, the incremental cost is the treatment group's test-period spend minus its pre-period
 * mean times the test length (Kerman et al.'s cost regression reduces to this when pre-period spend
 * is flat, as in a campaign that starts at the test), and iROAS = incremental outcome / cost.
 *
 * Both totals are divided by the treatment total's pre-period mean, so `slope` is scale-free and
 * `intercept` (the expected scaled treatment total at the control's pre-period mean) is near 1.
 *
 * Pre-test power (`tbr-power.ts`): the minimum detectable effect of a test of L periods is the
 * smallest cumulative effect that the studio's reading (probability positive >= 1 - alpha, alpha =
 * 0.1: Kerman et al.'s one-sided 90% lower bound above zero) detects with probability 0.8, where the
 * counterfactual's error has the intercept and slope uncertainty of the pre-period fit and AR(1)
 * noise fitted on its residuals; and as a lift, over L times the mean pre-period treatment total.
 */
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec } from '../../api/types';
import { labelColumn, numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { estimate, quantile } from '../../engine/diagnostics';
import { mergePriors, type Prior } from '../../engine/priors';
import { thinIndices } from '../../engine/thin';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import type { ModelDefinition } from '../types';
import { readOptions } from '../options';
import type { RegressionSpec } from './regression';
import { tbrPowerPoints } from './tbr-power';
import { TBR_OPTIONS } from './options';
import { outcomeKindOption, outcomeText } from './outcome';
import { formatTime, parseTimePoint, requirePrePeriod, splitIndex, timeColumn, type TimeColumn } from './time-axis';
import { counterfactualDraws, OUTPUT_DRAWS, PLACEBO_PREFIX, placeboSplit, timeSeriesModel, timeSeriesOutputs, type CausalOutputs } from './time-series';

/** Fewest pre-period time points. */
export const MIN_PRE_POINTS = 7;
/** One-sided level of the power analysis (Kerman et al. report a one-sided 90% interval). */
export const POWER_ALPHA = 0.1;
/** Target power of the power analysis. */
export const POWER_TARGET = 0.8;
/** Test lengths (periods) the power table always lists, besides the actual test length. */
const POWER_LENGTHS = [7, 14, 21, 28, 42, 56];

/** Default priors on the scaled totals. */
export const TBR_PRIORS: Readonly<Record<string, Prior>> = {
  intercept: { dist: 'Normal', mu: 0, sigma: 2 },
  slope: { dist: 'Normal', mu: 0, sigma: 2 },
  sigma: { dist: 'HalfNormal', sigma: 1 },
};

/** Minimum detectable effect for one test length. */
export interface PowerRow {
  /** Test length in time points (days for daily data). */
  periods: number;
  /** Smallest cumulative incremental outcome detected with the target power (outcome units). */
  minimumDetectableEffect: number;
  /** The same as a fraction of the expected treatment total over the test (0.05 = 5%). */
  minimumDetectableLift: number;
  /** Probability that a test with no effect is read as positive (alpha if the noise were independent). */
  falsePositiveRate: number;
}

/** Pre-test power estimate from the pre-period fit. */
export interface TbrPower {
  alpha: number;
  power: number;
  /** Mean pre-period treatment total per time point (outcome units). */
  baseline: number;
  /** Lag-1 autocorrelation of the pre-period regression's residuals (bias-corrected) the power assumes. */
  noiseLag1: number;
  /** Test lengths, ascending; includes the actual test length. */
  rows: PowerRow[];
}

/** TBR outputs: the common causal outputs (effects over the test period) plus iROAS and power. */
export interface TbrOutputs extends CausalOutputs {
  method: 'tbr';
  /** Last time point of the test period. */
  testEnd: number;
  /** Control group total per time point, aligned with `series.time`. */
  control: number[];
  /** Number of geos in each group. */
  geos: { treatment: number; control: number };
  /** Posterior of the pre-period slope (scale-free; ~1 for well-matched groups). */
  slope: Estimate;
  /** Incremental cost over the test (spend units); absent without a spend column. */
  incrementalCost?: number;
  /** The treatment group's pre-period mean spend per time point (spend units); absent without a spend column. */
  spendBefore?: number;
  /** Incremental return on ad spend = incremental outcome / incremental cost; absent without spend or cost <= 0. */
  iroas?: Estimate;
  /** One-sided 90% lower bound of iROAS (the 10% posterior quantile). */
  iroasLower90?: number;
  power: TbrPower;
}

/** Per-time-point group totals. */
export interface GeoTotals {
  times: Float64Array;
  treatment: Float64Array;
  control: Float64Array;
  /** Spend totals of the treatment group (undefined without a spend column). */
  spend?: Float64Array;
  geos: { treatment: number; control: number };
  warnings: string[];
}

/** Sums outcome (and spend) per time point and group, checking each geo keeps one group. */
export function geoTotals(table: Table, spec: FitSpec): GeoTotals {
  const geo = labelColumn(table, roleColumn(spec.columns, 'geo'), 'geo');
  const time = timeColumn(table, roleColumn(spec.columns, 'date'), 'date');
  const outcomeName = roleColumn(spec.columns, 'outcome');
  const y = numberColumn(table, outcomeName, 'outcome').values;
  const group = labelColumn(table, roleColumn(spec.columns, 'group'), 'group');
  const spendName = roleColumn(spec.columns, 'spend', true);
  const spend = spendName ? numberColumn(table, spendName, 'spend').values : undefined;
  const geoGroup = new Map<string, { treated: boolean; row: number }>();
  const sums = new Map<number, { t: number; c: number; s: number; nt: number; nc: number }>();
  for (let i = 0; i < table.rows; i++) {
    const row = `Row ${i + 1}`;
    if (geo[i] === '') throw new InputError(`${row}: the geo is missing.`);
    if (!Number.isFinite(time.values[i])) throw new InputError(`${row}: the date is missing.`);
    if (!Number.isFinite(y[i])) throw new InputError(`${row}: the outcome "${outcomeName}" is missing.`);
    if (spend && !Number.isFinite(spend[i])) throw new InputError(`${row}: the spend "${spendName}" is missing.`);
    const label = group[i].trim().toLowerCase();
    const treated = label === 'treatment' || label === 'treated' || label === '1';
    if (!treated && label !== 'control' && label !== '0') {
      throw new InputError(`${row}: group "${group[i]}" must be "treatment" or "control".`);
    }
    const known = geoGroup.get(geo[i]);
    if (!known) geoGroup.set(geo[i], { treated, row: i + 1 });
    else if (known.treated !== treated) {
      throw new InputError(`Geo "${geo[i]}" is in the ${known.treated ? 'treatment' : 'control'} group on row ${known.row} but in the ${treated ? 'treatment' : 'control'} group on row ${i + 1}: a geo must stay in one group.`);
    }
    let s = sums.get(time.values[i]);
    if (!s) sums.set(time.values[i], (s = { t: 0, c: 0, s: 0, nt: 0, nc: 0 }));
    if (treated) {
      s.t += y[i];
      s.nt++;
      if (spend) s.s += spend[i];
    } else {
      s.c += y[i];
      s.nc++;
    }
  }
  const times = Float64Array.from([...sums.keys()].sort((a, b) => a - b));
  const geos = { treatment: 0, control: 0 };
  for (const g of geoGroup.values()) geos[g.treated ? 'treatment' : 'control']++;
  if (geos.treatment === 0 || geos.control === 0) throw new InputError(`TBR needs geos in both groups; the data has ${geos.treatment} treatment and ${geos.control} control geos.`);
  const warnings: string[] = [];
  let incomplete = 0;
  times.forEach((t) => {
    const s = sums.get(t)!;
    if (s.nt === 0 || s.nc === 0) throw new InputError(`At ${formatTime(t, time.kind)} there is no ${s.nt === 0 ? 'treatment' : 'control'} geo: every date needs both groups.`);
    if (s.nt !== geos.treatment || s.nc !== geos.control) incomplete++;
  });
  if (incomplete) warnings.push(`${incomplete} date${incomplete > 1 ? 's lack' : ' lacks'} a row for some geos; the group totals of those dates are sums over the geos present.`);
  return {
    times,
    treatment: Float64Array.from(times, (t) => sums.get(t)!.t),
    control: Float64Array.from(times, (t) => sums.get(t)!.c),
    ...(spend ? { spend: Float64Array.from(times, (t) => sums.get(t)!.s) } : {}),
    geos,
    warnings,
  };
}

/**
 * Minimum detectable effect per test length (see the file comment and `tbr-power.ts`), from the
 * posterior of a TBR fit and the pre-period series on its scaled axis: the treatment total `y` and
 * the control total `control`, centred on its pre-period mean.
 */
export function tbrPower(posterior: Posterior, pre: { y: Float64Array; control: Float64Array }, scale: number, baseline: number, testPeriods: number): TbrPower {
  const idx = thinIndices(posterior.chains * posterior.draws, OUTPUT_DRAWS);
  const draws = (name: string) => {
    const column = posterior.column(name);
    return Float64Array.from(idx, (d) => column[d]);
  };
  const lengths = [...new Set([...POWER_LENGTHS, testPeriods])].sort((x, y) => x - y);
  const { phi, points } = tbrPowerPoints({ intercept: draws('intercept'), slope: draws('slope'), sigma: draws('sigma'), ...pre }, lengths, POWER_ALPHA, POWER_TARGET);
  return {
    alpha: POWER_ALPHA,
    power: POWER_TARGET,
    baseline,
    noiseLag1: phi,
    rows: points.map((p, i) => ({
      periods: lengths[i],
      minimumDetectableEffect: scale * p.minimumDetectableEffect,
      minimumDetectableLift: (scale * p.minimumDetectableEffect) / (lengths[i] * baseline),
      falsePositiveRate: p.falsePositiveRate,
    })),
  };
}

/** The 'tbr' model: roles geo, date, outcome, group, spend?; config.testStart (required), testEnd. */
export const tbrModel: ModelDefinition<'tbr', TbrOutputs> = defineModel({
  name: 'tbr',
  label: 'time-based regression',
  roles: ['geo', 'date', 'outcome', 'group', 'spend'],
  options: TBR_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(TBR_OPTIONS, spec.config);
    const time = timeColumn(table, roleColumn(spec.columns, 'date'), 'date');
    const totals = geoTotals(table, spec);
    const { times, treatment, control } = totals;
    const n = times.length;
    const { start, end } = testWindow(config, time, times);
    const scale = preMean(treatment, start);
    const xMean = preMean(control, start);
    if (!(scale > 0)) throw new InputError('The treatment group total is not positive over the pre-period: TBR needs positive sales.');
    const text = outcomeText(config, roleColumn(spec.columns, 'outcome'), (q) => `the treatment geos' ${q}`);
    const kind = outcomeKindOption(config.outcomeKind, treatment, start);
    const priors = mergePriors({ ...TBR_PRIORS }, config.priors);
    const base = {
      terms: [
        { name: 'intercept', prior: priors.intercept, columns: [new Float64Array(n).fill(1)] },
        { name: 'slope', prior: priors.slope, columns: [Float64Array.from(control, (v) => (v - xMean) / scale)] },
      ],
      y: Float64Array.from(treatment, (v) => v / scale),
      sigmaPrior: priors.sigma,
    };
    const main: RegressionSpec = { ...base, prefix: '', fitRows: start };
    const warnings = [...totals.warnings];
    const override =
      config.placeboStart !== undefined && config.placeboStart !== '' ? splitIndex(times, parseTimePoint(config.placeboStart, time, 'placeboStart'), time.kind, 'placeboStart') : undefined;
    const cut = config.placebo ? placeboSplit(start, end - start, MIN_PRE_POINTS, override, warnings, treatment) : undefined;
    const placebo: RegressionSpec | undefined = cut === undefined ? undefined : { ...base, prefix: PLACEBO_PREFIX, fitRows: cut };

    const incrementalCost = totals.spend ? extraSpend(totals.spend, start, end) : undefined;
    if (incrementalCost !== undefined && !(incrementalCost > 0)) warnings.push('No iROAS: the treatment group spent no more during the test than before it.');
    return {
      model: timeSeriesModel(main, placebo),
      outputs(posterior) {
        const common = timeSeriesOutputs(
          {
            method: 'tbr',
            outcome: roleColumn(spec.columns, 'outcome'),
            text,
            kind,
            checkNoise: true,
            time: times,
            timeKind: time.kind,
            observed: treatment,
            main,
            placebo: placebo && { spec: placebo, start: placebo.fitRows },
            offset: 0,
            scale,
            start,
            end,
            preEnd: start,
            subject: 'the campaign',
            periodWord: `test-period points (${formatTime(times[start], time.kind)} to ${formatTime(times[end - 1], time.kind)})`,
            warnings,
          },
          posterior,
        );
        const out: TbrOutputs = {
          ...common,
          method: 'tbr',
          testEnd: times[end - 1],
          control: Array.from(control),
          geos: totals.geos,
          slope: estimate(posterior.column('slope')),
          power: tbrPower(posterior, { y: base.y.subarray(0, start), control: base.terms[1].columns[0].subarray(0, start) }, scale, scale, end - start),
        };
        if (incrementalCost !== undefined) {
          out.incrementalCost = incrementalCost;
          out.spendBefore = preMean(totals.spend!, start);
          if (incrementalCost > 0) Object.assign(out, iroas(common.cumulativeEffect, incrementalCost, counterfactualDraws(main, posterior, 0, scale), treatment, start, end));
        }
        return out;
      },
    };
  },
});

/**
 * The test window's rows [start, end): from config.testStart to config.testEnd (inclusive; default
 * the last point), with at least MIN_PRE_POINTS before it.
 */
function testWindow(config: Record<string, unknown>, time: TimeColumn, times: Float64Array): { start: number; end: number } {
  const n = times.length;
  const testStart = parseTimePoint(config.testStart, time, 'testStart');
  const start = splitIndex(times, testStart, time.kind, 'testStart');
  let end = n;
  if (config.testEnd !== undefined && config.testEnd !== null && config.testEnd !== '') {
    const testEnd = parseTimePoint(config.testEnd, time, 'testEnd');
    if (testEnd < testStart) throw new InputError(`config.testEnd ${formatTime(testEnd, time.kind)} is before config.testStart ${formatTime(testStart, time.kind)}.`);
    if (testEnd > times[n - 1]) {
      throw new InputError(`config.testEnd ${formatTime(testEnd, time.kind)} is outside the data (which ends ${formatTime(times[n - 1], time.kind)}).`);
    }
    end = start;
    while (end < n && times[end] <= testEnd) end++;
  }
  requirePrePeriod(start, MIN_PRE_POINTS, testStart, time.kind, 'the treatment-on-control regression is fitted on it');
  return { start, end };
}

/** Mean of the pre-period rows [0, start). */
function preMean(x: ArrayLike<number>, start: number): number {
  let s = 0;
  for (let i = 0; i < start; i++) s += x[i];
  return s / start;
}

/** Spend during the test [start, end) above the pre-period mean per point. */
function extraSpend(spend: ArrayLike<number>, start: number, end: number): number {
  const pre = preMean(spend, start);
  let extra = 0;
  for (let i = start; i < end; i++) extra += spend[i] - pre;
  return extra;
}

/**
 * Incremental return on ad spend: the cumulative effect per unit of extra spend `k`, and its 10%
 * quantile from the same counterfactual draws `cf` as the summary (same seed).
 */
function iroas(c: Estimate, k: number, cf: readonly Float64Array[], treatment: ArrayLike<number>, start: number, end: number): Pick<TbrOutputs, 'iroas' | 'iroasLower90'> {
  const cum = cf.map((draw) => {
    let s = 0;
    for (let i = start; i < end; i++) s += treatment[i] - draw[i];
    return s;
  });
  return { iroas: { mean: c.mean / k, sd: c.sd / k, hdiLow: c.hdiLow / k, hdiHigh: c.hdiHigh / k }, iroasLower90: quantile(cum, POWER_ALPHA) / k };
}
