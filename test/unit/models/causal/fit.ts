/**
 * Test helper: one causal fit the way the worker runs one (src/models/run-fit.ts), on a model
 * definition directly (the registry wiring is the lead's): prepare, MCMC or MAP + Laplace,
 * diagnostics, outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { readFixture } from '../../../fixtures/read.mjs';
import type { FitSpec, ModelName, ParameterSummary } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import type { Table } from '../../../../src/data/table';
import { summarise } from '../../../../src/engine/diagnostics';
import { laplaceDraws } from '../../../../src/engine/laplace';
import { findMap } from '../../../../src/engine/map';
import { createPosterior } from '../../../../src/engine/posterior';
import { createRng } from '../../../../src/engine/rng';
import { sample } from '../../../../src/engine/sample';
import type { Posterior } from '../../../../src/engine/types';
import type { ModelDefinition } from '../../../../src/models/types';

/** A reference data set from test/fixtures as a Table. */
export async function fixtureTable(file: string): Promise<Table> {
  const text = readFixture(file);
  return (await parseCsvText(text, file)).table;
}

export interface FitResult<O extends object = object> {
  outputs: O;
  parameters: Record<string, ParameterSummary>;
  posterior: Posterior;
  divergences: number;
}

/** Fits `spec` with `definition`: MCMC (chains/warmup/draws) or MAP + 1000 Laplace draws. */
export async function fitCausal<N extends ModelName, O extends object>(definition: ModelDefinition<N, O>, table: Table, spec: FitSpec): Promise<FitResult<O>> {
  tf.engine().startScope();
  try {
    const prepared = definition.prepare(table, spec);
    const inf = spec.inference ?? {};
    let posterior: Posterior;
    let divergences = 0;
    if (inf.method === 'map') {
      const mode = await findMap(prepared.model);
      const rng = createRng(inf.seed ?? 1);
      const { draws } = await laplaceDraws(prepared.model, mode.point, 1000, rng.normal);
      const c = tf.tidy(() => prepared.model.constrain(tf.tensor2d(draws, [1000, prepared.model.dim])));
      posterior = createPosterior(prepared.model.names, 4, 250, Float64Array.from(await c.data()));
      c.dispose();
    } else {
      const r = await sample(prepared.model, {
        chains: inf.chains ?? 8,
        warmup: inf.warmup ?? 200,
        draws: inf.draws ?? 150,
        seed: inf.seed ?? 1,
      });
      posterior = r.posterior;
      divergences = r.divergences;
    }
    return { outputs: prepared.outputs(posterior), parameters: summarise(posterior), posterior, divergences };
  } finally {
    tf.engine().endScope();
  }
}
