/**
 * The causal models' written summaries. Their order is the order of what a reader must know:
 * first a failed placebo test (the estimate may be a pre-existing difference, not the
 * intervention's effect), then the effect in the outcome's own terms (named by its label, with its
 * unit; a flow by its total over the period, a stock by its average level difference, both when
 * the kind is unsure), then the probability that it is positive, then the caveats (noise treated
 * as independent on autocorrelated or daily data; how the outcome's kind was decided).
 */
import type { Estimate } from '../../api/types';
import type { EffectSummary } from './effects';
import { lag1Autocorrelation, type OutcomeKindDecision, type OutcomeText } from './outcome';

/** A number for a sentence: 3 significant digits, thousands separated (147,000; 2.95; -26.6). */
export function formatAmount(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  const rounded = a >= 1000 ? Number(v.toPrecision(3)) : v;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** `amount` followed by the unit when there is one ("16.7 banks", "148,000"). */
export function withUnit(amount: number, unit: string | undefined): string {
  return unit ? `${formatAmount(amount)} ${unit}` : formatAmount(amount);
}

const interval = (e: Estimate) => `94% interval ${formatAmount(e.hdiLow)} to ${formatAmount(e.hdiHigh)}`;
/** The interval of the size of a change a sentence words by its direction ("lower by about 20", 94% interval 17 to 23). */
const sizeInterval = (e: Estimate) => (e.mean >= 0 ? interval(e) : `94% interval ${formatAmount(-e.hdiHigh)} to ${formatAmount(-e.hdiLow)}`);

/** What the noise check of a model that treats its noise as independent (DiD, TBR) found. */
export interface NoiseCheck {
  /** Lag-1 autocorrelation of the pre-period residuals (observed - posterior-mean counterfactual); undefined when they are constant. */
  lag1: number | undefined;
  /** Pre-period points the residuals are taken over. */
  points: number;
  /** Whether the time axis is daily dates. */
  daily: boolean;
}

/**
 * Whether the residuals are autocorrelated beyond chance: lag-1 autocorrelation above 0.1 and
 * above 2 / sqrt(points), about the 97.5% point of its distribution under independent noise.
 */
export function autocorrelated(check: NoiseCheck): boolean {
  return check.lag1 !== undefined && check.lag1 > Math.max(0.1, 2 / Math.sqrt(check.points));
}

/** Lag-1 autocorrelation of observed - counterfactual mean over rows [0, end); undefined when constant. */
export function residualLag1(observed: ArrayLike<number>, counterfactualMean: ArrayLike<number>, end: number): number | undefined {
  const r = Float64Array.from({ length: end }, (_, i) => observed[i] - counterfactualMean[i]);
  const v = lag1Autocorrelation(r, end);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * The warning of a model whose noise is independent from point to point, or '' when there is
 * nothing to say: autocorrelated pre-period residuals make its intervals too narrow; on daily data
 * the warning is given even when they look independent, as daily series seldom are.
 */
export function noiseSentence(check: NoiseCheck): string {
  const r = check.lag1 === undefined ? '' : check.lag1.toFixed(2);
  if (autocorrelated(check)) {
    return `The model treats the ${check.daily ? 'daily ' : ''}noise as independent from one point to the next, but its pre-period residuals are autocorrelated (lag-1 autocorrelation ${r}), so the intervals are too narrow: aggregate to weeks (or longer periods) for honest ones.`;
  }
  if (check.daily) {
    return `Daily noise is treated as independent from one day to the next${r ? ` (the pre-period residuals' lag-1 autocorrelation is ${r})` : ''}; on an autocorrelated daily series the intervals are too narrow: aggregate to weeks for honest ones.`;
  }
  return '';
}

/** Everything a time-series causal model's summary is written from. */
export interface SummaryInput {
  effect: EffectSummary;
  outcome: OutcomeText;
  kind: OutcomeKindDecision;
  /** 'the intervention' or 'the campaign'. */
  subject: string;
  /** Names the effect window's points, e.g. 'post-period points (from 1989)'. */
  periodWord: string;
  /** The placebo refit's effect, whether its 94% HDI covers 0, and its (fake) start as text. */
  placebo?: { effect: EffectSummary; coversZero: boolean; at: string };
  /** Only for models that treat the noise as independent (DiD, TBR). */
  noise?: NoiseCheck;
}

/** The effect of a stock or of an outcome of unsure kind: the average level difference. */
function levelSentence(input: SummaryInput): string {
  const { effect: s, outcome, subject } = input;
  const a = s.averageEffect;
  const up = a.mean >= 0;
  const rel = s.relativeEffect ? `, ${formatAmount(Math.abs(100 * s.relativeEffect.mean))}% ${up ? 'above' : 'below'} the expected level` : '';
  return `Over the ${s.periods} ${input.periodWord}, ${outcome.phrase} was ${up ? 'higher' : 'lower'} by about ${withUnit(Math.abs(a.mean), outcome.unit)} on average than expected without ${subject} (${sizeInterval(a)})${rel}.`;
}

/** The effect of a flow: the total over the window, then the average per period. */
function flowSentence(input: SummaryInput): string {
  const { effect: s, outcome, subject } = input;
  const c = s.cumulativeEffect;
  const up = c.mean >= 0;
  const amount = withUnit(Math.abs(c.mean), outcome.unit);
  const rel = s.relativeEffect ? `, ${formatAmount(Math.abs(100 * s.relativeEffect.mean))}% ${up ? 'over' : 'below'} what was expected` : '';
  const head = up
    ? `Over the ${s.periods} ${input.periodWord}, ${subject} added about ${amount} to ${outcome.phrase} in total (${interval(c)})${rel}.`
    : `Over the ${s.periods} ${input.periodWord}, ${subject} lowered ${outcome.phrase} by about ${amount} in total (${sizeInterval(c)})${rel}.`;
  return `${head} That is ${withUnit(s.averageEffect.mean, outcome.unit)} per period on average (${interval(s.averageEffect)}).`;
}

/** The placebo's verdict when it failed: first, as it qualifies everything after it. */
function placeboSentence(input: SummaryInput): string {
  const p = input.placebo;
  if (!p || p.coversZero) return '';
  const found =
    input.kind.kind === 'flow'
      ? `about ${withUnit(p.effect.cumulativeEffect.mean, input.outcome.unit)} in total over its ${p.effect.periods} points (${interval(p.effect.cumulativeEffect)})`
      : `about ${withUnit(p.effect.averageEffect.mean, input.outcome.unit)} on average (${interval(p.effect.averageEffect)})`;
  return `Careful: the placebo test, a fake intervention inside the pre-period (at ${p.at}), also finds an effect of ${found}, so this estimate may reflect a pre-existing difference, not ${input.subject}.`;
}

/** How the kind was decided, when it was detected. */
function kindSentence(input: SummaryInput): string {
  const { kind, outcome, effect } = input;
  if (kind.source === 'config') return '';
  if (kind.kind === 'stock') {
    return `${capitalise(outcome.short)} is read as a stock, a level, since ${kind.reason}: its effect is the average difference, not a sum over the points (set the outcome kind to flow if it is an amount per period).`;
  }
  if (kind.kind === 'flow') {
    return `${capitalise(outcome.short)} is read as a flow, an amount per period, since ${kind.reason}: the effect adds up over the period (set the outcome kind to stock if it is a level).`;
  }
  const c = effect.cumulativeEffect;
  return (
    `Summed over the ${effect.periods} points that is ${withUnit(c.mean, outcome.unit)} (${interval(c)}), a meaningful total only if ${outcome.short} is an amount per period (a flow, such as sales per day) and not a level (a stock, such as a count of stores); ` +
    `the data do not tell which, since ${kind.reason}: set the outcome kind to say.`
  );
}

function capitalise(s: string): string {
  return s.charAt(0) === '"' ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

/** The summary of a time-series causal model (ITS, synthetic control, DiD, TBR). */
export function causalSummary(input: SummaryInput): string {
  const failed = input.placebo !== undefined && !input.placebo.coversZero;
  const prob = `The probability that the effect is positive is ${formatAmount(100 * input.effect.probPositive)}%${failed ? " if the model's assumptions hold, which the placebo test puts in doubt" : ''}.`;
  return [
    placeboSentence(input),
    input.kind.kind === 'flow' ? flowSentence(input) : levelSentence(input),
    prob,
    input.noise ? noiseSentence(input.noise) : '',
    kindSentence(input),
  ]
    .filter(Boolean)
    .join(' ');
}

/** The regression discontinuity's summary: the jump in the outcome's units at the threshold. */
export function rdSummary(input: {
  running: string;
  threshold: number;
  outcome: OutcomeText;
  jump: Estimate;
  relative?: Estimate;
  probPositive: number;
}): string {
  const { jump, outcome } = input;
  const up = jump.mean >= 0;
  const rel = input.relative ? `, ${formatAmount(Math.abs(100 * input.relative.mean))}% ${up ? 'above' : 'below'} its level just below the threshold` : '';
  return (
    `At ${input.running} = ${formatAmount(input.threshold)}, ${outcome.phrase} ${up ? 'jumps up' : 'drops'} by about ${withUnit(Math.abs(jump.mean), outcome.unit)} ` +
    `(${sizeInterval(jump)})${rel}. The probability that the jump is positive is ${formatAmount(100 * input.probPositive)}%.`
  );
}
