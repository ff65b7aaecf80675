/**
 * Difference-in-differences for two groups observed over time, before and after
 * `config.treatmentStart` (as in Richardson & Troost 2009 and CausalPy's `DifferenceInDifferences`).
 *
 * Two input forms (DESIGN.md): aggregate, with the treated and the control group's outcome in two
 * columns (`treated`, `control`), one row per time point; or panel, with `outcome` and a `group`
 * column (1 / treated / treatment vs 0 / control), possibly several units per group and time, which
 * are averaged per group and time point.
 *
 * Model (two-way fixed effects with two groups, written on the gap between the groups so the time
 * effects cancel): d_t = treated_t - control_t = gap + delta * post_t + eps_t. `delta` is the DiD
 * effect; the counterfactual of the treated group is control_t + gap (parallel trends). The gap
 * is divided by one scale (the mean absolute outcome over the pre-period), so `gap`, `delta`,
 * `sigma` are on that axis; `outputs.delta` is in outcome units.
 *
 * Daily or weekly data carry autocorrelated noise that this model treats as independent, so its
 * intervals are too narrow for such series (aggregate to coarser periods for honest ones).
 */
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec } from '../../api/types';
import { labelColumn, numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { estimate } from '../../engine/diagnostics';
import { mergePriors, type Prior } from '../../engine/priors';
import { defineModel } from '../define';
import type { ModelDefinition } from '../types';
import { readOptions } from '../options';
import type { RegressionSpec } from './regression';
import { DID_OPTIONS } from './options';
import { outcomeKindOption, outcomeText, type OutcomeText } from './outcome';
import { formatTime, parseTimePoint, requirePrePeriod, sortUniqueTimes, splitIndex, timeColumn, type TimeColumn } from './time-axis';
import { PLACEBO_PREFIX, placeboSplit, timeSeriesModel, timeSeriesOutputs, type CausalOutputs } from './time-series';

/** Fewest pre-period time points (the gap and the noise are estimated on them). */
export const MIN_PRE_POINTS = 3;

/** Default priors on the scaled gap (outcome / mean absolute pre-period outcome). */
export const DID_PRIORS: Readonly<Record<string, Prior>> = {
  gap: { dist: 'Normal', mu: 0, sigma: 2 },
  delta: { dist: 'Normal', mu: 0, sigma: 2 },
  sigma: { dist: 'HalfNormal', sigma: 1 },
};

const TREATED_LABELS = ['1', 'treated', 'treatment', 'true', 'yes'];
const CONTROL_LABELS = ['0', 'control', 'false', 'no'];

/** DiD outputs: the common causal outputs plus the DiD coefficient and the group series. */
export interface DidOutputs extends CausalOutputs {
  method: 'did';
  /** The DiD effect per period (outcome units): post-minus-pre change of the treated group beyond the control's. */
  delta: Estimate;
  form: 'aggregate' | 'panel';
  /** Control group outcome per time point (group mean in panel form), aligned with `series.time`. */
  control: number[];
  /** Label of the control series. */
  controlName: string;
}

/** Two aligned group series on one sorted time axis. */
export interface GroupSeries {
  times: Float64Array;
  treated: Float64Array;
  control: Float64Array;
}

/** Aggregate form: one row per time point, the two groups in two columns. */
export function aggregateSeries(table: Table, time: TimeColumn, treatedName: string, controlName: string): GroupSeries {
  if (treatedName === controlName) throw new InputError(`Column "${treatedName}" cannot be both the treated and the control group.`);
  const t = numberColumn(table, treatedName, 'treated').values;
  const c = numberColumn(table, controlName, 'control').values;
  const { order, times } = sortUniqueTimes(time);
  const treated = Float64Array.from(order, (r) => t[r]);
  const control = Float64Array.from(order, (r) => c[r]);
  order.forEach((r, i) => {
    if (!Number.isFinite(treated[i])) throw new InputError(`Row ${r + 1}: the treated group's outcome "${treatedName}" is missing.`);
    if (!Number.isFinite(control[i])) throw new InputError(`Row ${r + 1}: the control group's outcome "${controlName}" is missing.`);
  });
  return { times, treated, control };
}

/** Panel form: group means per time point; every time point needs both groups. */
export function panelSeries(table: Table, time: TimeColumn, outcomeName: string, groupName: string): GroupSeries {
  const y = numberColumn(table, outcomeName, 'outcome').values;
  const g = labelColumn(table, groupName, 'group');
  const sums = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < table.rows; i++) {
    const t = time.values[i];
    if (!Number.isFinite(t)) throw new InputError(`Row ${i + 1}: the time ("${time.name}") is missing.`);
    if (!Number.isFinite(y[i])) throw new InputError(`Row ${i + 1}: the outcome "${outcomeName}" is missing.`);
    const label = g[i].trim().toLowerCase();
    const isTreated = TREATED_LABELS.includes(label);
    if (!isTreated && !CONTROL_LABELS.includes(label)) {
      throw new InputError(`Row ${i + 1}: group "${g[i]}" is neither treated (1, treated, treatment) nor control (0, control).`);
    }
    let s = sums.get(t);
    if (!s) sums.set(t, (s = [0, 0, 0, 0]));
    if (isTreated) {
      s[0] += y[i];
      s[1]++;
    } else {
      s[2] += y[i];
      s[3]++;
    }
  }
  const times = Float64Array.from([...sums.keys()].sort((a, b) => a - b));
  const treated = new Float64Array(times.length);
  const control = new Float64Array(times.length);
  times.forEach((t, i) => {
    const s = sums.get(t)!;
    if (s[1] === 0 || s[3] === 0) {
      throw new InputError(`At ${formatTime(t, time.kind)} there is no ${s[1] === 0 ? 'treated' : 'control'} row: every time point needs both groups.`);
    }
    treated[i] = s[0] / s[1];
    control[i] = s[2] / s[3];
  });
  return { times, treated, control };
}

/** The 'did' model: roles date + treated + control, or date + outcome + group; config.treatmentStart (required). */
export const didModel: ModelDefinition<'did', DidOutputs> = defineModel({
  name: 'did',
  label: 'difference-in-differences',
  roles: ['date', 'treated', 'control', 'outcome', 'group'],
  options: DID_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(DID_OPTIONS, spec.config);
    const time = timeColumn(table, roleColumn(spec.columns, 'date'), 'date');
    const treatedCol = roleColumn(spec.columns, 'treated', true);
    const form: DidOutputs['form'] = treatedCol ? 'aggregate' : 'panel';
    let series: GroupSeries;
    let outcome: string;
    let controlName: string;
    let text: OutcomeText;
    if (treatedCol) {
      if (roleColumn(spec.columns, 'group', true)) throw new InputError('Give either "treated" + "control" columns (aggregate form) or "outcome" + "group" (panel form), not both.');
      controlName = roleColumn(spec.columns, 'control');
      series = aggregateSeries(table, time, treatedCol, controlName);
      outcome = treatedCol;
      text = outcomeText(config, treatedCol);
    } else {
      outcome = roleColumn(spec.columns, 'outcome');
      const groupName = roleColumn(spec.columns, 'group');
      series = panelSeries(table, time, outcome, groupName);
      controlName = `${outcome} (control group mean)`;
      text = outcomeText(config, outcome, (q) => `the treated group's ${q}`);
      outcome = `${outcome} (treated group mean)`;
    }
    const { times, treated, control } = series;
    const n = times.length;
    const startTime = parseTimePoint(config.treatmentStart, time, 'treatmentStart');
    const start = splitIndex(times, startTime, time.kind, 'treatmentStart');
    requirePrePeriod(start, MIN_PRE_POINTS, startTime, time.kind, 'the pre-treatment gap between the groups is estimated on it');

    let scale = 0;
    for (let i = 0; i < start; i++) scale += Math.abs(treated[i]) + Math.abs(control[i]);
    scale /= 2 * start;
    if (!(scale > 0)) throw new InputError('Both groups are zero throughout the pre-period: there is nothing to compare.');
    const kind = outcomeKindOption(config.outcomeKind, treated, start);
    const priors = mergePriors({ ...DID_PRIORS }, config.priors);
    const gapScaled = Float64Array.from(treated, (v, i) => (v - control[i]) / scale);
    const ones = new Float64Array(n).fill(1);
    const specFor = (prefix: string, effectFrom: number, fitRows: number): RegressionSpec => ({
      prefix,
      terms: [
        { name: 'gap', prior: priors.gap, columns: [ones] },
        { name: 'delta', prior: priors.delta, columns: [Float64Array.from({ length: n }, (_, i) => (i >= effectFrom ? 1 : 0))] },
      ],
      y: gapScaled,
      fitRows,
      sigmaPrior: priors.sigma,
      effectTerms: ['delta'],
    });
    const main = specFor('', start, n);
    const warnings: string[] = [];
    const override =
      config.placeboStart !== undefined && config.placeboStart !== '' ? splitIndex(times, parseTimePoint(config.placeboStart, time, 'placeboStart'), time.kind, 'placeboStart') : undefined;
    const cut = config.placebo ? placeboSplit(start, n - start, MIN_PRE_POINTS, override, warnings) : undefined;
    const placebo = cut === undefined ? undefined : { spec: specFor(PLACEBO_PREFIX, cut, start), start: cut };
    return {
      model: timeSeriesModel(main, placebo?.spec),
      outputs(posterior) {
        const common = timeSeriesOutputs(
          {
            method: 'did',
            outcome,
            text,
            kind,
            checkNoise: true,
            time: times,
            timeKind: time.kind,
            observed: treated,
            main,
            placebo,
            offset: control,
            scale,
            start,
            end: n,
            preEnd: start,
            subject: 'the intervention',
            periodWord: `post-period points (from ${formatTime(times[start], time.kind)})`,
            warnings,
          },
          posterior,
        );
        const out: DidOutputs = {
          ...common,
          method: 'did',
          delta: estimate(posterior.column('delta').map((v) => v * scale)),
          form,
          control: Array.from(control),
          controlName,
        };
        return out;
      },
    };
  },
});
