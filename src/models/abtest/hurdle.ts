/**
 * The A/B test's hurdle model of revenue per customer, fitted with the engine (MAP + Laplace or
 * MCMC). Customer i, treated t_i (0 or 1), in segment s_i, with standardised pre-period covariates x_i:
 *
 *   buys_i  ~ Bernoulli(p_i),   logit p_i = logit(p̄) + a_s + b · x_i + t_i u_s
 *   spend_i | buys_i ~ Gamma(shape k, mean m_i)  or  LogNormal(log m_i, sigma),
 *            log m_i = log(s̄) + c_s + d · x_i + t_i v_s      (spend_i = revenue_i / s̄ > 0)
 *
 * p̄ is the share of customers who buy and s̄ the mean spend of a buyer (offsets, so the intercepts
 * start at 0). With segments each has its own baseline (a_s, c_s: every segment's own customers
 * pin it down) and the uplifts are partially pooled, non-centred: u_s = u + sd_u (w_s - mean(w)),
 * v_s = v + sd_v (w'_s - mean(w')) (w, w' ~ N(0, 1)), so a small segment's uplift is drawn toward the
 * overall one. The deviations are centred so that u is the segments' mean uplift: uncentred, u and
 * the w's trade off along a ridge that no Laplace approximation and few chains get right. Without
 * segments there is one baseline and one uplift per part.
 *
 * Each part's log likelihood is one matMul of the coefficients [baselines, covariate slopes,
 * uplifts] by a fixed design [one-hot segment, x, t × one-hot segment] and a few elementwise ops,
 * batched over chains; the Bernoulli and Gamma parts carry their gradients written by hand, and the
 * Normal, half-normal and Gamma priors of all parameters are two batched ops (every op is a kernel dispatch
 * per leapfrog step).
 */
import * as tf from '@tensorflow/tfjs';
import { compileModel, type LogLikelihood, type ParamDef } from '../../engine/model';
import { priorMean, type Prior } from '../../engine/priors';
import { digamma, lgamma } from '../../engine/special';
import { lgammaF64 } from '../../engine/special-f64';
import type { CompiledModel, Posterior } from '../../engine/types';
import type { AbTestData } from './input';

/** The buyer's spend distribution. */
export type SpendKind = 'gamma' | 'lognormal';

/**
 * Default priors, on the log-odds of buying and the log of mean spend (covariates standardised). A
 * log-odds uplift of ±2 or a spend ratio of e^±1 is the edge of plausible for an incentive. The
 * spread of the uplift across segments has a Gamma(2, rate) prior (mean 0.4 on the log-odds, 0.2 on
 * log spend), zero at a spread of 0: a few segments cannot estimate a spread, and a prior with mass
 * at 0 (half-normal) gives its log, the sampler's coordinate, a long left tail the chains mix slowly
 * in (Chung et al. 2013, boundary-avoiding priors for group-level scales).
 */
export const ABTEST_PRIORS: Readonly<Record<string, Prior>> = {
  buy_intercept: { dist: 'Normal', mu: 0, sigma: 1.5 },
  buy_uplift: { dist: 'Normal', mu: 0, sigma: 1 },
  buy_beta: { dist: 'Normal', mu: 0, sigma: 1 },
  buy_uplift_sd: { dist: 'Gamma', alpha: 2, beta: 5 },
  spend_intercept: { dist: 'Normal', mu: 0, sigma: 1 },
  spend_uplift: { dist: 'Normal', mu: 0, sigma: 0.5 },
  spend_beta: { dist: 'Normal', mu: 0, sigma: 0.5 },
  spend_uplift_sd: { dist: 'Gamma', alpha: 2, beta: 10 },
  spend_shape: { dist: 'Gamma', alpha: 2, beta: 1 },
  spend_sigma: { dist: 'HalfNormal', sigma: 1.5 },
};

/** One part (buying, or spend) of the hurdle: its rows and design. */
interface Part {
  prefix: 'buy' | 'spend';
  /** Rows (customers) it is fitted on. */
  rows: number[];
  offset: number;
}

/** What the hurdle is fitted on and how its draws are read. */
export interface Hurdle {
  model: CompiledModel;
  spend?: { kind: SpendKind; scale: number };
  segments: number;
  covariates: number;
  buyOffset: number;
}

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * The parameters of one part: a baseline per segment (each segment's data pin its own down, so they
 * are not pooled), covariate slopes, and the uplift, partially pooled across segments (non-centred).
 */
function partParams(prefix: string, data: AbTestData, priors: Record<string, Prior>): ParamDef[] {
  const segments = data.segments.length;
  const pooled = segments > 1;
  const p: ParamDef[] = [
    { name: `${prefix}_intercept`, prior: priors[`${prefix}_intercept`], ...(pooled ? { size: segments, labels: data.segments } : {}) },
    { name: `${prefix}_uplift`, prior: priors[`${prefix}_uplift`] },
  ];
  if (data.covariates.length > 0) p.push({ name: `${prefix}_beta`, prior: priors[`${prefix}_beta`], size: data.covariates.length, labels: data.covariateNames });
  if (pooled) {
    p.push(
      { name: `${prefix}_uplift_sd`, prior: priors[`${prefix}_uplift_sd`], init: [0.1] },
      { name: `${prefix}_uplift_z`, prior: { dist: 'Normal', mu: 0, sigma: 1 }, size: segments, labels: data.segments, internal: true, init: new Array<number>(segments).fill(0) },
    );
  }
  return p;
}

/** The transposed design [S baselines | K covariates | S uplifts] x rows of a part. */
function designT(data: AbTestData, rows: readonly number[], segments: number): tf.Tensor2D {
  const k = data.covariates.length;
  const p = 2 * segments + k;
  const n = rows.length;
  const x = new Float32Array(p * n);
  rows.forEach((i, j) => {
    const s = segments > 1 ? data.segment[i] : 0;
    x[s * n + j] = 1;
    for (let c = 0; c < k; c++) x[(segments + c) * n + j] = data.covariates[c][i];
    if (data.treated[i]) x[(segments + k + s) * n + j] = 1;
  });
  return tf.tensor2d(x, [p, n]);
}

/** The coefficients [baselines | slopes | uplifts] of a part, [chains, 2S + K]. */
function coefficients(values: Record<string, tf.Tensor2D>, prefix: string, segments: number, covariates: number): tf.Tensor2D {
  const v = (name: string) => values[`${prefix}_${name}`];
  // The segments' deviations are centred (sum to zero), so the overall uplift is their mean, not traded against them.
  const z = segments > 1 ? v('uplift_z') : undefined;
  const uplift = z ? tf.add(v('uplift'), tf.mul(v('uplift_sd'), tf.sub(z, tf.mean(z, 1, true)))) : v('uplift');
  return tf.concat([v('intercept'), ...(covariates > 0 ? [v('beta')] : []), uplift as tf.Tensor2D], 1);
}

/**
 * The Normal, half-normal and Gamma priors of `params`, taken out of the engine's one-prior-per-
 * parameter path and evaluated as two batched ops: each such parameter keeps its support (Flat or
 * HalfFlat, so the same bijector) and its starting value, and its prior is added by the returned
 * function. Any other prior (a user's StudentT, say) stays with the parameter.
 */
function batchPriors(params: ParamDef[]): (values: Record<string, tf.Tensor2D>) => tf.Tensor1D | undefined {
  const normal = { names: [] as string[], mu: [] as number[], invSigma: [] as number[] };
  const gamma = { names: [] as string[], alphaM1: [] as number[], beta: [] as number[] };
  let constant = 0;
  for (const p of params) {
    const prior = p.prior;
    const size = p.size ?? 1;
    if (prior.dist === 'Normal' || prior.dist === 'HalfNormal') {
      normal.names.push(p.name);
      for (let i = 0; i < size; i++) {
        normal.mu.push(prior.dist === 'Normal' ? prior.mu : 0);
        normal.invSigma.push(1 / prior.sigma);
      }
      // log N(x; m, s) = -0.5 ((x - m) / s)^2 - log s - 0.5 log 2 pi; the half-normal adds log 2 on x > 0.
      constant += size * (-Math.log(prior.sigma) - 0.5 * Math.log(2 * Math.PI) + (prior.dist === 'HalfNormal' ? Math.LN2 : 0));
    } else if (prior.dist === 'Gamma') {
      gamma.names.push(p.name);
      for (let i = 0; i < size; i++) {
        gamma.alphaM1.push(prior.alpha - 1);
        gamma.beta.push(prior.beta);
      }
      // log Gamma(x; a, rate b) = a log b - lgamma a + (a - 1) log x - b x.
      constant += size * (prior.alpha * Math.log(prior.beta) - lgammaF64(prior.alpha));
    } else continue;
    p.init ??= new Array<number>(size).fill(priorMean(prior));
    p.prior = prior.dist === 'Normal' ? { dist: 'Flat' } : { dist: 'HalfFlat' };
  }
  const row = (v: number[]) => tf.tensor2d(v, [1, v.length]);
  const joined = (values: Record<string, tf.Tensor2D>, names: string[]) => (names.length === 1 ? values[names[0]] : tf.concat(names.map((n) => values[n]), 1));
  const normalTerm = normal.names.length
    ? ((mu: tf.Tensor2D, invSigma: tf.Tensor2D) => (values: Record<string, tf.Tensor2D>) => tf.mul(-0.5, tf.sum(tf.square(tf.mul(tf.sub(joined(values, normal.names), mu), invSigma)), 1)))(row(normal.mu), row(normal.invSigma))
    : undefined;
  const gammaTerm = gamma.names.length
    ? ((alphaM1: tf.Tensor2D, beta: tf.Tensor2D) => (values: Record<string, tf.Tensor2D>) => {
        const x = joined(values, gamma.names);
        return tf.sum(tf.sub(tf.mul(alphaM1, tf.log(x)), tf.mul(beta, x)), 1);
      })(row(gamma.alphaM1), row(gamma.beta))
    : undefined;
  if (!normalTerm && !gammaTerm) return () => undefined;
  return (values) => {
    const terms = [normalTerm?.(values), gammaTerm?.(values)].filter((t): t is tf.Tensor => t !== undefined);
    return tf.add(terms.length === 2 ? tf.add(terms[0], terms[1]) : terms[0], constant) as tf.Tensor1D;
  };
}

/**
 * Bernoulli log likelihood on the log-odds eta = coef · xT + offset, summed over rows per chain, with
 * its gradient by hand (d/d coef = (y - sigmoid eta) xT'): four kernels back instead of the tape's
 * chain through softplus, mul, sub and sum.
 */
function bernoulliLogLik(xT: tf.Tensor2D, y: tf.Tensor2D, offset: number): (coef: tf.Tensor2D) => tf.Tensor1D {
  const op = (coef: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
    const eta = tf.add(tf.matMul(coef, xT), offset);
    save([eta]);
    return {
      value: tf.sum(tf.sub(tf.mul(y, eta), tf.softplus(eta)), 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.reshape(dy, [-1, 1]), tf.matMul(tf.sub(y, tf.sigmoid(saved[0])), xT, false, true)),
    };
  };
  return tf.customGrad(op as never) as unknown as (coef: tf.Tensor2D) => tf.Tensor1D;
}

/**
 * Gamma log likelihood of spends y (shape a, mean e^mu, mu = coef · xT) summed per chain:
 * n (a log a - lgamma a) + (a - 1) sum log y - a (sum mu + sum y e^-mu), with its gradient by hand:
 * d/d coef = a (y e^-mu - 1) xT', d/da = n (log a + 1 - digamma a) + sum log y - (sum mu + sum y e^-mu).
 */
function gammaLogLik(xT: tf.Tensor2D, y: tf.Tensor2D, sumLogY: number): (coef: tf.Tensor2D, shape: tf.Tensor2D) => tf.Tensor1D {
  const n = y.shape[1];
  const op = (coef: tf.Tensor2D, shape: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
    const mu = tf.matMul(coef, xT);
    const yOverM = tf.mul(y, tf.exp(tf.neg(mu)));
    const fit = tf.add(tf.sum(mu, 1, true), tf.sum(yOverM, 1, true));
    save([yOverM, fit, shape]);
    const a = shape;
    const value = tf.add(tf.mul(n, tf.sub(tf.mul(a, tf.log(a)), lgamma(a))), tf.sub(tf.mul(tf.sub(a, 1), sumLogY), tf.mul(a, fit)));
    return {
      value: tf.reshape(value, [-1]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ym, f, a2] = saved;
        const d = tf.reshape(dy, [-1, 1]);
        const dCoef = tf.mul(tf.mul(d, a2), tf.matMul(tf.sub(ym, 1), xT, false, true));
        const dShape = tf.mul(d, tf.sub(tf.add(tf.mul(n, tf.sub(tf.log(a2), tf.sub(digamma(a2), 1))), sumLogY), f));
        return [dCoef, dShape];
      },
    };
  };
  return tf.customGrad(op as never) as unknown as (coef: tf.Tensor2D, shape: tf.Tensor2D) => tf.Tensor1D;
}

/** The hurdle model of `data` (the spend part only when there is revenue). */
export function hurdleModel(data: AbTestData, priors: Record<string, Prior>, spendKind: SpendKind): Hurdle {
  const segments = Math.max(data.segments.length, 1);
  const k = data.covariates.length;
  const all = Array.from({ length: data.n }, (_, i) => i);
  let buyers = 0;
  for (const c of data.converted) buyers += c;
  const share = Math.min(Math.max(buyers / data.n, 0.5 / data.n), 1 - 0.5 / data.n);
  const buy: Part = { prefix: 'buy', rows: all, offset: logit(share) };
  const params = partParams('buy', data, priors);
  const buyX = designT(data, all, segments);
  const buyY = tf.tensor2d(Float32Array.from(data.converted), [1, data.n]);

  let spend: (Part & { logY: tf.Tensor2D; y: tf.Tensor2D; sumLogY: number; kind: SpendKind; scale: number; xT: tf.Tensor2D }) | undefined;
  if (data.revenue) {
    const revenue = data.revenue;
    const rows = all.filter((i) => revenue[i] > 0);
    const scale = rows.reduce((s, i) => s + revenue[i], 0) / rows.length;
    const y = Float32Array.from(rows, (i) => revenue[i] / scale);
    const logY = y.map(Math.log);
    spend = {
      prefix: 'spend',
      rows,
      offset: 0,
      kind: spendKind,
      scale,
      xT: designT(data, rows, segments),
      y: tf.tensor2d(y, [1, rows.length]),
      logY: tf.tensor2d(logY, [1, rows.length]),
      sumLogY: logY.reduce((s, v) => s + v, 0),
    };
    params.push(...partParams('spend', data, priors));
    params.push(spendKind === 'gamma' ? { name: 'spend_shape', prior: priors.spend_shape, init: [1] } : { name: 'spend_sigma', prior: priors.spend_sigma, init: [1] });
  }

  const logPrior = batchPriors(params);
  const buyLogLik = bernoulliLogLik(buyX, buyY, buy.offset);
  const spendGamma = spend?.kind === 'gamma' ? gammaLogLik(spend.xT, spend.y, spend.sumLogY) : undefined;
  const logLik: LogLikelihood = (values) => {
    let ll = buyLogLik(coefficients(values, 'buy', segments, k));
    const prior = logPrior(values);
    if (prior) ll = tf.add(ll, prior) as tf.Tensor1D;
    if (spend) {
      const nb = spend.rows.length;
      const coef = coefficients(values, 'spend', segments, k);
      if (spendGamma) {
        ll = tf.add(ll, spendGamma(coef, values.spend_shape)) as tf.Tensor1D;
      } else {
        // log y ~ Normal(log m - sigma^2 / 2, sigma), so that m is the mean spend; the Jacobian -sum log y is a constant.
        const mu = tf.matMul(coef, spend.xT);
        const sigma = values.spend_sigma;
        const z = tf.div(tf.sub(spend.logY, tf.sub(mu, tf.mul(0.5, tf.square(sigma)))), sigma);
        const quad = tf.mul(-0.5, tf.sum(tf.square(z), 1));
        ll = tf.add(ll, tf.sub(quad, tf.mul(nb, tf.reshape(tf.log(sigma), [-1])))) as tf.Tensor1D;
      }
    }
    return ll;
  };

  return {
    model: compileModel(params, logLik),
    ...(spend ? { spend: { kind: spend.kind, scale: spend.scale } } : {}),
    segments,
    covariates: k,
    buyOffset: buy.offset,
  };
}

/** One part's coefficients at one draw: baselines and uplifts per segment, covariate slopes. */
interface PartDraw {
  base: Float64Array;
  uplift: Float64Array;
  beta: Float64Array;
}

function partDraw(posterior: Posterior, cols: Map<string, Float64Array>, prefix: string, data: AbTestData, d: number): PartDraw {
  const col = (name: string) => {
    let c = cols.get(name);
    if (!c) cols.set(name, (c = posterior.column(name)));
    return c[d];
  };
  const labels = data.segments;
  const segments = Math.max(labels.length, 1);
  const base = new Float64Array(segments);
  const uplift = new Float64Array(segments);
  const z = labels.map((l) => col(`${prefix}_uplift_z[${l}]`));
  const zMean = z.reduce((a, b) => a + b, 0) / Math.max(z.length, 1);
  for (let s = 0; s < segments; s++) {
    base[s] = col(segments > 1 ? `${prefix}_intercept[${labels[s]}]` : `${prefix}_intercept`);
    uplift[s] = col(`${prefix}_uplift`) + (segments > 1 ? col(`${prefix}_uplift_sd`) * (z[s] - zMean) : 0);
  }
  const beta = Float64Array.from(data.covariateNames, (name) => col(`${prefix}_beta[${name}]`));
  return { base, uplift, beta };
}

/** Per draw, averaged over every customer of each segment (and over all of them): buying and revenue with and without the incentive. */
export interface HurdleDraws {
  /** [draw] P(buy) averaged over the customers, without (0) and with (1) the incentive. */
  buy: [Float64Array, Float64Array];
  /** [draw] expected revenue per customer without (0) and with (1) the incentive; absent without revenue. */
  revenue?: [Float64Array, Float64Array];
  /** Per segment, the same averages over the segment's customers. */
  bySegment: { buy: [Float64Array, Float64Array]; revenue?: [Float64Array, Float64Array] }[];
}

/**
 * Every customer's P(buy) and expected revenue (P(buy) x mean spend) with and without the incentive,
 * at each draw, averaged over the customers (the covariates as observed: standardisation, so the
 * uplift is the average over this population, not at one covariate value).
 */
export function hurdleDraws(data: AbTestData, h: Hurdle, posterior: Posterior): HurdleDraws {
  const count = posterior.chains * posterior.draws;
  const S = h.segments;
  const k = h.covariates;
  const cols = new Map<string, Float64Array>();
  const sizes = new Float64Array(S);
  for (let i = 0; i < data.n; i++) sizes[S > 1 ? data.segment[i] : 0]++;
  const pair = () => [new Float64Array(count), new Float64Array(count)] as [Float64Array, Float64Array];
  const out: HurdleDraws = {
    buy: pair(),
    ...(h.spend ? { revenue: pair() } : {}),
    bySegment: Array.from({ length: S }, () => ({ buy: pair(), ...(h.spend ? { revenue: pair() } : {}) })),
  };
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (let d = 0; d < count; d++) {
    const b = partDraw(posterior, cols, 'buy', data, d);
    const sp = h.spend ? partDraw(posterior, cols, 'spend', data, d) : undefined;
    // The log-normal's mean spend is m itself (its location is log m - sigma^2 / 2).
    const buy0 = new Float64Array(S);
    const buy1 = new Float64Array(S);
    const rev0 = new Float64Array(S);
    const rev1 = new Float64Array(S);
    for (let i = 0; i < data.n; i++) {
      const s = S > 1 ? data.segment[i] : 0;
      let xb = h.buyOffset + b.base[s];
      for (let c = 0; c < k; c++) xb += b.beta[c] * data.covariates[c][i];
      const p0 = sigmoid(xb);
      const p1 = sigmoid(xb + b.uplift[s]);
      buy0[s] += p0;
      buy1[s] += p1;
      if (sp && h.spend) {
        let xs = sp.base[s];
        for (let c = 0; c < k; c++) xs += sp.beta[c] * data.covariates[c][i];
        const m0 = h.spend.scale * Math.exp(xs);
        rev0[s] += p0 * m0;
        rev1[s] += p1 * m0 * Math.exp(sp.uplift[s]);
      }
    }
    let t0 = 0;
    let t1 = 0;
    let r0 = 0;
    let r1 = 0;
    for (let s = 0; s < S; s++) {
      const seg = out.bySegment[s];
      seg.buy[0][d] = buy0[s] / sizes[s];
      seg.buy[1][d] = buy1[s] / sizes[s];
      t0 += buy0[s];
      t1 += buy1[s];
      if (seg.revenue) {
        seg.revenue[0][d] = rev0[s] / sizes[s];
        seg.revenue[1][d] = rev1[s] / sizes[s];
        r0 += rev0[s];
        r1 += rev1[s];
      }
    }
    out.buy[0][d] = t0 / data.n;
    out.buy[1][d] = t1 / data.n;
    if (out.revenue) {
      out.revenue[0][d] = r0 / data.n;
      out.revenue[1][d] = r1 / data.n;
    }
  }
  return out;
}
