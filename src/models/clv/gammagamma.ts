/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"): each
 * transaction's value is gamma(p, nu) with the customer's nu ~ gamma(q, v); the mean of x repeat
 * transactions, zbar, has a closed-form density. Fitted on customers with x > 0.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import type { Table } from '../../data/table';
import { compileModel } from '../../engine/model';
import { mergePriors, type Prior } from '../../engine/priors';
import { lgamma } from '../../engine/special';
import { lgammaF64 } from '../../engine/special-f64';
import type { Posterior } from '../../engine/types';
import { defineModel } from '../define';
import { readOptions } from '../options';
import type { ModelDefinition } from '../types';
import { densities, estimateColumns, histogram, thinnedDraws, type Density, type EstimateColumns, type Histogram } from '../summaries';
import { SHAPE_PRIOR_SCALE } from './count-model';
import { GAMMA_GAMMA_OPTIONS } from './options';
import { rfmFromSpec } from './rfm-input';
import { uniqueRows } from './unique-rows';
import { estimate } from '../../engine/diagnostics';
import type { Estimate } from '../../api/types';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** log f(zbar | x; p, q, v) of one customer (float64 reference). */
export function gammaGammaLogLikF64({ p, q, v }: GammaGammaParams, x: number, zbar: number): number {
  return (
    lgammaF64(p * x + q) - lgammaF64(p * x) - lgammaF64(q) + q * Math.log(v) + (p * x - 1) * Math.log(zbar) + p * x * Math.log(x) - (p * x + q) * Math.log(x * zbar + v)
  );
}

/** Batched log likelihood over distinct (x, zbar) rows with counts: `[chains]`. */
export function gammaGammaLogLikelihood(d: { x: tf.Tensor2D; logZ: tf.Tensor2D; logX: tf.Tensor2D; xz: tf.Tensor2D; w: tf.Tensor2D }) {
  return ({ p, q, v }: Record<string, tf.Tensor2D>): tf.Tensor1D => {
    const px = tf.mul(p, d.x);
    const pxq = tf.add(px, q);
    const ll = tf.add(
      tf.sub(tf.sub(lgamma(pxq), lgamma(px)), lgamma(q)),
      tf.sub(tf.add(tf.add(tf.mul(q, tf.log(v)), tf.mul(tf.sub(px, 1), d.logZ)), tf.mul(px, d.logX)), tf.mul(pxq, tf.log(tf.add(d.xz, v)))),
    );
    return tf.sum(tf.mul(ll, d.w), 1) as tf.Tensor1D;
  };
}

/** E[mean spend | x, zbar] (eq. 5): a weighted average of the population mean and the customer's own. */
export function gammaGammaExpectedSpend({ p, q, v }: GammaGammaParams, x: number, zbar: number): number {
  if (x === 0) return (p * v) / (q - 1);
  return (p * (v + x * zbar)) / (p * x + q - 1);
}

export interface GammaGammaOutputs {
  /** E[spend per transaction] of a new customer, p v / (q - 1) (defined for q > 1). */
  populationMeanSpend: Estimate;
  customers: { id: string[]; frequency: number[]; observedMean: (number | null)[]; expectedSpend: EstimateColumns };
  spendHistogram: Histogram;
  densities: Record<string, Density>;
  notes: string[];
}

const PARAMS = ['p', 'q', 'v'] as const;

/**
 * Default priors, weakly informative and proper: HalfCauchy(5) on the shapes p and q, and
 * HalfCauchy(mean spend) on the scale v, with `meanSpend` the mean of the customers' mean repeat
 * spend (so the prior means the same in any currency: v is in spend units, and the population mean
 * spend is p v / (q - 1)). With flat priors the posterior is improper along the homogeneous ray
 * (q, v growing together: every customer with the same nu = q / v), where the likelihood stays
 * bounded. PyMC-Marketing still defaults to HalfFlat here (its examples suggest HalfNormal,
 * HalfStudentT(4, 10) and HalfCauchy). `config.priors` replaces any of them.
 */
export function gammaGammaPriors(meanSpend: number): Record<(typeof PARAMS)[number], Prior> {
  return {
    p: { dist: 'HalfCauchy', beta: SHAPE_PRIOR_SCALE },
    q: { dist: 'HalfCauchy', beta: SHAPE_PRIOR_SCALE },
    v: { dist: 'HalfCauchy', beta: meanSpend },
  };
}

export const gammaGammaModel: ModelDefinition<'gammagamma', GammaGammaOutputs> = defineModel({
  name: 'gammagamma',
  label: 'Gamma-Gamma',
  roles: ['customer', 'date', 'amount', 'frequency', 'recency', 'T', 'monetary'],
  options: GAMMA_GAMMA_OPTIONS,
  prepare(table: Table, spec: FitSpec) {
    const rfm = rfmFromSpec(table, spec);
    if (!rfm.monetary.some((m) => Number.isFinite(m))) {
      throw new InputError('Gamma-Gamma needs spend: choose an amount column (transaction log) or a monetary column (summary).');
    }
    const keep: number[] = [];
    rfm.frequency.forEach((f, i) => {
      if (f > 0 && Number.isFinite(rfm.monetary[i])) {
        if (!(rfm.monetary[i] > 0)) throw new InputError(`Customer ${rfm.ids[i]}: mean repeat spend is ${rfm.monetary[i]}; Gamma-Gamma needs spend > 0.`);
        keep.push(i);
      }
    });
    if (keep.length < 10) throw new InputError(`Gamma-Gamma needs at least 10 customers with repeat purchases; the data has ${keep.length}.`);
    const u = uniqueRows([keep.map((i) => rfm.frequency[i]), keep.map((i) => rfm.monetary[i])]);
    const [x, z] = u.columns;
    const row = (a: ArrayLike<number>) => tf.tensor2d(Float32Array.from(a), [1, a.length]);
    const data = {
      x: row(x),
      logZ: row(Array.from(z, Math.log)),
      logX: row(Array.from(x, Math.log)),
      xz: row(Array.from(x, (v, i) => v * z[i])),
      w: row(u.counts),
    };
    const meanSpend = keep.reduce((s, i) => s + rfm.monetary[i], 0) / keep.length;
    const priors = mergePriors(gammaGammaPriors(meanSpend), readOptions(GAMMA_GAMMA_OPTIONS, spec.config).priors);
    const model = compileModel(
      PARAMS.map((name) => ({ name, prior: priors[name] })),
      gammaGammaLogLikelihood(data),
    );
    return {
      model,
      outputs: (posterior: Posterior) => {
        const draws = thinnedDraws<GammaGammaParams>(posterior, PARAMS, 200);
        const notes: string[] = [];
        const qMin = Math.min(...draws.map((d) => d.q));
        if (qMin <= 1) notes.push('Some posterior draws have q <= 1, where the population mean spend is infinite: those draws are left out of it.');
        const pop = draws.filter((d) => d.q > 1).map((d) => (d.p * d.v) / (d.q - 1));
        const popMean = pop.length ? pop.reduce((a, b) => a + b, 0) / pop.length : NaN;
        const expectedSpend = estimateColumns(rfm.ids.length, draws.length, (c, d) => {
          const f = rfm.frequency[c];
          const m = rfm.monetary[c];
          return f > 0 && Number.isFinite(m) ? gammaGammaExpectedSpend(draws[d], f, m) : draws[d].q > 1 ? (draws[d].p * draws[d].v) / (draws[d].q - 1) : popMean;
        });
        const out: GammaGammaOutputs = {
          populationMeanSpend: estimate(pop),
          customers: {
            id: rfm.ids,
            frequency: Array.from(rfm.frequency),
            observedMean: Array.from(rfm.monetary, (m) => (Number.isFinite(m) ? m : null)),
            expectedSpend,
          },
          spendHistogram: histogram(expectedSpend.mean, 40, 0),
          densities: densities(posterior, PARAMS),
          notes,
        };
        return { ...out };
      },
    };
  },
});
