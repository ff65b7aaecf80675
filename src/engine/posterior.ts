/**
 * The Posterior container: constrained draws laid out `[chain][draw][param]`, with a column view
 * per flat parameter name.
 */
import type { Posterior } from './types';

/** Wraps draws (row-major `[chain][draw][param]`) as a Posterior. */
export function createPosterior(names: readonly string[], chains: number, draws: number, values: Float64Array): Posterior {
  const p = names.length;
  if (values.length !== chains * draws * p) {
    throw new Error(`Posterior: ${values.length} values for ${chains} chains x ${draws} draws x ${p} parameters.`);
  }
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    names,
    chains,
    draws,
    values,
    column(name) {
      const j = index.get(name);
      if (j === undefined) throw new Error(`Posterior has no parameter '${name}'.`);
      const out = new Float64Array(chains * draws);
      for (let k = 0; k < chains * draws; k++) out[k] = values[k * p + j];
      return out;
    },
  };
}
