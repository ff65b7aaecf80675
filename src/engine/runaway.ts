/**
 * Runaway detection: a posterior mode or chains gone off to infinity (or to a boundary), the mark of
 * an improper posterior (a flat prior along a direction the data do not pin down). Such a fit has no
 * answer there, however tight its interval looks. One rule for MAP (the unconstrained mode) and MCMC
 * (the constrained draws).
 */

/**
 * An unconstrained coordinate beyond this (a scale of e^20 or e^-20 through an exp bijector) has run
 * off to a boundary.
 */
export const RUNAWAY_UNCONSTRAINED = 20;

/**
 * The same bound on the constrained scale, e^20 = 4.85e8: a positive parameter (exp bijector) past it
 * has its unconstrained coordinate past RUNAWAY_UNCONSTRAINED; a real-valued one is far beyond any
 * scale a model here works in (data are scaled, and float32 keeps 7 digits).
 */
export const RUNAWAY_CONSTRAINED = Math.exp(RUNAWAY_UNCONSTRAINED);

/**
 * The names of the columns of row-major `values` (`[rows][names.length]`) with a value whose magnitude
 * is beyond `bound` (infinities included; NaN is not a runaway, it is reported as not computable).
 */
export function runawayColumns(names: readonly string[], values: ArrayLike<number>, bound: number): string[] {
  const width = names.length;
  const hit = new Array<boolean>(width).fill(false);
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > bound) hit[i % width] = true;
  }
  return names.filter((_, j) => hit[j]);
}

/** Parameters of a posterior (draws on the constrained scale) whose draws ran off: see RUNAWAY_CONSTRAINED. */
export function runawayDraws(posterior: { readonly names: readonly string[]; readonly values: ArrayLike<number> }): string[] {
  return runawayColumns(posterior.names, posterior.values, RUNAWAY_CONSTRAINED);
}

/** The warning a run with runaway parameters carries, naming them. */
export function runawayMessage(names: readonly string[]): string {
  const list = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  const one = names.length === 1;
  return `${list} ran off to infinity (draws beyond ${RUNAWAY_CONSTRAINED.toPrecision(2)}): the data do not pin ${one ? 'it' : 'them'} down; give ${one ? 'it' : 'them'} a proper prior. The numbers of this run are not an answer.`;
}
