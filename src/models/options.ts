/**
 * Model and inference options, declared once and read one way. Each model family declares the
 * options of `FitSpec.config` (name, type, default, bounds, label and description) in a tfjs-free
 * module beside it (`mmm/options.ts`, `clv/options.ts`, `causal/options.ts`; the inference
 * settings in `inference-options.ts`), and `checkOptions` checks a spec against that declaration:
 * an unknown key is an error naming the accepted ones (a typo must not keep a default silently),
 * a value of the wrong type or out of bounds an error saying what was expected (`checkOptions`). The pages build
 * their form fields from the same declarations (app/model-forms.ts), so no default is copied.
 *
 * Absent, `null` and `''` all mean "not set" (a cleared form field sends `''`). Options whose
 * check needs the data (a time point on the time column's scale, lift tests against the channels)
 * are declared as `timePoint` / `list` for their key, label and description and read by the model.
 */
import { InputError } from '../api/errors';

interface Described {
  /** The form's label (short). */
  readonly label: string;
  /** What the option does, with its units; shown with the form field. */
  readonly description: string;
}

/** true or false; without a default the reader gives `undefined` and the model decides. */
export interface BooleanOption extends Described {
  readonly type: 'boolean';
  readonly default?: boolean;
}

/**
 * A finite number. Bounds: `min` / `max` inclusive, `above` / `below` exclusive; `integer` for a
 * whole number. Without a default the reader gives `undefined` and the model picks one from the
 * data (its description says how); with `required` a missing value is an error (`Set config.key
 * (required).`).
 */
export interface NumberOption extends Described {
  readonly type: 'number';
  readonly default?: number;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
  /** Named in messages: "a whole number of `unit`". */
  readonly unit?: string;
  /** What to set, when the option has no default and must be set. */
  readonly required?: string;
  /** The form's step (default 1 for whole numbers, any otherwise). */
  readonly step?: number;
}

/** One of a list of strings; `notes` explain choices in the error message. */
export interface ChoiceOption<C extends string = string> extends Described {
  readonly type: 'choice';
  readonly choices: readonly C[];
  readonly default: C;
  readonly notes?: Readonly<Partial<Record<C, string>>>;
}

/** One line of text (trimmed; blank = not set). */
export interface TextOption extends Described {
  readonly type: 'text';
  readonly maxLength: number;
  /** The form's placeholder. */
  readonly placeholder?: string;
}

/** A calendar date written YYYY-MM-DD, read as epoch ms at UTC midnight. */
export interface DateOption extends Described {
  readonly type: 'date';
}

/**
 * A time point on a time column's axis (a date, or a number on its scale): read by the model with
 * the column (causal/time-axis.ts `parseTimePoint`). `required` when the model needs it.
 */
export interface TimePointOption extends Described {
  readonly type: 'timePoint';
  readonly required?: true;
}

/** User priors: an object mapping parameter names to priors (merged over the model's defaults). */
export interface PriorsOption extends Described {
  readonly type: 'priors';
}

/** A list the model reads and checks against the data (e.g. MMM lift tests). */
export interface ListOption extends Described {
  readonly type: 'list';
}

export type OptionSpec = BooleanOption | NumberOption | ChoiceOption | TextOption | DateOption | TimePointOption | PriorsOption | ListOption;

/** A model's (or the inference's) options by key. */
export type OptionDeclarations = Readonly<Record<string, OptionSpec>>;

/** The value `readOptions` gives for one option. */
export type OptionValue<S extends OptionSpec> = S extends BooleanOption
  ? S extends { default: boolean }
    ? boolean
    : boolean | undefined
  : S extends NumberOption
    ? S extends { default: number } | { required: string }
      ? number
      : number | undefined
    : S extends ChoiceOption<infer C>
      ? C
      : S extends TextOption
        ? string | undefined
        : S extends DateOption
          ? number | undefined
          : S extends PriorsOption
            ? Record<string, unknown> | undefined
            : unknown;

/** The values `readOptions` gives for a declaration, defaults filled in. */
export type OptionValues<D extends OptionDeclarations> = { -readonly [K in keyof D]: OptionValue<D[K]> };

const isUnset = (value: unknown) => value === undefined || value === null || value === '';

/** Names the accepted values of a choice: `"a" or "b"` (with their notes), or `one of a, b, c`. */
function expectedChoice(spec: ChoiceOption): string {
  const { choices, notes } = spec;
  if (choices.length > 2 && !notes) return `one of ${choices.join(', ')}`;
  const named = choices.map((c) => `"${c}"${notes?.[c] ? ` (${notes[c]})` : ''}`);
  return `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}

/** "a whole number of months from 1 to 120", "a number above 0 and at most 1", "a number". */
function expectedNumber(spec: NumberOption): string {
  const what = `a ${spec.integer ? 'whole number' : 'number'}${spec.unit ? ` of ${spec.unit}` : ''}`;
  const { min, max, above, below } = spec;
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  const lower = min !== undefined ? `at least ${min}` : above !== undefined ? `above ${above}` : undefined;
  const upper = max !== undefined ? `at most ${max}` : below !== undefined ? `below ${below}` : undefined;
  return [what, [lower, upper].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

function inBounds(v: number, spec: NumberOption): boolean {
  return (
    (spec.min === undefined || v >= spec.min) &&
    (spec.max === undefined || v <= spec.max) &&
    (spec.above === undefined || v > spec.above) &&
    (spec.below === undefined || v < spec.below)
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One option's value: the default when unset, else `value` checked against `spec`. `name` is how
 * messages name it (`config.lMax`, `inference.draws`). Throws `InputError` saying what was expected.
 */
export function readOption<S extends OptionSpec>(spec: S, value: unknown, name: string): OptionValue<S> {
  const got = () => JSON.stringify(value);
  switch (spec.type) {
    case 'boolean':
      if (isUnset(value)) return spec.default as OptionValue<S>;
      if (typeof value !== 'boolean') throw new InputError(`${name} must be true or false, got ${got()}.`);
      return value as OptionValue<S>;
    case 'number':
      if (isUnset(value)) {
        if (spec.required) throw new InputError(`Set ${name} (${spec.required}).`);
        return spec.default as OptionValue<S>;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || !inBounds(value, spec)) {
        throw new InputError(`${name} must be ${expectedNumber(spec)}, got ${got()}.`);
      }
      return value as OptionValue<S>;
    case 'choice':
      if (isUnset(value)) return spec.default as OptionValue<S>;
      if (!spec.choices.includes(value as string)) throw new InputError(`${name} must be ${expectedChoice(spec)}, got ${got()}.`);
      return value as OptionValue<S>;
    case 'text': {
      if (value === undefined || value === null) return undefined as OptionValue<S>;
      if (typeof value !== 'string') throw new InputError(`${name} must be text, got ${got()}.`);
      const v = value.trim();
      if (/[\r\n]/.test(v) || v.length > spec.maxLength) throw new InputError(`${name} must be one line of at most ${spec.maxLength} characters.`);
      return (v === '' ? undefined : v) as OptionValue<S>;
    }
    case 'date': {
      if (isUnset(value)) return undefined as OptionValue<S>;
      const t = typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
      // Date.parse rolls a day past the month's end over (2023-02-29 -> March 1): such a date is refused.
      if (!Number.isFinite(t) || new Date(t).getUTCDate() !== Number((value as string).slice(8))) {
        throw new InputError(`${name} must be a date like 1997-09-30, got ${got()}.`);
      }
      return t as OptionValue<S>;
    }
    case 'priors':
      if (value === undefined || value === null) return undefined as OptionValue<S>;
      if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${name} must be an object mapping parameter names to priors.`);
      return value as OptionValue<S>;
    case 'timePoint':
    case 'list':
      return value as OptionValue<S>;
  }
}

/**
 * `values` (a spec's `config` or `inference`) checked against `declared`: it must be an object,
 * every key declared (else an error naming `owner`'s options), every value valid (`readOptions`).
 * Returns the values, defaults filled in. `where` prefixes the names in messages ('config',
 * 'inference').
 */
export function checkOptions<D extends OptionDeclarations>(declared: D, values: unknown, owner: string, where = 'config'): OptionValues<D> {
  const keys = Object.keys(declared);
  const given: unknown = values ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InputError(`${where} must be an object of options (the options of ${owner} are ${keys.join(', ')}).`);
  }
  // `unknown` may be any string, "__proto__" included: it is only compared and printed.
  const unknown = Object.keys(given).find((k) => !Object.hasOwn(declared, k));
  if (unknown !== undefined) throw new InputError(`${where}.${unknown} is not an option of ${owner}; the options are ${keys.join(', ')}.`);
  return readOptions(declared, given, where);
}

/**
 * The options `declared` read from `values` (each through `readOption`, unset ones at their
 * defaults). Keys not declared are passed over: `checkOptions` rejects them before a model runs
 * (define.ts), and code the models share reads its part of a model's options this way
 * (rfm-input.ts, causal/outcome.ts).
 */
export function readOptions<D extends OptionDeclarations>(declared: D, values: unknown, where = 'config'): OptionValues<D> {
  const record = (values !== null && typeof values === 'object' ? values : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(declared)) out[key] = readOption(declared[key], Object.hasOwn(record, key) ? record[key] : undefined, `${where}.${key}`);
  return out as OptionValues<D>;
}
