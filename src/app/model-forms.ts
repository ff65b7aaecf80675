/**
 * What the model pages ask for: per model, the column roles (DESIGN.md "Column roles") and the
 * config fields (built from the model's declared options), as data, so one form component serves
 * every model.
 */
import type { ColumnType, DatasetInfo, ModelName } from '../api/types';
import type { Table } from '../data/table';
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
  /** Column names to preselect when they match (case-insensitive), beside `guess` (Meridian's `Channel0_spend`). */
  guessPattern?: RegExp;
  /** Words that mark a column for this role anywhere in its name (case-insensitive): `spend` takes "TV Spend" and "search_spend". */
  guessWords?: readonly string[];
  /** For a `many` role: when no column matches `guess`, preselect every remaining candidate (donor units). */
  guessAll?: boolean;
  /**
   * For a one-column role: when no name matches, preselect a column that tells apart the rows of
   * one value of this other role (a geo column in long data: the dates repeat, one row per date
   * and geo), judged on the preview rows.
   */
  guessKeyOf?: string;
  /**
   * One column (or none) for each column chosen for this other `many` role, in its order (the
   * exposures of the channels); guessed from a name with the same stem and an `alignedSuffix`.
   */
  alignedWith?: string;
  /** Name endings that mark this role's column for a column of `alignedWith` (case-insensitive). */
  alignedSuffix?: readonly string[];
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
  /** The MMM's table of lift tests (`config.liftTests`, app/mmm/LiftTestTable.svelte) goes with the options. */
  liftTests?: true;
}

/** The columns a role accepts in a dataset. */
export function roleCandidates(field: RoleField, d: DatasetInfo | undefined): string[] {
  return d ? d.columns.filter((c) => field.types.includes(c.type)).map((c) => c.name) : [];
}

/** A column name without the words that say what it measures: `Channel0_spend` and `Channel0_impression` share `channel0`. */
function stem(name: string, suffixes: readonly string[]): string {
  const lower = name.toLowerCase();
  const end = suffixes.find((x) => lower.endsWith(x.toLowerCase()));
  return (end ? lower.slice(0, lower.length - end.length) : lower).replace(/[\s_-]+$/, '');
}

/** Name endings of spend columns, dropped to match a channel with its exposure column. */
const SPEND_SUFFIXES = ['spend', 'cost', 'costs'];

/**
 * Whether `column` tells apart the preview rows that share a value of `key`: the key repeats and
 * no (key, column) pair does (a geo column beside a date column in long data).
 */
function separatesRowsOf(preview: Table, key: string, column: string): boolean {
  const k = preview.columns.find((c) => c.name === key);
  const c = preview.columns.find((x) => x.name === column);
  if (!k || !c) return false;
  const keys = new Set<string>();
  const pairs = new Set<string>();
  for (let i = 0; i < preview.rows; i++) {
    const kv = String(k.values[i]);
    const cv = String(c.values[i]);
    if (cv === '' || cv === 'NaN') return false;
    keys.add(kv);
    pairs.add(`${kv}\u0000${cv}`);
  }
  return keys.size < preview.rows && pairs.size === preview.rows;
}

/** Whether column `name` is one `field` would preselect by name: in `guess`, matching `guessPattern`, or holding a word of `guessWords`. */
export function guessedFor(field: RoleField, name: string): boolean {
  const lower = name.toLowerCase();
  if (field.guess?.some((g) => g.toLowerCase() === lower) || field.guessPattern?.test(name) === true) return true;
  const words = lower.split(/[^a-z0-9]+/).filter(Boolean);
  return field.guessWords?.some((w) => words.includes(w.toLowerCase())) ?? false;
}

/**
 * The roles a form preselects for a dataset: names in `guess` (or matching `guessPattern`), then
 * `guessKeyOf` and `alignedWith` from the preview rows and the other guesses; a column goes to one
 * role only. A `many` role gets a list; an `alignedWith` role a list as long as its partner's,
 * '' where no column was guessed.
 */
export function guessRoles(form: ModelForm, d: DatasetInfo | undefined, preview?: Table): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const used = new Set<string>();
  const binary = new Set(d?.columns.filter((c) => c.binary).map((c) => c.name));
  for (const field of form.roles) {
    const cols = roleCandidates(field, d).filter((c) => !used.has(c));
    if (field.alignedWith) {
      const partners = (out[field.alignedWith] as string[] | undefined) ?? [];
      const suffixes = field.alignedSuffix ?? [];
      const picks = partners.map((p) => {
        const s = stem(p, SPEND_SUFFIXES);
        return cols.find((c) => !used.has(c) && suffixes.some((x) => c.toLowerCase().endsWith(x.toLowerCase())) && stem(c, suffixes) === s) ?? '';
      });
      picks.forEach((c) => c && used.add(c));
      out[field.role] = picks;
      continue;
    }
    let byName = cols.filter((c) => guessedFor(field, c) || (field.guessBinary === true && binary.has(c)));
    // A column named like an exposure of another guessed column ("tv_impressions" beside "tv_spend")
    // is left to the role aligned with this one.
    const aligned = form.roles.find((f) => f.alignedWith === field.role)?.alignedSuffix;
    if (aligned) {
      const isExposure = (c: string) => aligned.some((x) => c.toLowerCase().endsWith(x.toLowerCase()));
      const spendStems = new Set(byName.filter((c) => !isExposure(c)).map((c) => stem(c, SPEND_SUFFIXES)));
      byName = byName.filter((c) => !(isExposure(c) && spendStems.has(stem(c, aligned))));
    }
    if (field.many) {
      out[field.role] = byName.length === 0 && field.guessAll ? cols : byName;
    } else {
      const key = field.guessKeyOf ? (out[field.guessKeyOf] as string | undefined) : undefined;
      const byKey = key && preview ? cols.filter((c) => separatesRowsOf(preview, key, c)) : [];
      const pick = byName[0] ?? byKey[0] ?? (field.optional ? '' : (cols[0] ?? ''));
      out[field.role] = pick;
      if (pick) used.add(pick);
    }
    for (const c of byName) used.add(c);
  }
  return out;
}

/**
 * `roles` with the guesses that need a dataset's first rows (`guessKeyOf`) filled in where the
 * role is still empty and the guessed column is not taken by another role; everything else as it is.
 */
export function previewGuesses(
  form: ModelForm,
  d: DatasetInfo | undefined,
  preview: Table,
  roles: Readonly<Record<string, string | string[]>>,
): Record<string, string | string[]> {
  const fresh = guessRoles(form, d, preview);
  const used = new Set(Object.values(roles).flat().filter(Boolean));
  const out = { ...roles };
  for (const field of form.roles) {
    const pick = fresh[field.role];
    if (field.guessKeyOf && out[field.role] === '' && typeof pick === 'string' && pick && !used.has(pick)) {
      out[field.role] = pick;
      used.add(pick);
    }
  }
  return out;
}

/**
 * The FitSpec columns of the roles a form holds: empty roles left out; an `alignedWith` role given
 * for every column of its partner or for none (else an Error naming the columns without one).
 */
export function roleColumns(form: ModelForm, roles: Readonly<Record<string, string | readonly string[]>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const field of form.roles) {
    const v = roles[field.role];
    if (v === undefined) continue;
    if (field.alignedWith) {
      const partners = (roles[field.alignedWith] as readonly string[] | undefined) ?? [];
      const picks = partners.map((_, i) => (v as readonly string[])[i] ?? '');
      const missing = partners.filter((_, i) => !picks[i]);
      if (missing.length === partners.length) continue;
      if (missing.length) throw new Error(`${field.label}: choose a column for every ${field.alignedWith === 'channels' ? 'channel' : field.alignedWith} or for none (none for ${missing.join(', ')}).`);
      out[field.role] = picks;
    } else if (Array.isArray(v) ? v.length > 0 : v !== '') {
      out[field.role] = Array.isArray(v) ? [...v] : (v as string);
    }
  }
  return out;
}

/**
 * The roles after `column` is ticked (`on`) or unticked for the `many` role `role`; a role aligned
 * with it keeps each remaining column's choice.
 */
export function toggleRole(
  form: ModelForm,
  roles: Readonly<Record<string, string | string[]>>,
  role: string,
  column: string,
  on: boolean,
): Record<string, string | string[]> {
  const before = (roles[role] as string[] | undefined) ?? [];
  const after = on ? [...before.filter((c) => c !== column), column] : before.filter((c) => c !== column);
  const out: Record<string, string | string[]> = { ...roles, [role]: after };
  for (const field of form.roles) {
    if (field.alignedWith !== role) continue;
    const old = (roles[field.role] as string[] | undefined) ?? [];
    out[field.role] = after.map((c) => old[before.indexOf(c)] ?? '');
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
