/**
 * What a run's diagnostics warn about, in words, naming the parameter at fault: thresholds from
 * Vehtari et al. (2021), as ArviZ warns. MCMC runs are judged by R-hat and ESS; a MAP run's draws
 * are independent Laplace draws, judged instead by its Laplace check (Pareto k, the optimiser).
 */
import type { ConvergenceExtension, LaplaceCheck, ParameterSummary, RunResult } from '../api/types';
import { PARETO_K_MAX } from '../engine/psis';
import { ESS_MIN, RHAT_MAX, rhatPasses } from '../models/verdict';
import { runawayMessage } from '../engine/runaway';
import { fmt } from './format';

export { ESS_MIN, RHAT_MAX };

type Stat = 'rhat' | 'essBulk' | 'essTail';

/** The parameter with the largest (or smallest) finite value of `stat`, if any. */
function extreme(parameters: RunResult['parameters'], stat: Stat, largest: boolean): string | undefined {
  let best: string | undefined;
  let value = largest ? -Infinity : Infinity;
  for (const [name, p] of Object.entries(parameters)) {
    const v = p[stat];
    if (!Number.isFinite(v)) continue;
    if (largest ? v > value : v < value) {
      value = v;
      best = name;
    }
  }
  return best;
}

/** What a MAP run's Laplace check warns about: an approximation not to be trusted, and why. */
export function laplaceWarnings(check: LaplaceCheck): string[] {
  const out: string[] = [];
  if (!(check.paretoK <= PARETO_K_MAX)) {
    out.push(`Pareto k ${Number.isFinite(check.paretoK) ? fmt(check.paretoK, 2) : 'infinite'} (> ${PARETO_K_MAX}): the Laplace approximation does not match the posterior; its intervals cannot be trusted. Sample it (MCMC).`);
  } else if (check.paretoK > 0.5) {
    out.push(`Pareto k ${fmt(check.paretoK, 2)} (0.5-0.7): the Laplace approximation is rough; check the answer with MCMC.`);
  }
  if (check.runaway.length) out.push(`${check.runaway.join(', ')} ran off to a boundary: the posterior has no proper mode there. Sample it (MCMC), or give it a proper prior.`);
  if (!check.converged) out.push(`The optimiser did not converge (${check.iterations} iterations): the mode may be off.`);
  if (check.jitter > 0) out.push('The curvature at the mode was not positive definite (a flat or saddle direction): jitter was added, so the intervals are not reliable.');
  return out;
}

export function diagnosticWarnings(run: Pick<RunResult, 'spec' | 'diagnostics' | 'parameters'>): string[] {
  if ((run.spec.inference?.method ?? 'mcmc') !== 'mcmc') return run.diagnostics.laplace ? laplaceWarnings(run.diagnostics.laplace) : [];
  const d = run.diagnostics;
  const at = (stat: Stat, largest: boolean) => {
    const name = extreme(run.parameters, stat, largest);
    return name ? ` at ${name}` : '';
  };
  const out: string[] = [];
  if (d.runaway?.length) out.push(runawayMessage(d.runaway));
  const uncomputable = d.notComputable ?? [];
  if (uncomputable.length > 0) {
    const names = uncomputable.slice(0, 3).join(', ') + (uncomputable.length > 3 ? ` and ${uncomputable.length - 3} more` : '');
    out.push(`R-hat could not be computed for ${names} (non-finite draws): the run cannot be checked there; its numbers are not an answer.`);
  }
  if (d.extension && d.extension.stop !== 'passed') out.push(extensionWarning(d.extension, d.draws));
  if (!rhatPasses(d.rhatMax)) out.push(`R-hat up to ${fmt(d.rhatMax, 4)}${at('rhat', true)} (should be below ${RHAT_MAX}): the chains disagree; run longer (more warm-up and draws).`);
  if (d.essBulkMin < ESS_MIN) out.push(`Bulk ESS as low as ${fmt(d.essBulkMin)}${at('essBulk', false)} (< ${ESS_MIN}): means are imprecise.`);
  if (d.essTailMin < ESS_MIN) out.push(`Tail ESS as low as ${fmt(d.essTailMin)}${at('essTail', false)} (< ${ESS_MIN}): intervals are imprecise.`);
  if (d.divergences > 0) out.push(`${d.divergences} divergent transitions: the posterior may be biased.`);
  return out;
}

/** Why an until-converged run stopped short, which parameters fail, and what to try. */
export function extensionWarning(e: ConvergenceExtension, draws: number): string {
  const why =
    e.stop === 'budget'
      ? `its time budget (${e.budgetSeconds} s) ran out`
      : e.stop === 'cap'
        ? `it reached the most draws per chain kept (${draws.toLocaleString()})`
        : 'fresh warm-ups did not help';
  const tries =
    e.stop === 'budget'
      ? 'a larger budget (inference.budgetSeconds), fewer chains, or a faster backend'
      : e.stop === 'cap'
        ? 'more warm-up, stronger priors, or a simpler model (fewer parameters that trade off)'
        : 'stronger priors or a reparametrised model; the posterior has regions the sampler cannot cross';
  const did = e.rounds ? ` after ${e.rounds} extension${e.rounds > 1 ? 's' : ''}${e.warmups ? ` (${e.warmups} fresh warm-up${e.warmups > 1 ? 's' : ''})` : ''}` : '';
  return `Not converged: sampling stopped${did} with ${draws.toLocaleString()} of a planned ${e.plannedDraws.toLocaleString()} draws per chain because ${why}${e.reason ? `; still failing: ${e.reason}` : ''}. Try ${tries}.`;
}

/**
 * The run's own warnings (`outputs.warnings`: data notes, skipped checks, and "some outputs could
 * not be computed"), shown above every model's results.
 */
export function runWarnings(run: { outputs: object }): string[] {
  const w = 'warnings' in run.outputs ? run.outputs.warnings : undefined;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/** A parameter table longer than this shows its first rows and every flagged one until expanded. */
export const COLLAPSED_ROWS = 24;

/** Whether R-hat fails: RHAT_MAX or above, or not computable (NaN, or null once stored). */
export function rhatFails(rhat: number | null): boolean {
  return !rhatPasses(rhat);
}

/** Whether a parameter's R-hat or ESS is past the thresholds (the table marks it). */
export function isFlagged(p: ParameterSummary): boolean {
  return rhatFails(p.rhat) || p.essBulk < ESS_MIN || p.essTail < ESS_MIN;
}

/** The rows a parameter table shows: all when expanded, else the first COLLAPSED_ROWS and every flagged one after them. */
export function shownParameterRows<T extends [string, ParameterSummary]>(rows: readonly T[], expanded: boolean): T[] {
  return expanded ? [...rows] : rows.filter(([, p], i) => i < COLLAPSED_ROWS || isFlagged(p));
}
