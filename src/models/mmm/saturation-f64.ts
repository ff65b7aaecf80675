/**
 * Saturation (diminishing returns) functions in float64 with no tfjs, as PyMC-Marketing's
 * `SaturationTransformation.function`s: each includes its own scale parameter (the channel's
 * maximum contribution on the max-scaled target), so `f(x, params)` is the channel contribution
 * of adstocked, max-scaled spend x >= 0. The tensor forms are in saturation.ts.
 */

/** The saturation kinds, by PyMC-Marketing `lookup_name`. */
export type SaturationKind = 'logistic' | 'hill' | 'michaelis_menten' | 'tanh';

/** Every saturation kind, in the order the UI lists them. */
export const SATURATION_KINDS: readonly SaturationKind[] = ['logistic', 'hill', 'michaelis_menten', 'tanh'];

/** beta (1 - e^(-lam x)) / (1 + e^(-lam x)) = beta tanh(lam x / 2). */
export function logisticF64(x: number, p: { lam: number; beta: number }): number {
  return p.beta * Math.tanh((p.lam * x) / 2);
}

/** beta (1 - kappa^slope / (kappa^slope + x^slope)) = beta x^s / (x^s + kappa^s). */
export function hillF64(x: number, p: { slope: number; kappa: number; beta: number }): number {
  if (x <= 0) return 0;
  return p.beta / (1 + Math.pow(p.kappa / x, p.slope));
}

/** alpha x / (lam + x). */
export function michaelisMentenF64(x: number, p: { alpha: number; lam: number }): number {
  return (p.alpha * x) / (p.lam + x);
}

/** b tanh(x / (b c)): saturates at b; c is the cost per unit of response at zero spend. */
export function tanhF64(x: number, p: { b: number; c: number }): number {
  return p.b * Math.tanh(x / (p.b * p.c));
}

/** The float64 function of each kind; parameters by PyMC-Marketing name. */
export const SATURATION_F64: Record<SaturationKind, (x: number, p: Record<string, number>) => number> = {
  logistic: (x, p) => logisticF64(x, { lam: p.lam, beta: p.beta }),
  hill: (x, p) => hillF64(x, { slope: p.slope, kappa: p.kappa, beta: p.beta }),
  michaelis_menten: (x, p) => michaelisMentenF64(x, { alpha: p.alpha, lam: p.lam }),
  tanh: (x, p) => tanhF64(x, { b: p.b, c: p.c }),
};
