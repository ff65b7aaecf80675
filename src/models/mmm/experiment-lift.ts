/**
 * Closing the loop: an experiment run whose treatment was a channel's spend becomes one MMM lift
 * test (lift-tests.ts) in two steps.
 *
 * 1. An adapter per experiment model (`EXPERIMENT_ADAPTERS`, keyed by model name) reads the run's
 *    answer as an `ExperimentMeasurement`: over the test window of `days` days, the treated
 *    market's spend per day before the test and during it, and the incremental outcome per day
 *    with its posterior sd. For TBR (causal/tbr.ts): with L test points of d days each, the
 *    incremental outcome per day is cumulativeEffect / (L d) (mean and sd alike), the spend during
 *    the test is spendBefore / d + incrementalCost / (L d) per day. For a customer A/B test
 *    (abtest/abtest.ts) of an incentive paid from a channel's budget, over D days (testStart to
 *    testEnd inclusive): the treated customers' spend goes from 0 (the control group's: no
 *    incentive) to cost / D per day, and their revenue rises by incrementalRevenue / D per day. It
 *    measures revenue, so it calibrates only an MMM whose target is revenue in the same currency.
 * 2. `toLiftTest` puts that measurement on the MMM's axes: per MMM period of P days and scaled up
 *    from the treated market to the MMM's market, of which it is a share s (1 when the MMM models
 *    the treated market itself). If every part of the market answers spend with the same curve F
 *    per unit of size (a part of size s_g spending x_g returns s_g F(x_g / s_g)), the treated part
 *    (size s) moving from spend b to b + Δx per period adds s (F((b + Δx) / s) - F(b / s)): a lift
 *    test of F from b / s to (b + Δx) / s whose lift is Δy / s. So
 *      spendBefore = P b / s, spendAfter = P (b + Δx) / s, deltaY = P Δy / s, sigma = P sd(Δy) / s
 *    with b, Δx, Δy per day. The lift is taken as the steady-state lift the MMM's lift-test term
 *    assumes (as PyMC-Marketing's); a test shorter than the channel's carry-over measures less.
 */
import { InputError } from '../../api/errors';
import type { ModelName, RunResult } from '../../api/types';
import type { AbTestOutputs } from '../abtest/abtest';
import { ABTEST_OPTIONS } from '../abtest/options';
import type { TbrOutputs } from '../causal/tbr';
import { readOptions } from '../options';
import type { LiftTest } from './lift-tests';

const DAY_MS = 86_400_000;

/** An experiment's answer in the treated market's units, per day over the test window. */
export interface ExperimentMeasurement {
  /** Spend per day before the test and during it (spend units). */
  spendBefore: number;
  spendDuring: number;
  /** Incremental outcome per day (outcome units), posterior mean and sd. */
  lift: number;
  liftSd: number;
  /** Test window length in days. */
  days: number;
  /** Caveats the conversion made (an assumed period length). */
  notes: string[];
  /**
   * 'revenue' when the lift is revenue (an A/B test's): only an MMM whose target is revenue, in the
   * same currency, can take it. Absent: the lift is in the experiment's outcome units, taken to be
   * the MMM's target (a TBR run on the same KPI).
   */
  outcome?: 'revenue';
  /** The channel the experiment names as its treatment's (the form proposes it). */
  channel?: string;
}

/** Reads an experiment run as a measurement, or throws an InputError saying why it cannot be one. */
export type ExperimentAdapter = (run: RunResult, assumedPeriodDays: number) => ExperimentMeasurement;

/** Median spacing of a date axis (epoch ms) in days; undefined for fewer than two points. */
function periodDaysOf(time: readonly number[]): number | undefined {
  const gaps = time.slice(1).map((t, i) => (t - time[i]) / DAY_MS).sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] : undefined;
}

/**
 * TBR (see the file comment). A time axis of plain numbers has no length in days: its points are
 * taken to be `assumedPeriodDays` long (the MMM's period), and a note says so.
 */
export const tbrMeasurement: ExperimentAdapter = (run, assumedPeriodDays) => {
  const out = run.outputs as unknown as TbrOutputs;
  if (out.incrementalCost === undefined) throw new InputError('This TBR run has no spend column, so no spend change to calibrate a channel with: refit it with its spend.');
  if (!(out.incrementalCost > 0)) throw new InputError('The treatment group of this TBR run spent no more during the test than before it: no spend change to calibrate a channel with.');
  if (out.spendBefore === undefined) throw new InputError('This TBR run was stored before runs kept the pre-test spend: refit it to use it as a lift test.');
  const notes: string[] = [];
  let d = out.series.timeKind === 'date' ? periodDaysOf(out.series.time) : undefined;
  if (d === undefined || !(d > 0)) {
    d = assumedPeriodDays;
    notes.push(`The TBR run's time points are not dates: each is taken to be one MMM period (${assumedPeriodDays} days).`);
  }
  const L = out.periods;
  const c = out.cumulativeEffect;
  return {
    spendBefore: out.spendBefore / d,
    spendDuring: out.spendBefore / d + out.incrementalCost / (L * d),
    lift: c.mean / (L * d),
    liftSd: c.sd / (L * d),
    days: L * d,
    notes,
  };
};

/**
 * A customer A/B test of an incentive paid from a channel's budget (see the file comment): needs the
 * test's dates (config.testStart, testEnd), a revenue outcome and a cost above 0.
 */
export const abtestMeasurement: ExperimentAdapter = (run) => {
  const out = run.outputs as unknown as AbTestOutputs;
  const config = readOptions(ABTEST_OPTIONS, run.spec.config);
  if (config.testStart === undefined || config.testEnd === undefined) {
    throw new InputError('This A/B test run has no test dates: set its test start and end (config.testStart, config.testEnd) and refit it, so its revenue and cost can be put per MMM period.');
  }
  if (!out.incrementalRevenue || !out.cost) throw new InputError('This A/B test run has no revenue column, so no incremental revenue to calibrate a channel with: refit it with revenue.');
  if (!(out.cost.mean > 0)) throw new InputError('The incentive of this A/B test cost nothing: there is no spend change to calibrate a channel with.');
  const days = Math.round((config.testEnd - config.testStart) / DAY_MS) + 1;
  const notes = ['The control group is taken to have had no spend on the channel: the test moves the treated customers’ spend from 0 to the incentive’s cost.'];
  if (out.cost.sd > 0) notes.push('The incentive was paid per redemption: its uncertain cost enters as its posterior mean.');
  return {
    spendBefore: 0,
    spendDuring: out.cost.mean / days,
    lift: out.incrementalRevenue.mean / days,
    liftSd: out.incrementalRevenue.sd / days,
    days,
    notes,
    outcome: 'revenue',
    ...(config.channel ? { channel: config.channel } : {}),
  };
};

/** The adapter of each experiment model whose runs can calibrate an MMM. */
export const EXPERIMENT_ADAPTERS: Partial<Record<ModelName, ExperimentAdapter>> = { tbr: tbrMeasurement, abtest: abtestMeasurement };

/** How an experiment maps onto the MMM: the channel it tested, the MMM's period and the treated market's share. */
export interface LiftConversion {
  channel: string;
  /** Days per MMM period (7 for weekly data). */
  periodDays: number;
  /** The treated market's share of the MMM's market, in (0, 1] (1: the MMM models the treated market). */
  marketShare: number;
  /** Whether the MMM's target is revenue in the experiment's currency (required for a revenue lift). */
  targetIsRevenue?: boolean;
}

/** The measurement as a lift test on the MMM's axes (see the file comment). */
export function toLiftTest(m: ExperimentMeasurement, c: LiftConversion): LiftTest {
  if (!(c.periodDays > 0) || !Number.isFinite(c.periodDays)) throw new InputError(`The MMM's period must be a positive number of days, got ${c.periodDays}.`);
  if (!(c.marketShare > 0 && c.marketShare <= 1)) throw new InputError(`The treated market's share of the MMM's market must be above 0 and at most 1, got ${c.marketShare}.`);
  if (m.outcome === 'revenue' && !c.targetIsRevenue) {
    throw new InputError(
      'The experiment measured incremental revenue: it calibrates only an MMM whose target is revenue in the same currency. This MMM’s target is not marked as revenue (orders, visits or another KPI cannot take a revenue lift).',
    );
  }
  if (!(m.lift > 0)) {
    throw new InputError(
      `The experiment measured no positive lift (${m.lift.toPrecision(3)} per day): the MMM's lift-test term (a Gamma on the lift) needs a lift of the spend change's sign, so it cannot enter as a lift test.`,
    );
  }
  if (!(m.liftSd > 0)) throw new InputError('The experiment reports no uncertainty for its lift (sd 0): it cannot enter as a lift test.');
  const k = c.periodDays / c.marketShare;
  return { channel: c.channel, spendBefore: m.spendBefore * k, spendAfter: m.spendDuring * k, deltaY: m.lift * k, sigma: m.liftSd * k };
}

/** An experiment run as a lift test of `conversion.channel`; throws an InputError naming why a run cannot be one. */
export function experimentLiftTest(run: RunResult, conversion: LiftConversion): LiftTest {
  const adapter = EXPERIMENT_ADAPTERS[run.model];
  if (!adapter) throw new InputError(`A ${run.model} run is not an experiment on a channel's spend: only ${Object.keys(EXPERIMENT_ADAPTERS).join(', ')} runs can calibrate an MMM.`);
  return toLiftTest(adapter(run, conversion.periodDays), conversion);
}
