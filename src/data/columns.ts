/**
 * Looking up the columns a FitSpec names, with the specific errors a user needs when one is
 * missing or of the wrong type.
 */
import { InputError } from '../api/errors';
import type { Column, DateColumn, NumberColumn, Table } from './table';
import { toIsoDate } from './time';

function find(table: Table, name: string, role: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    const names = table.columns.map((c) => `"${c.name}"`).join(', ');
    throw new InputError(`Column "${name}" (for ${role}) is not in the dataset; its columns are ${names}.`);
  }
  return column;
}

/** The column name given for `role`, or an error saying the role needs one. */
export function roleColumn(columns: Record<string, string | string[]>, role: string, optional?: false): string;
export function roleColumn(columns: Record<string, string | string[]>, role: string, optional: true): string | undefined;
export function roleColumn(columns: Record<string, string | string[]>, role: string, optional = false): string | undefined {
  const value = columns[role];
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    if (optional) return undefined;
    throw new InputError(`Choose a column for "${role}".`);
  }
  if (Array.isArray(value)) {
    if (value.length > 1) throw new InputError(`"${role}" takes one column, got ${value.length}.`);
    return value[0];
  }
  return value;
}

/** The column names given for a list role (a single name is a list of one). */
export function roleColumns(columns: Record<string, string | string[]>, role: string): string[] {
  const value = columns[role];
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The largest magnitude a model input may have. Models compute in 32-bit floats (largest 3.4e38)
 * and scale results back to the data's units, summing over periods and customers: a value near
 * 1e308 fits but turns its outputs into Infinity. 1e15 leaves ample room and is beyond any sales,
 * spend or count in practice.
 */
export const MAX_MAGNITUDE = 1e15;

/**
 * The number column `name` for `role`. Every model reads its number inputs here, so this is the
 * one place that refuses values too large to compute with (see MAX_MAGNITUDE).
 */
export function numberColumn(table: Table, name: string, role: string): NumberColumn {
  const column = find(table, name, role);
  if (column.type !== 'number') {
    throw new InputError(`Column "${name}" (for ${role}) must hold numbers, but it was read as ${column.type}.`);
  }
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > MAX_MAGNITUDE) {
      throw new InputError(
        `Column "${name}" (for ${role}) has ${values[i]} in data row ${i + 1}: values beyond ±1e15 are too large to compute with safely. Rescale the column (e.g. in thousands or millions) or fix that row.`,
      );
    }
  }
  return column;
}

export function dateColumn(table: Table, name: string, role: string): DateColumn {
  const column = find(table, name, role);
  if (column.type !== 'date') {
    throw new InputError(`Column "${name}" (for ${role}) must hold dates, but it was read as ${column.type}.`);
  }
  return column;
}

/** Any column as strings (ids may be read as numbers: 00042 -> "42"); missing values are ''. */
export function labelColumn(table: Table, name: string, role: string): string[] {
  const column = find(table, name, role);
  if (column.type === 'string') return [...column.values];
  if (column.type === 'date') return Array.from(column.values, (v) => (Number.isNaN(v) ? '' : toIsoDate(v)));
  return Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
}

/** Throws naming the first row (1-based data row) whose value is missing. */
export function requireComplete(values: ArrayLike<number> | readonly string[], name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === '' || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new InputError(`Column "${name}" has a missing or non-finite value in data row ${i + 1}.`);
    }
  }
}
