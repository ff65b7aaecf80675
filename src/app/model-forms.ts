/**
 * What the model pages ask for: per model, the column roles (DESIGN.md "Column roles") and the
 * config fields, as data, so one form component serves every model.
 */
import type { ColumnType, ModelName } from '../api/types';

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

export type ConfigField =
  | { key: string; label: string; kind: 'number'; default?: number; min?: number; max?: number; step?: number; optional?: boolean }
  | { key: string; label: string; kind: 'date'; default?: string; optional?: boolean }
  | { key: string; label: string; kind: 'text'; default?: string; optional?: boolean; placeholder?: string }
  | { key: string; label: string; kind: 'select'; options: readonly string[]; default: string }
  | { key: string; label: string; kind: 'boolean'; default: boolean };

export interface ModelForm {
  model: ModelName;
  label: string;
  /** One-line description of what the model assumes. */
  description: string;
  roles: readonly RoleField[];
  config: readonly ConfigField[];
}
