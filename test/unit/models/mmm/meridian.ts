/** Google Meridian's getting-started geo data (test/fixtures), whole or its first geos, with its role mapping. */
import type { FitSpec } from '../../../../src/api/types';
import { MERIDIAN_FILE, MERIDIAN_SPEC as SPEC } from '../../../data/meridian-geo';
import { readFixture } from '../../../fixtures/read.mjs';

/** Meridian's columns in the studio's roles, as a user maps them. */
export const MERIDIAN_SPEC: FitSpec = { ...SPEC, dataset: 'meridian' };

/** The CSV text, all 40 geos, or only the rows of the first `geos` geos (Geo0, Geo1, ...) for a quicker fit. */
export function meridianCsv(geos?: number): string {
  const text = readFixture(MERIDIAN_FILE);
  if (geos === undefined) return text;
  const keep = new Set(Array.from({ length: geos }, (_, g) => `Geo${g}`));
  const [header, ...rows] = text.trim().split('\n');
  return [header, ...rows.filter((r) => keep.has(r.split(',')[1]))].join('\n') + '\n';
}
