/**
 * The demo CSVs in public/samples/ for the causal page parse into the column types the forms
 * expect and prepare without error with the roles and options a user would pick.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { FitSpec } from '../../../../src/api/types';
import { parseCsvText } from '../../../../src/data/csv';
import { causalModels } from '../../../../src/models/causal';
import { causalForms } from '../../../../src/app/causal/forms';

async function sample(file: string) {
  const text = readFileSync(new URL(`../../../../public/samples/${file}`, import.meta.url), 'utf8');
  return (await parseCsvText(text, file)).table;
}

const cases: [string, Omit<FitSpec, 'dataset'>][] = [
  ['california_prop99.csv', { model: 'synthetic_control', columns: { date: 'Year', treated: 'California', donors: ['Utah', 'Nevada', 'Montana', 'Colorado'] }, config: { treatmentStart: '1989-01-01' } }],
  ['banks.csv', { model: 'did', columns: { date: 'date', treated: 'bib6', control: 'bib8' }, config: { treatmentStart: '1930-07-01' } }],
  ['banks.csv', { model: 'its', columns: { date: 'date', outcome: 'bib6', covariates: ['bib8'] }, config: { treatmentStart: '1930-07-01', seasonality: 0 } }],
  ['drinking.csv', { model: 'rd', columns: { running: 'agecell', outcome: 'all' }, config: { threshold: 21, order: 1 } }],
  ['geo_experiment_salesandcost.csv', { model: 'tbr', columns: { geo: 'geo', date: 'date', outcome: 'sales', group: 'group', spend: 'cost' }, config: { testStart: '2015-02-16', testEnd: '2015-03-15' } }],
];

describe('causal demo samples', () => {
  it.each(cases)('%s prepares for its model', async (file, spec) => {
    const table = await sample(file);
    const definition = causalModels.find((m) => m.name === spec.model)!;
    tf.engine().startScope();
    try {
      const prepared = definition.prepare(table, { dataset: file, ...spec });
      expect(prepared.model.dim).toBeGreaterThan(1);
    } finally {
      tf.engine().endScope();
    }
  });

  it('every causal model has a form whose config keys the model accepts', () => {
    expect(causalForms.map((f) => f.model).sort()).toEqual(causalModels.map((m) => m.name).sort());
    expect(causalForms.find((f) => f.model === 'synthetic_control')!.config.find((c) => c.key === 'dirichletAlpha')).toMatchObject({ default: 0.1 });
  });
});
