/**
 * The customer A/B test's data, read and checked: one row per customer, a group column with exactly
 * two labels, outcomes (converted, purchases, revenue), optional pre-period covariates (standardised
 * here) and an optional segment. Every refusal names the column, the row or the labels at fault.
 */
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { labelColumn, numberColumn, roleColumn, roleColumns } from '../../data/columns';
import type { Table } from '../../data/table';

/** Fewest customers a group may have: fewer make a test too small to read. */
export const MIN_GROUP = 20;
/** Labels read as the treated group when `config.treatment` is blank (case-insensitive). */
export const TREATED_LABELS = ['treatment', 'treated', 'test', 'variant', '1', 'true', 'yes'];
/** Labels read as the control group when no label reads as treated (case-insensitive). */
export const CONTROL_LABELS = ['control', 'holdout', 'hold-out', 'baseline', '0', 'false', 'no'];
/** Most segments the hierarchical uplift takes (more are nearly customers, not segments). */
export const MAX_SEGMENTS = 50;

const TRUE_WORDS = ['1', 'true', 'yes', 'y'];
const FALSE_WORDS = ['0', 'false', 'no', 'n'];

/** The customers of a test, one per row, checked. */
export interface AbTestData {
  n: number;
  /** 1 for a treated customer, 0 for a control one. */
  treated: Uint8Array;
  treatment: string;
  control: string;
  /** Whether each customer converted (the converted column; else purchases > 0; else revenue > 0). */
  converted: Uint8Array;
  /** Where `converted` was read from. */
  conversionSource: 'converted' | 'purchases' | 'revenue';
  purchases?: Float64Array;
  revenue?: Float64Array;
  /** Standardised covariates (mean 0, sd 1), one array per covariate. */
  covariates: Float64Array[];
  covariateNames: string[];
  /** Segment index per customer (0 when there is no segment column). */
  segment: Uint16Array;
  /** Segment labels in order of first appearance; `[]` without a segment column. */
  segments: string[];
  /** Columns used, by role. */
  columns: { customer: string; group: string; converted?: string; purchases?: string; revenue?: string; segment?: string };
}

const quoteList = (labels: readonly string[], max = 8) =>
  labels.slice(0, max).map((l) => `"${l}"`).join(', ') + (labels.length > max ? ` and ${labels.length - max} more` : '');

/** The two group labels, the treated one first: config.treatment when set, else the label that reads as treated, or the one beside a label that reads as control. */
function groupLabels(group: readonly string[], name: string, configured: string | undefined): { treatment: string; control: string } {
  const labels: string[] = [];
  group.forEach((g, i) => {
    if (g === '') throw new InputError(`Row ${i + 1}: the group ("${name}") is missing.`);
    if (!labels.includes(g)) labels.push(g);
  });
  if (labels.length !== 2) {
    throw new InputError(
      labels.length < 2
        ? `The group column "${name}" holds only one label, "${labels[0] ?? ''}": an A/B test needs a treatment and a control group.`
        : `The group column "${name}" must hold exactly two labels (treatment and control), but it holds ${labels.length}: ${quoteList(labels)}.`,
    );
  }
  if (configured !== undefined) {
    if (!labels.includes(configured)) throw new InputError(`config.treatment "${configured}" is not a label of the group column "${name}"; its labels are ${quoteList(labels)}.`);
    return { treatment: configured, control: labels.find((l) => l !== configured)! };
  }
  const reads = (words: string[]) => labels.filter((l) => words.includes(l.trim().toLowerCase()));
  const treated = reads(TREATED_LABELS);
  const control = reads(CONTROL_LABELS);
  // One label reads as treated, or else one reads as control and the other is the treated one.
  const treatment = treated.length === 1 ? treated[0] : control.length === 1 ? labels.find((l) => l !== control[0])! : undefined;
  if (treatment === undefined) throw new InputError(`Set config.treatment to the treated group's label: ${quoteList(labels)}.`);
  return { treatment, control: labels.find((l) => l !== treatment)! };
}

/** A 0/1 column (numbers, or true/false, yes/no). */
function binaryColumn(table: Table, name: string): Uint8Array {
  const labels = labelColumn(table, name, 'converted');
  return Uint8Array.from(labels, (v, i) => {
    const s = v.trim().toLowerCase();
    if (TRUE_WORDS.includes(s)) return 1;
    if (FALSE_WORDS.includes(s)) return 0;
    throw new InputError(`Row ${i + 1}: converted ("${name}") must be 0 or 1, got ${v === '' ? 'a missing value' : `"${v}"`}.`);
  });
}

/** A column of amounts or counts that must be present and not negative. */
function nonNegativeColumn(table: Table, name: string, role: 'purchases' | 'revenue'): Float64Array {
  const values = numberColumn(table, name, role).values;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InputError(`Row ${i + 1}: ${role} ("${name}") is missing.`);
    if (v < 0) throw new InputError(`Row ${i + 1}: ${role} ("${name}") is negative (${v}); ${role === 'revenue' ? 'revenue per customer' : 'a count of purchases'} must be 0 or more.`);
  });
  return values;
}

/** Reads and checks the customers of `spec` (roles customer, group, converted, purchases, revenue, covariates, segment). */
export function readAbTest(table: Table, spec: FitSpec, treatmentLabel: string | undefined): AbTestData {
  const customerCol = roleColumn(spec.columns, 'customer');
  const groupCol = roleColumn(spec.columns, 'group');
  const convertedCol = roleColumn(spec.columns, 'converted', true);
  const purchasesCol = roleColumn(spec.columns, 'purchases', true);
  const revenueCol = roleColumn(spec.columns, 'revenue', true);
  const segmentCol = roleColumn(spec.columns, 'segment', true);
  const covariateNames = roleColumns(spec.columns, 'covariates');
  if (!convertedCol && !purchasesCol && !revenueCol) throw new InputError('Choose at least one outcome column: converted, purchases or revenue.');
  const n = table.rows;

  const group = labelColumn(table, groupCol, 'group').map((g) => g.trim());
  const { treatment, control } = groupLabels(group, groupCol, treatmentLabel);
  const treated = Uint8Array.from(group, (g) => (g === treatment ? 1 : 0));

  // One row per customer: a customer in both groups is named with both rows.
  const customers = labelColumn(table, customerCol, 'customer');
  const seen = new Map<string, number>();
  customers.forEach((c, i) => {
    const id = c.trim();
    if (id === '') throw new InputError(`Row ${i + 1}: the customer ("${customerCol}") is missing.`);
    const first = seen.get(id);
    if (first !== undefined) {
      if (treated[first] !== treated[i]) {
        throw new InputError(`Customer "${id}" is in both groups (rows ${first + 1} and ${i + 1}, "${group[first]}" and "${group[i]}"): each customer must be in one group only.`);
      }
      throw new InputError(`Customer "${id}" has two rows (${first + 1} and ${i + 1}): give one row per customer (sum their purchases and revenue).`);
    }
    seen.set(id, i);
  });

  const sizes = [0, 0];
  for (let i = 0; i < n; i++) sizes[treated[i]]++;
  for (const [label, size] of [[treatment, sizes[1]], [control, sizes[0]]] as const) {
    if (size < MIN_GROUP) throw new InputError(`The group "${label}" has ${size} customer${size === 1 ? '' : 's'}; each group needs at least ${MIN_GROUP}.`);
  }

  const purchases = purchasesCol ? nonNegativeColumn(table, purchasesCol, 'purchases') : undefined;
  const revenue = revenueCol ? nonNegativeColumn(table, revenueCol, 'revenue') : undefined;
  let converted: Uint8Array;
  let conversionSource: AbTestData['conversionSource'];
  if (convertedCol) {
    converted = binaryColumn(table, convertedCol);
    conversionSource = 'converted';
  } else if (revenue) {
    converted = Uint8Array.from(revenue, (v) => (v > 0 ? 1 : 0));
    conversionSource = 'revenue';
  } else {
    converted = Uint8Array.from(purchases!, (v) => (v > 0 ? 1 : 0));
    conversionSource = 'purchases';
  }
  // The hurdle reads a conversion as a purchase with revenue: the two columns must agree.
  if (revenue && convertedCol) {
    for (let i = 0; i < n; i++) {
      if ((revenue[i] > 0 ? 1 : 0) !== converted[i]) {
        throw new InputError(
          `Row ${i + 1}: converted ("${convertedCol}") is ${converted[i]} but revenue ("${revenueCol}") is ${revenue[i]}; the hurdle model reads a conversion as a purchase with revenue above 0 (leave converted unmapped to read it from revenue).`,
        );
      }
    }
  }

  const covariates = covariateNames.map((name) => {
    const values = numberColumn(table, name, 'covariates').values;
    let sum = 0;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new InputError(`Covariate "${name}" is missing in data row ${i + 1}: fill it (e.g. 0 for no pre-period revenue) or leave the covariate out.`);
      sum += v;
    });
    const mean = sum / n;
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    const sd = Math.sqrt(ss / Math.max(n - 1, 1));
    if (!(sd > 0)) throw new InputError(`Covariate "${name}" has the same value for every customer: it cannot adjust anything.`);
    return Float64Array.from(values, (v) => (v - mean) / sd);
  });

  let segments: string[] = [];
  const segment = new Uint16Array(n);
  if (segmentCol) {
    const labels = labelColumn(table, segmentCol, 'segment');
    const index = new Map<string, number>();
    labels.forEach((raw, i) => {
      const s = raw.trim();
      if (s === '') throw new InputError(`Row ${i + 1}: the segment ("${segmentCol}") is missing.`);
      let k = index.get(s);
      if (k === undefined) {
        if (index.size >= MAX_SEGMENTS) throw new InputError(`The segment column "${segmentCol}" has more than ${MAX_SEGMENTS} labels: choose a coarser segment.`);
        index.set(s, (k = index.size));
      }
      segment[i] = k;
    });
    segments = [...index.keys()];
  }

  return {
    n,
    treated,
    treatment,
    control,
    converted,
    conversionSource,
    ...(purchases ? { purchases } : {}),
    ...(revenue ? { revenue } : {}),
    covariates,
    covariateNames,
    segment,
    segments,
    columns: {
      customer: customerCol,
      group: groupCol,
      ...(convertedCol ? { converted: convertedCol } : {}),
      ...(purchasesCol ? { purchases: purchasesCol } : {}),
      ...(revenueCol ? { revenue: revenueCol } : {}),
      ...(segmentCol ? { segment: segmentCol } : {}),
    },
  };
}
