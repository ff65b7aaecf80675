/** Test helper: simulated AR(1) noise for the power and design checks. */
import type { Rng } from '../../../../src/engine/rng';

/** A stationary AR(1) series with lag-1 correlation phi and marginal sd `sd`. */
export function ar1Series(rng: Rng, m: number, phi: number, sd: number): Float64Array {
  const e = new Float64Array(m);
  e[0] = sd * rng.normal();
  const innovation = sd * Math.sqrt(1 - phi * phi);
  for (let t = 1; t < m; t++) e[t] = phi * e[t - 1] + innovation * rng.normal();
  return e;
}
