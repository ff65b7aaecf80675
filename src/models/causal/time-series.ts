/**
 * What the time-series causal models (ITS, synthetic control, DiD, TBR) share: the joint model of
 * the fit and its placebo refit, the choice of the placebo window, and the outputs (effects,
 * series, placebo, summary sentence).
 *
 * Placebo-in-time: the same model is refitted on the pre-period cut at a placebo date, as if the
 * intervention had happened then, and its "effect" over the rest of the pre-period (where there was
 * no intervention) is reported; a sound model finds none (the 94% HDI covers 0). The refit is a
 * second block of the same engine run (parameters prefixed `placebo_`, independent of the fit's),
 * so it costs one fit, not two, and its posterior is exact, not an in-sample approximation.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import { compileModel } from '../../engine/model';
import { createRng } from '../../engine/rng';
import { thinIndices } from '../../engine/thin';
import type { CompiledModel, Posterior, SamplingHints } from '../../engine/types';
import { effectSeries, effectSummary, predictiveDraws, type CausalSeries, type EffectSummary } from './effects';
import type { OutcomeKindDecision, OutcomeText } from './outcome';
import { regressionBlock, regressionDraws, type Block, type RegressionSpec } from './regression';
import { autocorrelated, causalSummary, noiseSentence, residualLag1, type NoiseCheck } from './summary';
import { dailyDates, formatTime, type TimeKind } from './time-axis';

/** Posterior draws used for the outputs (thinned evenly): enough for stable 94% HDIs. */
export const OUTPUT_DRAWS = 1000;
/** Seed of the observation noise added to counterfactual draws (outputs are deterministic). */
const NOISE_SEED = 20_150_316;
/** Prefix of the placebo refit's parameters. */
export const PLACEBO_PREFIX = 'placebo_';
/**
 * The engine block (`ParamDef.block`) of the placebo refit's parameters: the run reports the main
 * fit's diagnostics and parameters, and the placebo's apart (`RunResult.placebo`).
 */
export const PLACEBO_BLOCK = 'placebo';

/** The placebo refit's result. */
export interface PlaceboOutputs extends EffectSummary {
  /** First time point of the placebo window (the placebo intervention date), time-axis units. */
  start: number;
  /** Last time point of the placebo window (the last pre-period point). */
  end: number;
  /** Whether the 94% HDI of the cumulative placebo effect contains 0 (it should). */
  coversZero: boolean;
}

/** Outputs common to the time-series causal models (DESIGN.md names). */
export interface CausalOutputs extends EffectSummary {
  method: 'its' | 'synthetic_control' | 'did' | 'tbr';
  /** Name of the outcome (its column; DiD panel form: "col (treated group mean)"). */
  outcome: string;
  /** How the summary names the outcome: `config.outcomeLabel`, else the column name. */
  outcomeLabel: string;
  /** The outcome's unit (`config.unit`), written after the amounts of the summary. */
  unit?: string;
  /**
   * Flow (the cumulative effect is the headline), stock (the average level difference is; the
   * cumulative effect is not meaningful) or unsure (both are given), with where that came from.
   */
  outcomeKind: OutcomeKindDecision;
  /**
   * Lag-1 autocorrelation of the pre-period residuals (observed - posterior-mean counterfactual);
   * absent when they are constant. Well above 0, the model's independent noise is wrong and its
   * intervals too narrow.
   */
  residualAutocorrelation?: number;
  /** First post-period time point (time-axis units: epoch ms for dates). */
  treatmentStart: number;
  series: CausalSeries;
  /** Placebo-in-time refit; absent when the pre-period is too short for one or config.placebo = false. */
  placebo?: PlaceboOutputs;
  /** Plain-language summary of the effect. */
  summary: string;
  warnings?: string[];
}

/** How a model maps its scaled regression back to the outcome: cf = offset_i + scale * y_scaled. */
export interface TimeSeriesDesign {
  method: CausalOutputs['method'];
  outcome: string;
  /** The outcome's name and unit in the summary. */
  text: OutcomeText;
  kind: OutcomeKindDecision;
  /** Whether the summary warns that the noise is treated as independent (DiD, TBR). */
  checkNoise: boolean;
  time: Float64Array;
  timeKind: TimeKind;
  /** Observed outcome (outcome units), all rows. */
  observed: Float64Array;
  main: RegressionSpec;
  /** The placebo refit and the first row of its window (the window is rows [start, preEnd)). */
  placebo?: { spec: RegressionSpec; start: number };
  offset: Float64Array | number;
  scale: number;
  /** Effect window of the fit: rows [start, end). */
  start: number;
  end: number;
  /** One past the last pre-period row: the placebo window ends here. */
  preEnd: number;
  /** 'the campaign' or 'the intervention'. */
  subject: string;
  /** Names the effect window's points in the sentence, e.g. 'post-period points'. */
  periodWord: string;
  warnings: string[];
}

/**
 * The placebo cut: the last `min(post length, nPre / 3)` pre-period points become the placebo
 * window, unless `override` (a row index) is given. Undefined, with a warning pushed, when the
 * placebo fit would have fewer than `minFit` points, or when `outcome` (the series the fit
 * explains) is constant before the cut: a fit to a constant has a likelihood that grows without
 * bound as its noise scale goes to 0, so the refit would report a degenerate, zero-width
 * counterfactual (seen on banks.csv, whose first 273 days are all 141).
 */
export function placeboSplit(
  nPre: number,
  nPost: number,
  minFit: number,
  override: number | undefined,
  warnings: string[],
  outcome?: ArrayLike<number>,
): number | undefined {
  let cut: number;
  if (override !== undefined) {
    if (override < minFit || override >= nPre) {
      throw new InputError(
        `config.placeboStart must leave at least ${minFit} points before it and fall inside the pre-period (before the intervention).`,
      );
    }
    cut = override;
  } else {
    const window = Math.max(1, Math.min(nPost, Math.floor(nPre / 3)));
    cut = nPre - window;
    if (cut < minFit) {
      warnings.push(`No placebo test: the pre-period (${nPre} points) is too short to refit on a part of it (${minFit} points needed before the placebo date).`);
      return undefined;
    }
  }
  if (outcome !== undefined && constantBefore(outcome, cut)) {
    warnings.push(`No placebo test: the outcome is constant over the ${cut} points before the placebo date, so a refit there has nothing to fit.`);
    return undefined;
  }
  return cut;
}

function constantBefore(x: ArrayLike<number>, end: number): boolean {
  for (let i = 1; i < end; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** The joint model: the fit's block and (when given) the placebo's, sharing no parameter. */
export function timeSeriesModel(main: RegressionSpec, placebo: RegressionSpec | undefined, sampling?: SamplingHints): CompiledModel {
  const blocks = [regressionBlock(main), ...(placebo ? [inBlock(regressionBlock(placebo), PLACEBO_BLOCK)] : [])];
  return compileModel(
    blocks.flatMap((b) => b.params),
    (values) => (blocks.length === 1 ? blocks[0].logLik(values) : (tf.add(blocks[0].logLik(values), blocks[1].logLik(values)) as tf.Tensor1D)),
    { sampling },
  );
}

/** `block` with every parameter marked as belonging to the engine block `name`. */
function inBlock(block: Block, name: string): Block {
  return { ...block, params: block.params.map((def) => ({ ...def, block: name })) };
}

/** Counterfactual draws (outcome units) of a block, for thinned posterior draws. */
export function counterfactualDraws(
  spec: RegressionSpec,
  posterior: Posterior,
  offset: Float64Array | number,
  scale: number,
  seed: number = NOISE_SEED,
): Float64Array[] {
  const rng = createRng(seed);
  const idx = thinIndices(posterior.chains * posterior.draws, OUTPUT_DRAWS);
  const { mean, sigma } = regressionDraws(spec, posterior, idx, rng);
  return predictiveDraws(mean, sigma, offset, scale, rng);
}

/**
 * Posterior mean of the counterfactual's mean (no observation noise) over rows [0, end), outcome
 * units: the fit the pre-period residuals are taken from (the mean of predictive draws would keep
 * a little of their noise, which lowers the residuals' autocorrelation).
 */
function fittedMean(spec: RegressionSpec, posterior: Posterior, offset: Float64Array | number, scale: number, end: number): Float64Array {
  const idx = thinIndices(posterior.chains * posterior.draws, OUTPUT_DRAWS);
  const { mean } = regressionDraws(spec, posterior, idx, createRng(NOISE_SEED));
  const out = new Float64Array(end);
  for (const m of mean) for (let i = 0; i < end; i++) out[i] += m[i];
  return out.map((v, i) => (typeof offset === 'number' ? offset : offset[i]) + (scale * v) / mean.length);
}

/** The effect, series, placebo and summary of a time-series design. */
export function timeSeriesOutputs(design: TimeSeriesDesign, posterior: Posterior): CausalOutputs {
  const warnings = [...design.warnings];
  const cf = counterfactualDraws(design.main, posterior, design.offset, design.scale);
  const input = { observed: design.observed, counterfactual: cf, start: design.start, end: design.end };
  const summary = effectSummary(input);
  const series = effectSeries(input, design.time, design.timeKind);
  const lag1 = residualLag1(design.observed, fittedMean(design.main, posterior, design.offset, design.scale, design.preEnd), design.preEnd);
  const out: CausalOutputs = {
    method: design.method,
    outcome: design.outcome,
    outcomeLabel: design.text.name,
    ...(design.text.unit ? { unit: design.text.unit } : {}),
    outcomeKind: design.kind,
    ...(lag1 !== undefined ? { residualAutocorrelation: lag1 } : {}),
    treatmentStart: design.time[design.start],
    ...summary,
    series,
    summary: '',
  };
  if (design.placebo) {
    const pcf = counterfactualDraws(design.placebo.spec, posterior, design.offset, design.scale, NOISE_SEED + 1);
    const p = effectSummary({ observed: design.observed, counterfactual: pcf, start: design.placebo.start, end: design.preEnd });
    out.placebo = {
      ...p,
      start: design.time[design.placebo.start],
      end: design.time[design.preEnd - 1],
      coversZero: p.cumulativeEffect.hdiLow <= 0 && p.cumulativeEffect.hdiHigh >= 0,
    };
    if (!out.placebo.coversZero) {
      warnings.push(
        `The placebo test finds an "effect" where there was none (from ${formatTime(out.placebo.start, design.timeKind)}, before the intervention): the model may not capture the pre-period well, so read the estimated effect with caution.`,
      );
    }
  }
  if (!summary.relativeEffect) warnings.push('No relative effect: the counterfactual total is not clearly of one sign.');
  const noise: NoiseCheck | undefined = design.checkNoise ? { lag1, points: design.preEnd, daily: dailyDates(design.time, design.timeKind) } : undefined;
  if (noise && autocorrelated(noise)) warnings.push(noiseSentence(noise));
  if (warnings.length) out.warnings = warnings;
  out.summary = causalSummary({
    effect: summary,
    outcome: design.text,
    kind: design.kind,
    subject: design.subject,
    periodWord: design.periodWord,
    ...(out.placebo ? { placebo: { effect: out.placebo, coversZero: out.placebo.coversZero, at: formatTime(out.placebo.start, design.timeKind) } } : {}),
    ...(noise ? { noise } : {}),
  });
  return out;
}
