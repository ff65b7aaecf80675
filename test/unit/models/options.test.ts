/**
 * The one config reader (src/models/options.ts): defaults fill unset options, an unknown key names
 * the accepted ones, and each type's wrong values get a message saying what was expected.
 */
import { describe, expect, it } from 'vitest';
import { checkOptions, readOptions, type OptionDeclarations } from '../../../src/models/options';
import { INFERENCE_OPTIONS } from '../../../src/models/inference-options';
import { configFields } from '../../../src/app/model-forms';

const OPTIONS = {
  flag: { type: 'boolean', default: true, label: 'Flag', description: 'A flag.' },
  count: { type: 'number', integer: true, min: 1, max: 10, unit: 'periods', default: 3, label: 'Count', description: 'A count.' },
  share: { type: 'number', above: 0, max: 1, default: 1, label: 'Share', description: 'A share.' },
  rate: { type: 'number', min: 0, below: 1, label: 'Rate', description: 'A rate.' },
  cut: { type: 'number', required: 'where the cut is', label: 'Cut', description: 'A cut.' },
  kind: { type: 'choice', choices: ['a', 'b', 'c'], default: 'a', label: 'Kind', description: 'A kind.' },
  side: { type: 'choice', choices: ['left', 'right'], default: 'left', notes: { left: 'the first' }, label: 'Side', description: 'A side.' },
  name: { type: 'text', maxLength: 5, label: 'Name', description: 'A name.' },
  end: { type: 'date', label: 'End', description: 'An end.' },
  priors: { type: 'priors', label: 'Priors', description: 'Priors.' },
} as const satisfies OptionDeclarations;

const check = (config: unknown) => checkOptions(OPTIONS, config, 'the test model');

describe('options', () => {
  it('fills defaults for unset options (absent, null or blank) and keeps set ones', () => {
    expect(check({ cut: 0, count: null, share: '' })).toEqual({
      flag: true,
      count: 3,
      share: 1,
      rate: undefined,
      cut: 0,
      kind: 'a',
      side: 'left',
      name: undefined,
      end: undefined,
      priors: undefined,
    });
    const read = check({ cut: -2.5, flag: false, count: 10, rate: 0, kind: 'c', name: ' ab ', end: '2024-02-29', priors: { r: {} } });
    expect(read).toMatchObject({ cut: -2.5, flag: false, count: 10, rate: 0, kind: 'c', name: 'ab', end: Date.UTC(2024, 1, 29), priors: { r: {} } });
  });

  it('refuses an unknown key or a config that is not an object, naming the options', () => {
    const keys = Object.keys(OPTIONS).join(', ');
    expect(() => check({ cut: 1, Count: 2 })).toThrow(`config.Count is not an option of the test model; the options are ${keys}.`);
    expect(() => check([1])).toThrow(`config must be an object of options (the options of the test model are ${keys}).`);
    expect(() => checkOptions(INFERENCE_OPTIONS, { chain: 4 }, 'the inference', 'inference')).toThrow(/^inference\.chain is not an option of the inference; the options are method, chains,/);
  });

  it('says what each option expects', () => {
    expect(() => check({ cut: 1, flag: 'yes' })).toThrow('config.flag must be true or false, got "yes".');
    expect(() => check({ cut: 1, count: 2.5 })).toThrow('config.count must be a whole number of periods from 1 to 10, got 2.5.');
    expect(() => check({ cut: 1, count: '5' })).toThrow('config.count must be a whole number of periods from 1 to 10, got "5".');
    expect(() => check({ cut: 1, share: 0 })).toThrow('config.share must be a number above 0 and at most 1, got 0.');
    expect(() => check({ cut: 1, rate: 1 })).toThrow('config.rate must be a number at least 0 and below 1, got 1.');
    expect(() => check({ cut: Infinity })).toThrow('config.cut must be a number, got null.');
    expect(() => check({})).toThrow('Set config.cut (where the cut is).');
    expect(() => check({ cut: 1, kind: 'd' })).toThrow('config.kind must be one of a, b, c, got "d".');
    expect(() => check({ cut: 1, side: 'up' })).toThrow('config.side must be "left" (the first) or "right", got "up".');
    expect(() => check({ cut: 1, name: 'abcdef' })).toThrow('config.name must be one line of at most 5 characters.');
    expect(() => check({ cut: 1, name: 3 })).toThrow('config.name must be text, got 3.');
    expect(() => check({ cut: 1, end: '2023-02-29' })).toThrow('config.end must be a date like 1997-09-30, got "2023-02-29".');
    expect(() => check({ cut: 1, priors: [] })).toThrow('config.priors must be an object mapping parameter names to priors.');
  });

  it('reads a part of a config, passing over the keys it does not declare', () => {
    expect(readOptions({ kind: OPTIONS.kind }, { kind: 'b', other: 1 })).toEqual({ kind: 'b' });
  });

  it('gives the forms their fields from the declaration', () => {
    const fields = configFields(OPTIONS, { omit: ['end'], initial: { rate: 0.5 } });
    expect(fields.map((f) => f.key)).toEqual(['flag', 'count', 'share', 'rate', 'cut', 'kind', 'side', 'name']);
    expect(fields[1]).toEqual({ key: 'count', label: 'Count', description: 'A count.', kind: 'number', default: 3, min: 1, max: 10, step: 1, optional: false });
    expect(fields[3]).toMatchObject({ kind: 'number', default: 0.5, min: 0, max: 1, optional: true });
    expect(fields[4]).toMatchObject({ kind: 'number', optional: false });
    expect(fields[5]).toMatchObject({ kind: 'select', options: ['a', 'b', 'c'], default: 'a' });
  });
});
