/**
 * The studio's colours, for charts and pages alike: one palette for series, one colour per name
 * (a run's channels, its cohorts) wherever the name is drawn, and the few named colours that mean
 * the same thing everywhere. Pages' styles read the named ones as CSS variables (`--danger`, set on
 * the studio's root in App.svelte to the same value); charts, which are exported as standalone
 * SVG, take them from here.
 */
import * as d3 from 'd3';

/** Category-10 colours (Tableau 10), in the order series are given. */
export const PALETTE: readonly string[] = d3.schemeTableau10;

/** What needs attention: failed checks, errors, thresholds to watch (CSS `--danger`). */
export const DANGER = '#b42318';
/** Observed data and ink on the chart (the actual series, whiskers). */
export const INK = '#1f2328';
/** Secondary data: raw points, a population beside its parts (CSS `--muted`). */
export const MUTED = '#57606a';
/** References: zero lines, priors, the current plan beside the optimised one. */
export const NEUTRAL = '#8c959f';

/** The colour of the k-th series (the palette repeats after ten). */
export function seriesColor(k: number): string {
  return PALETTE[k % PALETTE.length];
}

/**
 * One colour per name, by the order of `names` (a run's channels, then anything else drawn beside
 * them): every chart of a run that colours by the same list gives a channel the same colour.
 * A name not in the list gets the neutral colour.
 */
export function colorsByName(names: readonly string[]): (name: string) => string {
  const index = new Map<string, number>();
  for (const n of names) if (!index.has(n)) index.set(n, index.size);
  return (name) => {
    const k = index.get(name);
    return k === undefined ? NEUTRAL : seriesColor(k);
  };
}
