/**
 * The compact trace a run keeps for trace and rank plots (ArviZ `plot_trace`, `plot_rank`; rank
 * plots after Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021, section 4): a few chains of
 * thinned draws of the first parameters, plus rank histograms computed from the full posterior.
 */
import type { RunTrace } from '../api/types';
import { poolRanks } from './diagnostics';
import { thinStep } from './thin';
import type { Posterior } from './types';

/**
 * What a run keeps. 40 parameters x 8 chains x 250 draws = 80,000 numbers: 0.75 MB in IndexedDB
 * (a double takes 9 bytes in a structured clone) and 0.9-1.05 MB as JSON (float32 decimals of 8-9
 * digits), checked in `test/unit/engine/trace.test.ts`.
 */
export const TRACE_LIMITS = {
  chains: 8,
  draws: 250,
  params: 40,
  /** Rank-histogram bins (fewer when a chain has fewer draws, so each bin expects one or more). */
  rankBins: 20,
} as const;

export type TraceLimits = { readonly [K in keyof typeof TRACE_LIMITS]: number };

/**
 * `v` rounded to float32 and written as the shortest decimal that reads back as the same float32
 * (as numpy prints a float32), so JSON stays short; null when `v` is not finite.
 */
export function toFloat32Decimal(v: number): number | null {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return null;
  // A shorter decimal that reads back as f is also f's six-digit rounding (with trailing zeros,
  // which Number() drops), so the search starts at six digits.
  for (let digits = 6; digits < 9; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return d;
  }
  return Number(f.toPrecision(9));
}

/**
 * Per-chain rank histograms of one parameter: `x` holds all draws chain after chain; every draw is
 * ranked among all of them, and the first `keepChains` chains' ranks are counted in `bins` equal
 * slices of 1..x.length. Returns `counts[chain][bin]`; each row sums to the draws per chain.
 */
export function rankHistograms(x: ArrayLike<number>, chains: number, keepChains: number, bins: number): number[][] {
  const n = x.length;
  const draws = Math.floor(n / chains);
  const ranks = poolRanks(x);
  return Array.from({ length: Math.min(keepChains, chains) }, (_, c) => {
    const counts = new Array<number>(bins).fill(0);
    for (let i = c * draws; i < (c + 1) * draws; i++) {
      // Rank r in 1..n goes to bin floor((r - 1) bins / n): bins of n / bins ranks each.
      counts[Math.min(bins - 1, Math.floor(((ranks[i] - 1) * bins) / n))]++;
    }
    return counts;
  });
}

/**
 * The `keep` parameters a trace holds when there are more: those with the worst R-hat (a
 * non-computable one first), in the posterior's own order; without R-hats, the first ones.
 */
export function traceParameters(names: readonly string[], keep: number, rhats?: Readonly<Record<string, { rhat: number }>>): string[] {
  if (names.length <= keep) return [...names];
  if (!rhats) return names.slice(0, keep);
  const badness = (n: string) => {
    const r = rhats[n]?.rhat;
    return r === undefined ? -Infinity : Number.isFinite(r) ? r : Infinity;
  };
  const worst = new Set([...names].sort((a, b) => badness(b) - badness(a)).slice(0, keep));
  return names.filter((n) => worst.has(n));
}

/**
 * The compact trace of `posterior` (see `RunTrace`), within `limits`. With the run's summaries,
 * a run of more than `limits.params` parameters keeps those with the worst R-hat, so the plots can
 * show the parameter that failed.
 */
export function compactTrace(
  posterior: Posterior,
  summaries?: Readonly<Record<string, { rhat: number }>>,
  limits: TraceLimits = TRACE_LIMITS,
): RunTrace {
  const { chains, draws } = posterior;
  const keptChains = Math.min(chains, limits.chains);
  const thin = thinStep(draws, limits.draws);
  const keptDraws = Math.ceil(draws / thin);
  const bins = Math.max(1, Math.min(limits.rankBins, draws));
  const names = traceParameters(posterior.names, limits.params, summaries);
  const params: RunTrace['params'] = {};
  const ranks: RunTrace['ranks'] = {};
  for (const name of names) {
    const x = posterior.column(name);
    params[name] = Array.from({ length: keptChains }, (_, c) =>
      Array.from({ length: keptDraws }, (_, i) => toFloat32Decimal(x[c * draws + i * thin])),
    );
    ranks[name] = { bins, counts: rankHistograms(x, chains, keptChains, bins) };
  }
  return { chains: keptChains, draws: keptDraws, thin, params, ranks, omitted: posterior.names.length - names.length };
}
