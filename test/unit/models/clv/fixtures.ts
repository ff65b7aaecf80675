/** Shared CLV test fixtures: the CDNOW calibration summary and its distinct-row tensors. */
import { readFixture } from '../../../fixtures/read.mjs';
import * as tf from '@tensorflow/tfjs';
import { countData as makeCountData, type CountData } from '../../../../src/models/clv/count-model';
import { uniqueRows } from '../../../../src/models/clv/unique-rows';

export function cdnowSummary() {
  const text = readFixture('cdnow_customers_summary.csv');
  const rows = text.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  return { x: rows.map((r) => r[1]), tx: rows.map((r) => r[2]), T: rows.map((r) => r[3]), text };
}

export function countData(x: number[], tx: number[], T: number[]): CountData {
  const u = uniqueRows([x, tx, T]);
  return makeCountData(u.columns[0], u.columns[1], u.columns[2], u.counts);
}


/**
 * The maximum-likelihood objective of a model compiled with HalfFlat priors (exp bijectors): its
 * log density minus the Jacobian term sum(log theta) = sum(y).
 */
export function withoutJacobian(model: import('../../../../src/engine/types').CompiledModel) {
  return {
    ...model,
    logDensity: (theta: tf.Tensor2D) => tf.tidy(() => tf.sub(model.logDensity(theta), tf.sum(theta, 1)) as tf.Tensor1D),
  };
}
