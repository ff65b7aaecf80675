/**
 * The one place a run is judged: the convergence criteria (R-hat, bulk ESS, divergences, R-hat
 * computable), the verdict shown beside every headline number (`RunVerdict`), and what an
 * until-converged MCMC run asks the sampler for while the criteria fail.
 *
 * The verdict is a pure function of what a run stores (its method, diagnostics and outputs), so a
 * run stored before verdicts were recorded gets the same one on read. The rule, in order:
 * 1. MCMC whose main fit fails any criterion: `unconverged` (its placebo, if any, is not read:
 *    an unconverged fit's "effect" means nothing either way);
 * 2. a causal run whose placebo-in-time refit found an effect (`outputs.placebo.coversZero` is
 *    false: the 94% HDI of the cumulative placebo effect excludes 0): `placebo-failed`;
 * 3. MAP + Laplace: `approximate`;
 * 4. otherwise `converged`.
 */
import type { ParameterSummary, RunDiagnostics, RunResult, RunVerdict } from '../api/types';
import type { ExtendRequest } from '../engine/sample';

/** Worst R-hat a converged run may have: strictly below this (Vehtari et al. 2021). */
export const RHAT_MAX = 1.01;
/** Least bulk ESS a converged run may have, for every parameter of the main fit. */
export const ESS_MIN = 400;

/** Whether an R-hat passes: finite and below RHAT_MAX (null once stored means not computable). */
export function rhatPasses(rhat: number | null | undefined): boolean {
  return typeof rhat === 'number' && Number.isFinite(rhat) && rhat < RHAT_MAX;
}

/**
 * What keeps MCMC diagnostics from "converged", in words (empty when converged). Robust to runs
 * stored long ago: a missing or non-finite statistic fails.
 */
export function convergenceFailures(d: Partial<RunDiagnostics> | undefined): string[] {
  if (!d) return ['no diagnostics'];
  const out: string[] = [];
  const notComputable = Array.isArray(d.notComputable) ? d.notComputable : [];
  if (notComputable.length) out.push(`R-hat not computable for ${notComputable.length} parameter${notComputable.length > 1 ? 's' : ''}`);
  if (!rhatPasses(d.rhatMax)) out.push(`worst R-hat ${typeof d.rhatMax === 'number' ? d.rhatMax.toFixed(3) : 'unknown'} (needs < ${RHAT_MAX})`);
  if (!(typeof d.essBulkMin === 'number' && d.essBulkMin >= ESS_MIN && d.essBulkMin < Infinity)) {
    out.push(`least bulk ESS ${typeof d.essBulkMin === 'number' ? String(Math.round(d.essBulkMin)) : 'unknown'} (needs >= ${ESS_MIN})`);
  }
  if (d.divergences !== 0) out.push(`${typeof d.divergences === 'number' ? d.divergences : 'unknown'} divergent transitions (needs none)`);
  const runaway = Array.isArray(d.runaway) ? d.runaway : [];
  if (runaway.length) out.push(`${runaway.join(', ')} ran off to infinity`);
  return out;
}

/** Whether a run is MAP + Laplace (its diagnostics carry the Laplace check, or its spec says so). */
function isMap(run: Pick<RunResult, 'spec' | 'diagnostics'>): boolean {
  return run.spec?.inference?.method === 'map' || run.diagnostics?.laplace !== undefined;
}

/** What the verdict reads of a run; outputs as stored, of whatever model and age. */
export type JudgedRun = Pick<RunResult, 'spec' | 'diagnostics'> & { outputs: object | undefined };

/** Whether the run's placebo-in-time refit found an effect where there was none. */
export function placeboFailed(outputs: object | undefined): boolean {
  const placebo = outputs && 'placebo' in outputs ? outputs.placebo : undefined;
  return typeof placebo === 'object' && placebo !== null && (placebo as { coversZero?: unknown }).coversZero === false;
}

/** The run's verdict (see the file comment for the rule). Never throws, whatever was stored. */
export function runVerdict(run: JudgedRun): RunVerdict {
  const map = isMap(run);
  if (!map && convergenceFailures(run.diagnostics).length > 0) return 'unconverged';
  if (placeboFailed(run.outputs)) return 'placebo-failed';
  return map ? 'approximate' : 'converged';
}

/** The stored verdict, or the one derived from the stored diagnostics for a run kept before verdicts. */
export function verdictOf(run: JudgedRun & { verdict?: RunVerdict }): RunVerdict {
  return run.verdict ?? runVerdict(run);
}

/** The parameter with the largest (or smallest) value of `stat` among `entries`. */
function extreme(entries: [string, ParameterSummary][], stat: 'rhat' | 'essBulk', largest: boolean): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const [name, p] of entries) {
    const v = p[stat];
    if (!Number.isFinite(v)) continue;
    if (!best || (largest ? v > best[1] : v < best[1])) best = [name, v];
  }
  return best;
}

/** Fewest extra draws per chain an extension asks for (fewer would barely move the estimates). */
const MIN_EXTENSION = 25;

/**
 * What an until-converged run asks the sampler for, given every sampled parameter's summary (the
 * check fits' and sampler coordinates' included: they must mix too) and the divergent transitions
 * among `drawsPerChain` draws per chain; undefined when the criteria pass.
 *
 * More draws: for a low bulk ESS, enough to reach ESS_MIN with 10% to spare if ESS grows in
 * proportion to the draws; for a failing or non-computable R-hat, as many again as there are.
 * Divergences stay in the count whatever is added, so they ask for a fresh warm-up instead.
 */
export function extendRequest(parameters: Record<string, ParameterSummary>, divergences: number, drawsPerChain: number): ExtendRequest | undefined {
  const entries = Object.entries(parameters);
  const reasons: string[] = [];
  let wanted = 0;
  const notComputable = entries.filter(([, p]) => !Number.isFinite(p.rhat)).map(([name]) => name);
  if (notComputable.length) {
    reasons.push(`R-hat not computable at ${notComputable[0]}${notComputable.length > 1 ? ` and ${notComputable.length - 1} more` : ''}`);
    wanted = Math.max(wanted, drawsPerChain);
  }
  const rhat = extreme(entries, 'rhat', true);
  if (rhat && !rhatPasses(rhat[1])) {
    reasons.push(`R-hat ${rhat[1].toFixed(3)} at ${rhat[0]}`);
    wanted = Math.max(wanted, drawsPerChain);
  }
  const ess = extreme(entries, 'essBulk', false);
  if (ess && ess[1] < ESS_MIN) {
    reasons.push(`bulk ESS ${Math.round(ess[1])} at ${ess[0]}`);
    const have = Math.max(ess[1], 1);
    wanted = Math.max(wanted, Math.ceil((drawsPerChain * (11 * ESS_MIN - 10 * have)) / (10 * have)));
  }
  if (divergences > 0) {
    return { reason: [`${divergences} divergent transition${divergences > 1 ? 's' : ''}`, ...reasons].join(', '), draws: drawsPerChain, warmup: true };
  }
  if (!reasons.length) return undefined;
  return { reason: reasons.join(', '), draws: Math.max(MIN_EXTENSION, wanted) };
}
