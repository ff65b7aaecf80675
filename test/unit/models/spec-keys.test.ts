/**
 * Every model rejects a column role or config key it does not know, naming the ones it accepts: a
 * typo (`timeunit`, `bogus`) must not keep a default silently. The check comes before any data is
 * read, so an empty table serves.
 */
import { describe, expect, it } from 'vitest';
import type { FitSpec, ModelName } from '../../../src/api/types';
import type { Table } from '../../../src/data/table';
import { availableModels, findModel } from '../../../src/models/registry';

const EMPTY: Table = { rows: 0, columns: [] };
const spec = (model: ModelName, columns: FitSpec['columns'], config?: FitSpec['config']): FitSpec => ({ dataset: 'd', model, columns, config });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('spec keys', () => {
  it('lists every model of the registry (14)', () => {
    expect(availableModels().sort()).toEqual(['abtest', 'bgbb', 'bgnbd', 'cohorts', 'did', 'gammagamma', 'its', 'mbgnbd', 'mmm', 'paretonbd', 'rd', 'sbg', 'synthetic_control', 'tbr']);
  });

  it.each(availableModels())('%s: an unknown role is an error naming its roles', (model) => {
    const d = findModel(model);
    expect(() => d.prepare(EMPTY, spec(model, { [d.roles[0]]: 'x', bogus: 'y' }))).toThrow(
      new RegExp(`^"bogus" is not a column role of ${escape(d.label)}; its roles are ${escape(d.roles.join(', '))}\\.$`),
    );
  });

  it.each(availableModels())('%s: an unknown config key is an error naming its options', (model) => {
    const d = findModel(model);
    expect(() => d.prepare(EMPTY, spec(model, {}, { priors: {}, timeunit: 'days' }))).toThrow(
      new RegExp(`^config\\.timeunit is not an option of ${escape(d.label)}; the options are ${escape(d.configKeys.join(', '))}\\.$`),
    );
  });

  it('names "__proto__" and "constructor" as the unknown keys they are', () => {
    const d = findModel('bgnbd');
    const columns = JSON.parse('{"customer": "c", "__proto__": "x"}') as FitSpec['columns'];
    expect(() => d.prepare(EMPTY, spec('bgnbd', columns))).toThrow(/^"__proto__" is not a column role of BG\/NBD/);
    expect(() => d.prepare(EMPTY, spec('bgnbd', { constructor: 'x' }))).toThrow(/^"constructor" is not a column role/);
    const config = JSON.parse('{"__proto__": {"timeUnit": "days"}}') as FitSpec['config'];
    expect(() => d.prepare(EMPTY, spec('bgnbd', {}, config))).toThrow(/^config\.__proto__ is not an option of BG\/NBD/);
  });

  it('each model declares the roles and options its page offers', async () => {
    const { clvForms } = await import('../../../src/app/clv/forms');
    const { mmmForms } = await import('../../../src/app/mmm/forms');
    const { causalForms } = await import('../../../src/app/causal/forms');
    const { abtestForms } = await import('../../../src/app/abtest/forms');
    for (const form of [...clvForms, ...mmmForms, ...causalForms, ...abtestForms]) {
      const d = findModel(form.model);
      for (const r of form.roles) expect(d.roles, `${form.model} role ${r.role}`).toContain(r.role);
      for (const c of form.config) expect(d.configKeys, `${form.model} option ${c.key}`).toContain(c.key);
    }
  });
});
