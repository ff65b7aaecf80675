/**
 * Collapses data rows that carry the same sufficient statistics into one row with a count, so a
 * likelihood's work scales with distinct rows (CDNOW's 2,357 customers are ~1,000 distinct
 * (x, t_x, T) triples).
 */

export interface UniqueRows {
  /** One array per key column, of the distinct rows. */
  columns: Float64Array[];
  /** How many input rows each distinct row stands for. */
  counts: Float64Array;
  /** For each input row, the index of its distinct row. */
  index: Int32Array;
}

/** Distinct rows of the given equal-length columns (exact float equality). */
export function uniqueRows(columns: readonly ArrayLike<number>[], weights?: ArrayLike<number>): UniqueRows {
  const n = columns[0].length;
  const key = new Map<string, number>();
  const index = new Int32Array(n);
  const rows: number[][] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => c[i]);
    const k = row.join('|');
    let j = key.get(k);
    if (j === undefined) {
      j = rows.length;
      key.set(k, j);
      rows.push(row);
      counts.push(0);
    }
    counts[j] += weights ? weights[i] : 1;
    index[i] = j;
  }
  return {
    columns: columns.map((_, c) => Float64Array.from(rows, (r) => r[c])),
    counts: Float64Array.from(counts),
    index,
  };
}
