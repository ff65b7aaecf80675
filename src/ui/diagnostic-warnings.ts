/**
 * What a run's diagnostics warn about, in words, naming the parameter at fault: thresholds from
 * Vehtari et al. (2021), as ArviZ warns. Only MCMC runs are judged (a MAP run's draws are
 * independent Laplace draws).
 */
import type { ParameterSummary, RunResult } from '../api/types';
import { fmt } from './format';

export const RHAT_MAX = 1.01;
export const ESS_MIN = 400;

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

export function diagnosticWarnings(run: Pick<RunResult, 'spec' | 'diagnostics' | 'parameters'>): string[] {
  if ((run.spec.inference?.method ?? 'mcmc') !== 'mcmc') return [];
  const d = run.diagnostics;
  const at = (stat: Stat, largest: boolean) => {
    const name = extreme(run.parameters, stat, largest);
    return name ? ` at ${name}` : '';
  };
  const out: string[] = [];
  if (d.rhatMax > RHAT_MAX) out.push(`R-hat up to ${fmt(d.rhatMax, 4)}${at('rhat', true)} (> ${RHAT_MAX}): the chains disagree; run longer (more warm-up and draws).`);
  if (d.essBulkMin < ESS_MIN) out.push(`Bulk ESS as low as ${fmt(d.essBulkMin)}${at('essBulk', false)} (< ${ESS_MIN}): means are imprecise.`);
  if (d.essTailMin < ESS_MIN) out.push(`Tail ESS as low as ${fmt(d.essTailMin)}${at('essTail', false)} (< ${ESS_MIN}): intervals are imprecise.`);
  if (d.divergences > 0) out.push(`${d.divergences} divergent transitions: the posterior may be biased.`);
  return out;
}

/**
 * The run's own warnings (`outputs.warnings`: data notes, skipped checks, and "some outputs could
 * not be computed"), shown above every model's results.
 */
export function runWarnings(run: Pick<RunResult, 'outputs'>): string[] {
  const w = run.outputs.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/** A parameter table longer than this shows its first rows and every flagged one until expanded. */
export const COLLAPSED_ROWS = 24;

/** Whether a parameter's R-hat or ESS is past the thresholds (the table marks it). */
function isFlagged(p: ParameterSummary): boolean {
  return p.rhat > RHAT_MAX || p.essBulk < ESS_MIN || p.essTail < ESS_MIN;
}

/** The rows a parameter table shows: all when expanded, else the first COLLAPSED_ROWS and every flagged one after them. */
export function shownParameterRows<T extends [string, ParameterSummary]>(rows: readonly T[], expanded: boolean): T[] {
  return expanded ? [...rows] : rows.filter(([, p], i) => i < COLLAPSED_ROWS || isFlagged(p));
}
