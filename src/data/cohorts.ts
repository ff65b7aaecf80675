/**
 * Cohort tables from a transaction log: customers grouped by the period of their first purchase
 * (or by a column such as the acquisition channel), and for each later period the share still
 * active, the revenue they brought, and the cumulative revenue per customer.
 */
import { InputError } from '../api/errors';
import { DAY_MS, toIsoDate } from './time';

export type CohortPeriod = 'week' | 'month';

export interface CohortInput {
  /** Customer id per transaction. */
  customer: readonly string[];
  /** Transaction date, epoch ms at UTC midnight. */
  date: Float64Array;
  /** Transaction amount (optional: revenue tables need it). */
  amount?: Float64Array;
  /** Cohort label per transaction (e.g. acquisition channel); the first transaction's label counts. */
  group?: readonly string[];
}

export interface CohortTable {
  period: CohortPeriod;
  /** Cohort labels, oldest first (first-purchase period like `2024-01`, or the group label). */
  cohorts: string[];
  /** Customers in each cohort. */
  sizes: number[];
  /** Number of periods since acquisition covered (columns 0..periods-1). */
  periods: number;
  /**
   * `active[c][k]`: customers of cohort c with a purchase in their k-th period after acquisition
   * (k = 0 is the acquisition period, so active[c][0] = sizes[c]). NaN where period k of the
   * cohort lies after the end of the data (not yet observed).
   */
  active: number[][];
  /** `retention[c][k] = active[c][k] / sizes[c]` (NaN where not observed). */
  retention: number[][];
  /** Revenue of cohort c in period k (NaN where not observed; absent without amounts). */
  revenue?: number[][];
  /** Revenue retention: revenue[c][k] / revenue[c][0]. */
  revenueRetention?: number[][];
  /** Cumulative revenue per acquired customer up to and including period k. */
  cumulativeRevenuePerCustomer?: number[][];
}

/** Index of the calendar period containing `ms`: months since 1970-01, or ISO weeks since 1970-01-05 (a Monday). */
export function periodIndex(ms: number, period: CohortPeriod): number {
  if (period === 'month') {
    const d = new Date(ms);
    return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
  }
  return Math.floor((ms - 4 * DAY_MS) / (7 * DAY_MS));
}

/** Label of a period index: `YYYY-MM` for months, the Monday's ISO date for weeks. */
export function periodLabel(index: number, period: CohortPeriod): string {
  if (period === 'month') {
    const year = 1970 + Math.floor(index / 12);
    return `${year}-${String((index % 12) + 1).padStart(2, '0')}`;
  }
  return toIsoDate(index * 7 * DAY_MS + 4 * DAY_MS);
}

/**
 * Builds the cohort tables. Cohorts are first-purchase periods, or the values of `group` when given
 * (then period k counts from each customer's own first-purchase period).
 */
export function cohortTable(input: CohortInput, period: CohortPeriod): CohortTable {
  const n = input.customer.length;
  if (n === 0) throw new InputError('Cohort analysis needs at least one transaction.');
  const first = new Map<string, { index: number; group: string }>();
  let lastIndex = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = input.date[i];
    if (!Number.isFinite(t)) throw new InputError(`Row ${i + 1}: the date is missing or not a date.`);
    if (input.amount && !(input.amount[i] >= 0)) {
      throw new InputError(`Row ${i + 1}: the amount must be a number ≥ 0 (got ${input.amount[i]}).`);
    }
    const p = periodIndex(t, period);
    lastIndex = Math.max(lastIndex, p);
    const id = input.customer[i];
    const seen = first.get(id);
    if (!seen || p < seen.index) first.set(id, { index: p, group: input.group?.[i] ?? '' });
  }
  const cohortOf = (id: string): string => {
    const f = first.get(id)!;
    return input.group ? f.group : periodLabel(f.index, period);
  };
  const labels = [...new Set([...first.keys()].map(cohortOf))];
  const startOf = new Map<string, number>();
  for (const [id, f] of first) {
    const c = cohortOf(id);
    startOf.set(c, Math.min(startOf.get(c) ?? Infinity, f.index));
  }
  labels.sort((a, b) => startOf.get(a)! - startOf.get(b)! || a.localeCompare(b));
  const row = new Map(labels.map((c, i) => [c, i]));
  const periods = lastIndex - Math.min(...startOf.values()) + 1;
  const sizes = new Array<number>(labels.length).fill(0);
  for (const id of first.keys()) sizes[row.get(cohortOf(id))!]++;

  const activeSets = labels.map(() => Array.from({ length: periods }, () => new Set<string>()));
  const revenue = labels.map(() => new Array<number>(periods).fill(0));
  for (let i = 0; i < n; i++) {
    const id = input.customer[i];
    const f = first.get(id)!;
    const c = row.get(cohortOf(id))!;
    const k = periodIndex(input.date[i], period) - f.index;
    activeSets[c][k].add(id);
    if (input.amount) revenue[c][k] += input.amount[i];
  }
  // A grouped cohort mixes start periods; a period counts as observed when its earliest member saw it.
  const observed = (c: number, k: number) => startOf.get(labels[c])! + k <= lastIndex;
  const active = activeSets.map((sets, c) => sets.map((s, k) => (observed(c, k) ? s.size : NaN)));
  const retention = active.map((r, c) => r.map((a) => a / sizes[c]));
  const table: CohortTable = { period, cohorts: labels, sizes, periods, active, retention };
  if (input.amount) {
    const rev = revenue.map((r, c) => r.map((v, k) => (observed(c, k) ? v : NaN)));
    table.revenue = rev;
    table.revenueRetention = rev.map((r) => r.map((v) => (r[0] > 0 ? v / r[0] : NaN)));
    table.cumulativeRevenuePerCustomer = rev.map((r, c) => {
      let sum = 0;
      return r.map((v) => (Number.isFinite(v) ? (sum += v) / sizes[c] : NaN));
    });
  }
  return table;
}

/**
 * One cohort's survival counts for a retention model. A transaction log is non-contractual, so
 * "alive at period k" is read as "made a purchase in period k or later" (survival to the last
 * purchase): monotone non-increasing, the quantity a shifted-beta-geometric model describes.
 */
export interface SurvivalCohort {
  name: string;
  /** Customers acquired. */
  size: number;
  /** Periods after acquisition observed for the cohort's earliest customers (0: acquired in the last period). */
  periods: number;
  /** `churned[t - 1]`, t = 1..periods: customers whose last purchase was in period t - 1 and whose period t is observed. */
  churned: number[];
  /** `censored[t - 1]`: customers alive at period t, the last period observed for them (right-censored there). */
  censored: number[];
  /**
   * Share alive at periods 0..periods: the Kaplan-Meier estimate, which for first-purchase cohorts
   * (every customer observed equally long) is simply alive / size.
   */
  observed: number[];
  /** Customers alive at the last period observed for each of them. */
  aliveNow: number;
}

export interface CohortSurvival {
  period: CohortPeriod;
  /** Label of the last complete period (the last one counted as observed). */
  lastPeriod: string;
  /** Cohorts, oldest first (or groups in order of their first customer). */
  cohorts: SurvivalCohort[];
  /** Customers left out because their first purchase falls after the last complete period. */
  leftOut: number;
}

/**
 * Survival counts per cohort from a transaction log, up to the last period complete by
 * `observationEnd` (epoch ms of a day; default the last transaction's day). Transactions after that
 * day are ignored; purchases in a last, incomplete period still show that a customer was alive in
 * the periods before it. Cohorts are first-purchase periods or the values of `group` (then each
 * customer's periods count from their own first purchase, and is observed as long as the data allow).
 */
export function cohortSurvival(input: CohortInput, period: CohortPeriod, observationEnd?: number): CohortSurvival {
  const n = input.customer.length;
  if (n === 0) throw new InputError('The retention forecast needs at least one transaction.');
  let endDay = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.date[i])) throw new InputError(`Row ${i + 1}: the date is missing or not a date.`);
    endDay = Math.max(endDay, Math.floor(input.date[i] / DAY_MS) * DAY_MS);
  }
  if (observationEnd !== undefined) endDay = Math.floor(observationEnd / DAY_MS) * DAY_MS;
  const lastIndex = periodIndex(endDay + DAY_MS, period) - 1;

  const customers = new Map<string, { start: number; last: number; group: string; row: number }>();
  for (let i = 0; i < n; i++) {
    if (input.date[i] >= endDay + DAY_MS) continue;
    const id = input.customer[i];
    if (id === '') throw new InputError(`Row ${i + 1}: the customer id is missing.`);
    const p = periodIndex(input.date[i], period);
    const seen = customers.get(id);
    if (!seen) customers.set(id, { start: p, last: p, group: input.group?.[i] ?? '', row: i + 1 });
    else {
      if (p < seen.start) Object.assign(seen, { start: p, group: input.group?.[i] ?? '', row: i + 1 });
      seen.last = Math.max(seen.last, p);
    }
  }
  if (customers.size === 0) {
    throw new InputError(`No transactions on or before the observation end ${toIsoDate(endDay)}.`);
  }

  interface Builder { name: string; start: number; members: { age: number; lastAge: number }[] }
  const byName = new Map<string, Builder>();
  let leftOut = 0;
  for (const c of customers.values()) {
    if (c.start > lastIndex) {
      leftOut++;
      continue;
    }
    if (input.group && c.group === '') throw new InputError(`Row ${c.row}: the cohort value of this customer's first purchase is missing.`);
    const name = input.group ? c.group : periodLabel(c.start, period);
    let b = byName.get(name);
    if (!b) byName.set(name, (b = { name, start: c.start, members: [] }));
    b.start = Math.min(b.start, c.start);
    b.members.push({ age: lastIndex - c.start, lastAge: c.last - c.start });
  }
  const unit = period === 'month' ? 'month' : 'week';
  if (byName.size === 0) {
    throw new InputError(`Every customer's first purchase falls in the last, incomplete ${unit} before the observation end ${toIsoDate(endDay)}: there is no complete ${unit} to follow them through.`);
  }
  const cohorts = [...byName.values()]
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name))
    .map((b): SurvivalCohort => {
      const periods = lastIndex - b.start;
      const churned = new Array<number>(periods).fill(0);
      const censored = new Array<number>(periods).fill(0);
      // atRisk[t]: customers observed at period t and alive at t - 1 (difference array over t).
      const atRiskDiff = new Array<number>(periods + 2).fill(0);
      let aliveNow = 0;
      for (const { age, lastAge } of b.members) {
        if (lastAge >= age) {
          aliveNow++;
          if (age > 0) censored[age - 1]++;
          atRiskDiff[1]++;
          atRiskDiff[age + 1]--;
        } else {
          churned[lastAge]++; // alive at lastAge, not at lastAge + 1
          atRiskDiff[1]++;
          atRiskDiff[lastAge + 2]--;
        }
      }
      const observed = [1];
      let atRisk = 0;
      for (let t = 1; t <= periods; t++) {
        atRisk += atRiskDiff[t];
        observed.push(atRisk > 0 ? observed[t - 1] * (1 - churned[t - 1] / atRisk) : observed[t - 1]);
      }
      return { name: b.name, size: b.members.length, periods, churned, censored, observed, aliveNow };
    });
  return { period, lastPeriod: periodLabel(lastIndex, period), cohorts, leftOut };
}
