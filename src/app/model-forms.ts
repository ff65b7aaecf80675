/**
 * What the model pages ask for: per model, the column roles (DESIGN.md "Column roles") and the
 * config fields (built from the model's declared options), as data, so one form component serves
 * every model.
 */
import type { ColumnType, ModelName } from '../api/types';
import type { OptionDeclarations } from '../models/options';

export interface RoleField {
  role: string;
  label: string;
  /** One column, or several. */
  many?: boolean;
  optional?: boolean;
  /** Column types accepted for this role. */
  types: readonly ColumnType[];
  /** Column names to preselect when present (case-insensitive). */
  guess?: readonly string[];
  /** For a `many` role: when no column matches `guess`, preselect every remaining candidate (donor units). */
  guessAll?: boolean;
}

/** A config field of a form; `description` (from the model's declaration) is shown with it. */
export type ConfigField = { key: string; label: string; description?: string } & (
  | { kind: 'number'; default?: number; min?: number; max?: number; step?: number; optional?: boolean }
  | { kind: 'date'; default?: string; optional?: boolean }
  | { kind: 'text'; default?: string; optional?: boolean; placeholder?: string }
  | { kind: 'select'; options: readonly string[]; default: string }
  | { kind: 'boolean'; default: boolean }
);

/** Which declared options a form shows, and its starting values where they differ from the declaration's defaults. */
export interface FieldChoice {
  /** These options only, in this order (default: every option a form can edit, in declaration order). */
  only?: readonly string[];
  /** Options the form leaves to the API (a placebo date). */
  omit?: readonly string[];
  /**
   * The form's starting value where the model has no default, or a value the page starts from
   * for its sample data (a threshold, a test date).
   */
  initial?: Readonly<Record<string, number | string | boolean>>;
}

/**
 * The form fields of a model's declared options (src/models/options.ts): label, description,
 * default, bounds and choices all come from the declaration, so nothing is copied. Priors and
 * lists are given through the API (priors in the page's JSON box) and have no field.
 */
export function configFields(declared: OptionDeclarations, choice: FieldChoice = {}): ConfigField[] {
  const keys = (choice.only ?? Object.keys(declared)).filter((k) => !choice.omit?.includes(k));
  return keys.flatMap((key): ConfigField[] => {
    const spec = declared[key];
    const initial = choice.initial?.[key];
    const base = { key, label: spec.label, description: spec.description };
    switch (spec.type) {
      case 'boolean':
        return [{ ...base, kind: 'boolean', default: typeof initial === 'boolean' ? initial : (spec.default ?? false) }];
      case 'number':
        return [
          {
            ...base,
            kind: 'number',
            default: typeof initial === 'number' ? initial : spec.default,
            min: spec.min ?? spec.above,
            max: spec.max ?? spec.below,
            step: spec.step ?? (spec.integer ? 1 : undefined),
            optional: spec.default === undefined && spec.required === undefined,
          },
        ];
      case 'choice':
        return [{ ...base, kind: 'select', options: spec.choices, default: typeof initial === 'string' ? initial : spec.default }];
      case 'text':
        return [{ ...base, kind: 'text', optional: true, placeholder: spec.placeholder }];
      case 'date':
      case 'timePoint':
        return [{ ...base, kind: 'date', default: typeof initial === 'string' ? initial : undefined, optional: !(spec.type === 'timePoint' && spec.required) }];
      case 'priors':
      case 'list':
        return [];
    }
  });
}

export interface ModelForm {
  model: ModelName;
  label: string;
  /** One-line description of what the model assumes. */
  description: string;
  roles: readonly RoleField[];
  config: readonly ConfigField[];
  /** The MMM's table of lift tests (`config.liftTests`, app/mmm/LiftTestTable.svelte) goes with the options. */
  liftTests?: true;
}
