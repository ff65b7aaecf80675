/** The model families: the pages' lists of models, and the registry's, are the same models. */
import { describe, expect, it } from 'vitest';
import { isOfFamily, MODEL_FAMILIES } from '../../../src/models/families';
import { availableModels } from '../../../src/models/registry';

describe('model families', () => {
  it('name exactly the models the registry fits', () => {
    expect(Object.keys(MODEL_FAMILIES).sort()).toEqual(availableModels().sort());
  });

  it('tell a model of a family from one of another, and from a name that is no model', () => {
    expect(['bgnbd', 'mbgnbd', 'paretonbd'].every((m) => isOfFamily(m, 'count'))).toBe(true);
    expect(isOfFamily('gammagamma', 'count')).toBe(false);
    expect(isOfFamily('tbr', 'causal')).toBe(true);
    expect(isOfFamily('constructor', 'count')).toBe(false);
    expect(isOfFamily('__proto__', 'mmm')).toBe(false);
  });
});
