/**
 * Sharp regression discontinuity (as CausalPy's `RegressionDiscontinuity`; Carpenter & Dobkin
 * 2009 for the drinking-age example): units with running variable x >= `config.threshold` are
 * treated; within `config.bandwidth` of the threshold (default: all data) the outcome is a
 * polynomial of order `config.order` (default 1: local linear) in x - threshold, with its own
 * coefficients on each side, and the jump at the threshold is the effect:
 *
 *   y = intercept + discontinuity * T + sum_k beta[x^k] u^k + sum_k beta[treated:x^k] T u^k + eps,
 *
 * T = 1{x >= threshold}, u = (x - threshold) / r with r the largest |x - threshold| in the window,
 * outcome z-scored over the window. Parameters are on those scales (the parameter `discontinuity`
 * is the jump in outcome sds); outputs are in the outcome's units (`outputs.discontinuity` = the
 * jump = parameter x `outcomeScale`, and the summary says it with `config.unit`; the standardised
 * jump stays in `discontinuityStandardised`; `averageEffect` repeats the jump, there is no
 * cumulative effect and no placebo-in-time for RD).
 */
import { InputError } from '../../api/errors';
import type { Estimate, FitSpec } from '../../api/types';
import { numberColumn, roleColumn } from '../../data/columns';
import type { Table } from '../../data/table';
import { estimate } from '../../engine/diagnostics';
import { mergePriors, type Prior } from '../../engine/priors';
import { thinIndices } from '../../engine/thin';
import { defineModel } from '../define';
import type { ModelDefinition } from '../types';
import { RD_OPTIONS } from './options';
import { outcomeText } from './outcome';
import { rdSummary } from './summary';
import { readOptions } from '../options';
import { coefficientDraws, type LinearTerm, type RegressionSpec } from './regression';
import { OUTPUT_DRAWS, timeSeriesModel } from './time-series';

/** Default priors on the z-scored outcome and the scaled running variable u in [-1, 1]. */
export const RD_PRIORS: Readonly<Record<string, Prior>> = {
  intercept: { dist: 'Normal', mu: 0, sigma: 2 },
  /** A jump of up to a few outcome sds. */
  discontinuity: { dist: 'Normal', mu: 0, sigma: 5 },
  beta: { dist: 'Normal', mu: 0, sigma: 5 },
  sigma: { dist: 'HalfNormal', sigma: 1 },
};

/** Points of each fitted curve in the outputs. */
const CURVE_POINTS = 40;

/** A fitted curve on one side of the threshold. */
export interface RdCurve {
  /** Running-variable values, ascending. */
  x: number[];
  /** Posterior of the fitted mean outcome at each x (no observation noise). */
  mean: Estimate[];
}

/** Regression discontinuity outputs. */
export interface RdOutputs {
  method: 'rd';
  running: string;
  outcome: string;
  /** How the summary names the outcome: `config.outcomeLabel`, else the column name. */
  outcomeLabel: string;
  /** The outcome's unit (`config.unit`), as the summary writes it after the jump. */
  unit?: string;
  threshold: number;
  /** Half-width of the window around the threshold (running-variable units); null = all data. */
  bandwidth: number | null;
  order: number;
  /** The jump of the outcome at the threshold (outcome units). */
  discontinuity: Estimate;
  /** The same jump in outcome sds: the model's parameter `discontinuity` (standardised scale). */
  discontinuityStandardised: Estimate;
  /** The outcome's sd within the window: jump (units) = standardised jump x this. */
  outcomeScale: number;
  /** Same as `discontinuity` (the effect at the threshold), for a uniform reading of causal runs. */
  averageEffect: Estimate;
  /** Jump / outcome level just below the threshold (a fraction); absent when that level is not of one sign. */
  relativeEffect?: Estimate;
  /** Posterior probability that the jump is > 0. */
  probPositive: number;
  /** Every row with both values: running variable, outcome, and whether it is inside the window. */
  points: { x: number[]; y: number[]; inWindow: boolean[] };
  /** Fitted curves below and above the threshold, across the window. */
  fit: { below: RdCurve; above: RdCurve };
  /** Points used below / above the threshold. */
  counts: { below: number; above: number };
  summary: string;
  warnings?: string[];
}

/** The 'rd' model: roles running, outcome; config.threshold (required), bandwidth, order. */
export const rdModel: ModelDefinition<'rd', RdOutputs> = defineModel({
  name: 'rd',
  label: 'regression discontinuity',
  roles: ['running', 'outcome'],
  options: RD_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const config = readOptions(RD_OPTIONS, spec.config);
    const runningName = roleColumn(spec.columns, 'running');
    const outcomeName = roleColumn(spec.columns, 'outcome');
    if (runningName === outcomeName) throw new InputError('The running variable and the outcome must be different columns.');
    const xs = numberColumn(table, runningName, 'running').values;
    const ys = numberColumn(table, outcomeName, 'outcome').values;
    const { threshold, order } = config;
    const bandwidth = config.bandwidth ?? Infinity;
    const px: number[] = [];
    const py: number[] = [];
    for (let i = 0; i < table.rows; i++) {
      if (!Number.isFinite(xs[i])) throw new InputError(`Row ${i + 1}: the running variable "${runningName}" is missing.`);
      if (!Number.isFinite(ys[i])) throw new InputError(`Row ${i + 1}: the outcome "${outcomeName}" is missing.`);
      px.push(xs[i]);
      py.push(ys[i]);
    }
    const lo = Math.min(...px);
    const hi = Math.max(...px);
    if (!(threshold > lo && threshold <= hi)) {
      throw new InputError(`config.threshold ${threshold} is outside the running variable's range (${lo} to ${hi}): there must be data on both sides.`);
    }
    const inWindow = px.map((v) => Math.abs(v - threshold) <= bandwidth);
    const wx = px.filter((_, i) => inWindow[i]);
    const wy = py.filter((_, i) => inWindow[i]);
    const below = wx.filter((v) => v < threshold).length;
    const above = wx.length - below;
    const need = order + 2;
    if (below < need || above < need) {
      throw new InputError(
        `Within the bandwidth there are ${below} points below and ${above} at or above the threshold; a polynomial of order ${order} needs at least ${need} on each side. Widen config.bandwidth or lower config.order.`,
      );
    }
    const r = Math.max(...wx.map((v) => Math.abs(v - threshold)));
    const n = wx.length;
    const yMean = wy.reduce((a, b) => a + b, 0) / n;
    const ySd = Math.sqrt(wy.reduce((a, b) => a + (b - yMean) ** 2, 0) / (n - 1));
    if (!(ySd > 0)) throw new InputError(`The outcome "${outcomeName}" is constant within the bandwidth.`);
    const text = outcomeText(config, outcomeName);
    const priors = mergePriors({ ...RD_PRIORS }, config.priors);
    const u = Float64Array.from(wx, (v) => (v - threshold) / r);
    const t = Float64Array.from(wx, (v) => (v >= threshold ? 1 : 0));
    const labels: string[] = [];
    const columns: Float64Array[] = [];
    for (const treatedSide of [false, true]) {
      for (let k = 1; k <= order; k++) {
        const power = k === 1 ? 'x' : `x^${k}`;
        labels.push(treatedSide ? `treated:${power}` : power);
        columns.push(u.map((v, i) => v ** k * (treatedSide ? t[i] : 1)));
      }
    }
    const terms: LinearTerm[] = [
      { name: 'intercept', prior: priors.intercept, columns: [new Float64Array(n).fill(1)] },
      { name: 'discontinuity', prior: priors.discontinuity, columns: [t] },
      { name: 'beta', prior: priors.beta, columns, labels },
    ];
    const main: RegressionSpec = { prefix: '', terms, y: Float64Array.from(wy, (v) => (v - yMean) / ySd), fitRows: n, sigmaPrior: priors.sigma };
    return {
      model: timeSeriesModel(main, undefined),
      outputs(posterior) {
        const jumpZ = posterior.column('discontinuity');
        const jumpAll = jumpZ.map((v) => v * ySd);
        const leftAll = posterior.column('intercept').map((v) => yMean + v * ySd);
        const warnings: string[] = [];
        const discontinuity = estimate(jumpAll);
        let positive = 0;
        for (const v of jumpAll) if (v > 0) positive++;
        const oneSign = leftAll.every((v) => v > 0) || leftAll.every((v) => v < 0);
        if (!oneSign) warnings.push('No relative effect: the outcome level just below the threshold is not clearly of one sign.');
        const idx = thinIndices(posterior.chains * posterior.draws, OUTPUT_DRAWS);
        const coef = coefficientDraws(main, posterior, idx);
        const wLo = Math.min(...wx);
        const wHi = Math.max(...wx);
        const curve = (from: number, to: number, treatedSide: boolean): RdCurve => {
          const x = Array.from({ length: CURVE_POINTS }, (_, k) => from + ((to - from) * k) / (CURVE_POINTS - 1));
          const draws = new Float64Array(coef.length);
          const mean = x.map((xv) => {
            const uv = (xv - threshold) / r;
            coef.forEach((b, d) => {
              // Coefficient order: intercept, discontinuity, beta[x^1..x^order], beta[treated:x^1..].
              let m = b[0] + (treatedSide ? b[1] : 0);
              for (let k = 1; k <= order; k++) m += uv ** k * (b[1 + k] + (treatedSide ? b[1 + order + k] : 0));
              draws[d] = yMean + ySd * m;
            });
            return estimate(draws);
          });
          return { x, mean };
        };
        const relative = oneSign ? estimate(jumpAll.map((v, d) => v / Math.abs(leftAll[d]))) : undefined;
        const out: RdOutputs = {
          method: 'rd',
          running: runningName,
          outcome: outcomeName,
          outcomeLabel: text.name,
          ...(text.unit ? { unit: text.unit } : {}),
          threshold,
          bandwidth: Number.isFinite(bandwidth) ? bandwidth : null,
          order,
          discontinuity,
          discontinuityStandardised: estimate(jumpZ),
          outcomeScale: ySd,
          averageEffect: discontinuity,
          ...(relative ? { relativeEffect: relative } : {}),
          probPositive: positive / jumpAll.length,
          points: { x: px, y: py, inWindow },
          fit: { below: curve(wLo, threshold, false), above: curve(threshold, wHi, true) },
          counts: { below, above },
          summary: rdSummary({ running: runningName, threshold, outcome: text, jump: discontinuity, ...(relative ? { relative } : {}), probPositive: positive / jumpAll.length }),
          ...(warnings.length ? { warnings } : {}),
        };
        return out;
      },
    };
  },
});
