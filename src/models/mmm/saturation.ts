/**
 * Saturation (diminishing returns) components as PyMC-Marketing's `mmm/components/saturation.py`,
 * on the adstocked, max-scaled channel. As there, each function includes the channel's scale
 * parameter (`beta` for logistic and Hill, `alpha` for Michaelis-Menten, `b` for tanh): `f(x, p)`
 * is the channel's contribution on the max-scaled target of adstocked, max-scaled spend x >= 0.
 *
 * Each kind is one descriptor `{ kind, prefix, parameters, defaultPriors, scaleParam, f64 }` whose
 * prior keys are exactly its parameters (checked by a test). Defaults are PyMC-Marketing's
 * (Gamma(mu, sigma) priors written in shape/rate form: alpha = mu^2/sigma^2, beta = mu/sigma^2).
 * No tfjs here; the tensor forms are in saturation-tensor.ts.
 */
import type { Prior } from '../../engine/priors';

/** The saturation kinds, by PyMC-Marketing `lookup_name`. */
export type SaturationKind = 'logistic' | 'hill' | 'michaelis_menten' | 'tanh';

/** One saturation kind, without tfjs. */
export interface SaturationDescriptor {
  readonly kind: SaturationKind;
  readonly prefix: 'saturation';
  /** Parameter names in layout order; the model names them `saturation_${name}`. */
  readonly parameters: readonly string[];
  /** Default priors keyed by parameter name. */
  readonly defaultPriors: Readonly<Record<string, Prior>>;
  /** The parameter that scales the channel's contribution (its maximum on the scaled target). */
  readonly scaleParam: string;
  /** The contribution of x >= 0 at parameters `p`, in float64. */
  f64(x: number, p: Readonly<Record<string, number>>): number;
}

/** beta (1 - e^(-lam x)) / (1 + e^(-lam x)) = beta tanh(lam x / 2). */
export const logisticSaturation: SaturationDescriptor = {
  kind: 'logistic',
  prefix: 'saturation',
  parameters: ['lam', 'beta'],
  defaultPriors: { lam: { dist: 'Gamma', alpha: 3, beta: 1 }, beta: { dist: 'HalfNormal', sigma: 2 } },
  scaleParam: 'beta',
  f64: (x, { lam, beta }) => beta * Math.tanh((lam * x) / 2),
};

/** Hill: beta x^slope / (x^slope + kappa^slope) = beta (1 - kappa^slope / (kappa^slope + x^slope)). */
export const hillSaturation: SaturationDescriptor = {
  kind: 'hill',
  prefix: 'saturation',
  parameters: ['slope', 'kappa', 'beta'],
  defaultPriors: {
    slope: { dist: 'HalfNormal', sigma: 1.5 },
    kappa: { dist: 'HalfNormal', sigma: 1.5 },
    beta: { dist: 'HalfNormal', sigma: 1.5 },
  },
  scaleParam: 'beta',
  f64: (x, { slope, kappa, beta }) => (x <= 0 ? 0 : beta / (1 + Math.pow(kappa / x, slope))),
};

/** Michaelis-Menten alpha x / (lam + x): alpha is the maximum contribution, lam the half-saturation spend. */
export const michaelisMentenSaturation: SaturationDescriptor = {
  kind: 'michaelis_menten',
  prefix: 'saturation',
  parameters: ['alpha', 'lam'],
  defaultPriors: { alpha: { dist: 'Gamma', alpha: 4, beta: 2 }, lam: { dist: 'HalfNormal', sigma: 1 } },
  scaleParam: 'alpha',
  f64: (x, { alpha, lam }) => (alpha * x) / (lam + x),
};

/** b tanh(x / (b c)): saturates at b; 1/c is the response per unit of (scaled) spend at zero. */
export const tanhSaturation: SaturationDescriptor = {
  kind: 'tanh',
  prefix: 'saturation',
  parameters: ['b', 'c'],
  defaultPriors: { b: { dist: 'HalfNormal', sigma: 1 }, c: { dist: 'HalfNormal', sigma: 1 } },
  scaleParam: 'b',
  f64: (x, { b, c }) => b * Math.tanh(x / (b * c)),
};

/** Saturation descriptors by kind. */
export const SATURATIONS: Readonly<Record<SaturationKind, SaturationDescriptor>> = {
  logistic: logisticSaturation,
  hill: hillSaturation,
  michaelis_menten: michaelisMentenSaturation,
  tanh: tanhSaturation,
};

/** Every saturation kind, in the order the forms list them. */
export const SATURATION_KINDS = Object.keys(SATURATIONS) as readonly SaturationKind[];
