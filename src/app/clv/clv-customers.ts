/** The count models' customer table: its sort order and its CSV export (ClvResults.svelte). */
import type { ClvCustomers, CustomerEstimates } from './clv-charts';

/** A column the customer table sorts by. */
export type CustomerSortKey = 'id' | 'frequency' | 'recency' | 'T' | 'pAlive' | 'expected' | 'clv';

/** Customer `i`'s value in column `key` (CLV falls back to expected purchases; a missing column reads 0). */
function sortValue(c: ClvCustomers, i: number, key: CustomerSortKey): number | string {
  switch (key) {
    case 'id':
      return c.id[i];
    case 'frequency':
      return c.frequency?.[i] ?? 0;
    case 'recency':
      return c.recency?.[i] ?? 0;
    case 'T':
      return c.T?.[i] ?? 0;
    case 'pAlive':
      return c.pAlive?.mean[i] ?? 0;
    case 'expected':
      return c.expectedPurchases?.mean[i] ?? 0;
    case 'clv':
      return c.clv?.mean[i] ?? c.expectedPurchases?.mean[i] ?? 0;
  }
}

/** Customer indices sorted by `key`. */
export function customerOrder(c: ClvCustomers, key: CustomerSortKey, descending: boolean): number[] {
  const sign = descending ? -1 : 1;
  return c.id
    .map((_, i) => i)
    .sort((a, b) => {
      const va = sortValue(c, a, key);
      const vb = sortValue(c, b, key);
      return (va < vb ? -1 : va > vb ? 1 : 0) * sign;
    });
}

/** The customer table as CSV columns and rows, in `order`: every estimate with its 94% HDI. */
export function customersCsv(c: ClvCustomers, order: readonly number[]): { header: string[]; rows: unknown[][] } {
  const header = ['customer', 'frequency', 'recency', 'T', 'monetary'];
  const estimates: [string, CustomerEstimates | undefined][] = [
    ['p_alive', c.pAlive],
    ['expected_purchases', c.expectedPurchases],
    ['clv', c.clv],
  ];
  for (const [name, e] of estimates) if (e) header.push(name, `${name}_low`, `${name}_high`);
  if (c.pmf) c.pmf.n.forEach((k) => header.push(`p_${k}_purchases`));
  if (c.segment) header.push('segment');
  const rows = order.map((i) => {
    const row: unknown[] = [c.id[i], c.frequency?.[i] ?? '', c.recency?.[i] ?? '', c.T?.[i] ?? '', c.monetary?.[i] ?? ''];
    for (const [, e] of estimates) if (e) row.push(e.mean[i] ?? '', e.hdiLow[i] ?? '', e.hdiHigh[i] ?? '');
    if (c.pmf) c.pmf.p.forEach((col) => row.push(col.mean[i] ?? ''));
    if (c.segment) row.push(c.segment[i]);
    return row;
  });
  return { header, rows };
}

/** A column the Gamma-Gamma customer table sorts by. */
export type SpendSortKey = 'id' | 'frequency' | 'observed' | 'expected';

/** Gamma-Gamma customer indices sorted by `key` (a missing observed mean sorts as the lowest). */
export function spendOrder(
  c: { id: string[]; frequency: number[]; observedMean: (number | null)[]; expectedSpend: { mean: number[] } },
  key: SpendSortKey,
  descending: boolean,
): number[] {
  const value = (i: number): number | string =>
    key === 'id' ? c.id[i] : key === 'frequency' ? c.frequency[i] : key === 'observed' ? (c.observedMean[i] ?? -Infinity) : c.expectedSpend.mean[i];
  const sign = descending ? -1 : 1;
  return c.id.map((_, i) => i).sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return (va < vb ? -1 : va > vb ? 1 : 0) * sign;
  });
}
