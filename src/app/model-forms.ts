/**
 * What the model pages ask for: per model, the column roles (DESIGN.md "Column roles") and the
 * config fields (built from the model's declared options), as data, so one form component serves
 * every model.
 */
import type { ColumnType, DatasetInfo, ModelName } from '../api/types';
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
  /** For a `many` role: also preselect columns whose name matches (spend, cost, impressions). */
  guessLike?: RegExp;
  /** For a `many` role: also preselect number columns holding only 0 and 1 (events). */
  guessBinary?: boolean;
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
}

/** The dataset's columns a role accepts. */
export function roleCandidates(field: RoleField, d: DatasetInfo | undefined): string[] {
  return d ? d.columns.filter((c) => field.types.includes(c.type)).map((c) => c.name) : [];
}

/**
 * The columns a form preselects for each role: by name (`guess`, `guessLike`), 0/1 columns for a
 * `guessBinary` role, and a required single role's first candidate. Roles are filled in order and a
 * column goes to one role only (the target is never also a channel).
 */
export function guessRoles(form: ModelForm, d: DatasetInfo | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const used = new Set<string>();
  const binary = new Set(d?.columns.filter((c) => c.binary).map((c) => c.name));
  for (const field of form.roles) {
    const cols = roleCandidates(field, d).filter((c) => !used.has(c));
    const exact = cols.filter((c) => field.guess?.some((g) => g.toLowerCase() === c.toLowerCase()));
    if (field.many) {
      const like = cols.filter((c) => !exact.includes(c) && ((field.guessLike?.test(c) ?? false) || (field.guessBinary === true && binary.has(c))));
      const byName = [...exact, ...like];
      out[field.role] = byName.length === 0 && field.guessAll ? cols : cols.filter((c) => byName.includes(c));
      for (const c of byName) used.add(c);
    } else {
      const pick = exact[0] ?? (field.optional ? '' : (cols[0] ?? ''));
      out[field.role] = pick;
      if (pick) used.add(pick);
    }
  }
  return out;
}

/** What a model page remembers across reloads (in this browser's localStorage): its form and last run. */
export interface SavedForm {
  model: ModelName;
  dataset: string;
  roles: Record<string, string | string[]>;
  config: Record<string, unknown>;
  inference?: Record<string, unknown>;
  priors?: string;
  /** The run the page last showed. */
  run?: string;
}

const FORM_KEY = 'marketing-studio.form.';

/** The form a page saved under `page`, if any (anything unreadable counts as none). */
export function loadSavedForm(page: string): SavedForm | undefined {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(FORM_KEY + page) ?? 'null') as Partial<SavedForm> | null;
    if (!saved || typeof saved.model !== 'string' || typeof saved.dataset !== 'string' || typeof saved.roles !== 'object' || typeof saved.config !== 'object') return undefined;
    return saved as SavedForm;
  } catch {
    return undefined;
  }
}

/** Saves a page's form (a full or private-mode storage only loses the memory, never the page). */
export function saveForm(page: string, form: SavedForm): void {
  try {
    globalThis.localStorage?.setItem(FORM_KEY + page, JSON.stringify(form));
  } catch {
    // Storage refused (quota, privacy settings): the form is simply not remembered.
  }
}

/**
 * A model's message in the page's words: `config.treatmentStart` (the API's name) becomes the
 * field's label as the form shows it ("Intervention date"). Names the form has no field for stay.
 */
export function pageWords(message: string, form: ModelForm): string {
  const labels = new Map(form.config.map((f) => [f.key, f.label]));
  return message.replace(/\bconfig\.(\w+)/g, (whole, key: string) => {
    const label = labels.get(key);
    return label === undefined ? whole : `"${label}"`;
  });
}

/**
 * What the form still needs before a fit, in the page's words ("Choose the intervention date: the
 * first time point of the post-period ..."), or undefined when every required field is set.
 */
export function missingField(form: ModelForm, config: Readonly<Record<string, unknown>>): string | undefined {
  for (const f of form.config) {
    const v = config[f.key];
    if (f.kind === 'date' && !f.optional && (v === undefined || v === '')) {
      const label = f.label.replace(/\s*\(.*\)$/, '').toLowerCase();
      return `Choose the ${label} in Options${f.description ? `: ${f.description.charAt(0).toLowerCase()}${f.description.slice(1)}` : '.'}`;
    }
  }
  return undefined;
}

/** A time column of whole numbers from 1000 to 9999: years, so a time point is asked as a year. */
export function isYearColumn(column: { type: string; min?: number; max?: number } | undefined): boolean {
  return column?.type === 'number' && column.min !== undefined && column.max !== undefined && Number.isInteger(column.min) && Number.isInteger(column.max) && column.min >= 1000 && column.max <= 9999;
}
