/**
 * Serialisable priors, named and parametrised as PyMC names them. A prior is plain data (it
 * round-trips through JSON and IndexedDB); tensors appear only when a log density is built
 * (`priorLogProb` in distributions.ts).
 */
import { InputError } from '../api/errors';

export type Prior =
  | { dist: 'Normal'; mu: number; sigma: number }
  | { dist: 'HalfNormal'; sigma: number }
  | { dist: 'StudentT'; nu: number; mu: number; sigma: number }
  | { dist: 'HalfStudentT'; nu: number; sigma: number }
  | { dist: 'Cauchy'; alpha: number; beta: number }
  | { dist: 'HalfCauchy'; beta: number }
  | { dist: 'Laplace'; mu: number; b: number }
  /** Shape alpha, rate beta. */
  | { dist: 'Gamma'; alpha: number; beta: number }
  /** Shape alpha, scale beta. */
  | { dist: 'InverseGamma'; alpha: number; beta: number }
  | { dist: 'Beta'; alpha: number; beta: number }
  | { dist: 'LogNormal'; mu: number; sigma: number }
  /** Rate lam. */
  | { dist: 'Exponential'; lam: number }
  /** Shape alpha, scale beta. */
  | { dist: 'Weibull'; alpha: number; beta: number }
  | { dist: 'Uniform'; lower: number; upper: number }
  | { dist: 'TruncatedNormal'; mu: number; sigma: number; lower: number; upper: number }
  /** On the simplex; its size is `a.length`. */
  | { dist: 'Dirichlet'; a: number[] }
  /** Improper, on the real line: adds nothing to the log density. */
  | { dist: 'Flat' }
  /** Improper, on the positive half-line: adds nothing to the log density. */
  | { dist: 'HalfFlat' };

export type DistName = Prior['dist'];

/** Where a parameter lives, which picks its bijector from the unconstrained space. */
export type Support = 'real' | 'positive' | 'unit' | { lower: number; upper: number } | 'simplex';

/** The parameters each distribution takes, and which of them must be strictly positive. */
const PARAMS: Record<DistName, { names: readonly string[]; positive: readonly string[] }> = {
  Normal: { names: ['mu', 'sigma'], positive: ['sigma'] },
  HalfNormal: { names: ['sigma'], positive: ['sigma'] },
  StudentT: { names: ['nu', 'mu', 'sigma'], positive: ['nu', 'sigma'] },
  HalfStudentT: { names: ['nu', 'sigma'], positive: ['nu', 'sigma'] },
  Cauchy: { names: ['alpha', 'beta'], positive: ['beta'] },
  HalfCauchy: { names: ['beta'], positive: ['beta'] },
  Laplace: { names: ['mu', 'b'], positive: ['b'] },
  Gamma: { names: ['alpha', 'beta'], positive: ['alpha', 'beta'] },
  InverseGamma: { names: ['alpha', 'beta'], positive: ['alpha', 'beta'] },
  Beta: { names: ['alpha', 'beta'], positive: ['alpha', 'beta'] },
  LogNormal: { names: ['mu', 'sigma'], positive: ['sigma'] },
  Exponential: { names: ['lam'], positive: ['lam'] },
  Weibull: { names: ['alpha', 'beta'], positive: ['alpha', 'beta'] },
  Uniform: { names: ['lower', 'upper'], positive: [] },
  TruncatedNormal: { names: ['mu', 'sigma', 'lower', 'upper'], positive: ['sigma'] },
  Dirichlet: { names: ['a'], positive: [] },
  Flat: { names: [], positive: [] },
  HalfFlat: { names: [], positive: [] },
};

/** Names of every distribution a prior may use. */
export const DIST_NAMES = Object.keys(PARAMS) as DistName[];

/**
 * Checks an untrusted value (user config, JSON) is a valid prior and returns it typed.
 * `where` names the setting in the error, e.g. `priors.adstock_alpha`.
 */
export function validatePrior(p: unknown, where: string): Prior {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    throw new InputError(`${where}: a prior must be an object like { "dist": "Normal", "mu": 0, "sigma": 1 }.`);
  }
  const rec = p as Record<string, unknown>;
  const dist = rec.dist;
  if (typeof dist !== 'string' || !(dist in PARAMS)) {
    throw new InputError(`${where}: unknown distribution ${JSON.stringify(dist)}; expected one of ${DIST_NAMES.join(', ')}.`);
  }
  const spec = PARAMS[dist as DistName];
  for (const key of Object.keys(rec)) {
    if (key !== 'dist' && !spec.names.includes(key)) {
      throw new InputError(`${where}: ${dist} has no parameter '${key}' (it takes ${spec.names.join(', ') || 'none'}).`);
    }
  }
  if (dist === 'Dirichlet') {
    const a = rec.a;
    if (!Array.isArray(a) || a.length < 2 || !a.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new InputError(`${where}: Dirichlet needs 'a', a list of at least 2 positive numbers.`);
    }
    return { dist: 'Dirichlet', a: [...(a as number[])] };
  }
  for (const name of spec.names) {
    const v = rec[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(`${where}: ${dist} needs a finite number for '${name}', got ${JSON.stringify(v)}.`);
    }
    if (spec.positive.includes(name) && !(v > 0)) {
      throw new InputError(`${where}: ${dist} needs '${name}' > 0, got ${v}.`);
    }
  }
  if ((dist === 'Uniform' || dist === 'TruncatedNormal') && !((rec.lower as number) < (rec.upper as number))) {
    throw new InputError(`${where}: ${dist} needs lower < upper.`);
  }
  return { ...(rec as Prior) };
}

/**
 * User priors merged over a copy of the defaults. A user key that names no parameter is an error
 * (a typo must not silently keep the default).
 */
export function mergePriors(
  defaults: Record<string, Prior>,
  user: Record<string, unknown> | undefined,
): Record<string, Prior> {
  const out: Record<string, Prior> = { ...defaults };
  if (user === undefined) return out;
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new InputError('priors: expected an object mapping parameter names to priors.');
  }
  for (const [key, value] of Object.entries(user)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new InputError(`priors: unknown prior '${key}'; expected one of ${Object.keys(defaults).join(', ')}.`);
    }
    out[key] = validatePrior(value, `priors.${key}`);
  }
  return out;
}

/** The support of a prior's distribution. */
export function priorSupport(p: Prior): Support {
  switch (p.dist) {
    case 'Normal':
    case 'StudentT':
    case 'Cauchy':
    case 'Laplace':
    case 'Flat':
      return 'real';
    case 'HalfNormal':
    case 'HalfStudentT':
    case 'HalfCauchy':
    case 'Gamma':
    case 'InverseGamma':
    case 'LogNormal':
    case 'Exponential':
    case 'Weibull':
    case 'HalfFlat':
      return 'positive';
    case 'Beta':
      return 'unit';
    case 'Uniform':
    case 'TruncatedNormal':
      return { lower: p.lower, upper: p.upper };
    case 'Dirichlet':
      return 'simplex';
  }
}

/**
 * A finite, central value inside the support (the mean where it exists, else the median or a
 * unit default), used for initial points. For a Dirichlet it is the first element's mean.
 */
export function priorMean(p: Prior): number {
  switch (p.dist) {
    case 'Normal':
    case 'StudentT':
    case 'Laplace':
      return p.mu;
    case 'Cauchy':
      return p.alpha;
    case 'HalfNormal':
      return p.sigma * Math.sqrt(2 / Math.PI);
    case 'HalfStudentT':
    case 'HalfCauchy':
      return 'sigma' in p ? p.sigma : p.beta;
    case 'Gamma':
      return p.alpha / p.beta;
    case 'InverseGamma':
      return p.alpha > 1 ? p.beta / (p.alpha - 1) : p.beta / p.alpha;
    case 'Beta':
      return p.alpha / (p.alpha + p.beta);
    case 'LogNormal':
      return Math.exp(p.mu);
    case 'Exponential':
      return 1 / p.lam;
    case 'Weibull':
      return p.beta * Math.pow(Math.LN2, 1 / p.alpha);
    case 'Uniform':
      return 0.5 * (p.lower + p.upper);
    case 'TruncatedNormal':
      return Math.min(Math.max(p.mu, p.lower + 0.1 * (p.upper - p.lower)), p.upper - 0.1 * (p.upper - p.lower));
    case 'Dirichlet':
      return p.a[0] / p.a.reduce((s, v) => s + v, 0);
    case 'Flat':
      return 0;
    case 'HalfFlat':
      return 1;
  }
}
