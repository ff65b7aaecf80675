/**
 * The in-memory, columnar form of a parsed dataset. Every layer after CSV ingest (validation,
 * transforms, models) reads this; nothing downstream sees CSV text or row objects.
 */
import type { ColumnType } from '../api/types';

export interface NumberColumn {
  readonly name: string;
  readonly type: 'number';
  /** One value per row; NaN marks a missing value. */
  readonly values: Float64Array;
}

export interface DateColumn {
  readonly name: string;
  readonly type: 'date';
  /** Milliseconds since the Unix epoch at UTC midnight (dates carry no time zone); NaN = missing. */
  readonly values: Float64Array;
}

export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  /** One value per row; '' marks a missing value. */
  readonly values: readonly string[];
}

export type Column = NumberColumn | DateColumn | StringColumn;

export interface Table {
  readonly rows: number;
  readonly columns: readonly Column[];
}

export type { ColumnType };
