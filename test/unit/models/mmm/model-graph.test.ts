/**
 * The model graph: the MMM's, from its compiled spec, has exactly the nodes its parameter
 * definitions and declared structure imply (each parameter with its prior, the data, adstocked ->
 * media -> mu -> the likelihood) and the edges between them; a model with no declared structure
 * gets every parameter entering its likelihood; the layered layout puts each node below its inputs.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { modelGraph, priorText, type ModelGraph } from '../../../../src/engine/model-graph';
import { buildMmm } from '../../../../src/models/mmm/mmm';
import { layoutGraph } from '../../../../src/ui/charts/graph-layout';
import { simulateMmm } from './simulate';

const SPEC: FitSpec = {
  dataset: 'sim',
  model: 'mmm',
  columns: { date: 'date', target: 'y', channels: ['x1', 'x2'], events: ['event_1', 'event_2'] },
};

describe('model graph', async () => {
  const { table } = await parseCsvText(simulateMmm(327).csv, 'data.csv');
  /** The MMM's graph for `spec`; the likelihood's tensors are released at once. */
  const graphOf = (spec: FitSpec): ModelGraph => {
    let graph: ModelGraph | undefined;
    tf.tidy(() => {
      const { prepared } = buildMmm(table, spec);
      graph = modelGraph(prepared.model.spec!.params, prepared.model.spec!.structure);
    });
    return graph!;
  };

  it('the MMM’s has the nodes and edges its spec implies', () => {
    const graph = graphOf(SPEC);
    const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toEqual({
      intercept: 'parameter',
      adstock_alpha: 'parameter',
      saturation_lam: 'parameter',
      saturation_beta: 'parameter',
      gamma_control: 'parameter',
      gamma_fourier: 'parameter',
      sigma: 'parameter',
      spend: 'data',
      controls: 'data',
      fourier: 'data',
      adstocked: 'deterministic',
      media: 'deterministic',
      mu: 'deterministic',
      'y / max': 'observed',
    });
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(node('adstock_alpha')).toMatchObject({ detail: '~ Beta(alpha=1, beta=3)', size: 2, labels: ['x1', 'x2'] });
    expect(node('sigma').detail).toBe('~ HalfNormal(sigma=2)');
    // Controls: the two events and the trend; Fourier order 2: four terms.
    expect(node('gamma_control').size).toBe(3);
    expect(node('gamma_fourier').size).toBe(4);
    const edges = graph.edges.map((e) => `${e.from} -> ${e.to}`).sort();
    expect(edges).toEqual(
      [
        'spend -> adstocked',
        'adstock_alpha -> adstocked',
        'adstocked -> media',
        'saturation_lam -> media',
        'saturation_beta -> media',
        'intercept -> mu',
        'media -> mu',
        'gamma_control -> mu',
        'controls -> mu',
        'gamma_fourier -> mu',
        'fourier -> mu',
        'mu -> y / max',
        'sigma -> y / max',
      ].sort(),
    );
    // Every parameter enters something.
    for (const n of graph.nodes.filter((x) => x.kind === 'parameter')) expect(graph.edges.some((e) => e.from === n.id), n.id).toBe(true);

    const layout = layoutGraph(graph);
    for (const e of layout.edges) expect(e.to.y, `${e.from.id} above ${e.to.id}`).toBeGreaterThan(e.from.y);
    expect(layout.nodes.find((n) => n.id === 'y / max')!.layer).toBe(4);
  });

  it('a Student-t likelihood adds nu; without a structure every parameter enters the likelihood', () => {
    const graph = graphOf({ ...SPEC, config: { likelihood: 'studentt' } });
    expect(graph.edges).toContainEqual({ from: 'nu', to: 'y / max' });
    const plain = modelGraph([
      { name: 'r', prior: { dist: 'HalfNormal', sigma: 1 } },
      { name: 'alpha', prior: { dist: 'Gamma', alpha: 2, beta: 1 } },
      { name: 'r_placebo', prior: { dist: 'HalfNormal', sigma: 1 }, block: 'placebo' },
    ], undefined, 'purchases');
    expect(plain.edges).toEqual([
      { from: 'r', to: 'purchases' },
      { from: 'alpha', to: 'purchases' },
      { from: 'r_placebo', to: 'purchases (placebo)' },
    ]);
    expect(priorText({ dist: 'Dirichlet', a: [1, 1] })).toBe('Dirichlet(a=[1, 1])');
    expect(() => modelGraph([{ name: 'a', prior: { dist: 'Flat' } }], { likelihood: [{ name: 'y', dist: 'Normal', inputs: ['b'] }] })).toThrow(/'b', which is no parameter/);
  });
});

describe('prior predictive models', () => {
  it('the pages’ list is the registry’s models with a prior predictive', async () => {
    const { availableModels, findModel } = await import('../../../../src/models/registry');
    const { PRIOR_PREDICTIVE_MODELS } = await import('../../../../src/models/prior-predictive-models');
    expect([...PRIOR_PREDICTIVE_MODELS].sort()).toEqual(availableModels().filter((m) => findModel(m).priorPredictive).sort());
  });
});
