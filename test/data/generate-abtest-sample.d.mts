/** Types of test/data/generate-abtest-sample.mjs (imported by the unit tests). */
export const SEGMENTS: string[];
export interface AbTestTruth {
  conversionUplift: number;
  revenueUplift: number;
  bySegment: Record<string, { conversionUplift: number; revenueUplift: number }>;
}
/** Simulates a customer A/B test of a coupon; the truth is the average over the customers of the true uplifts. */
export function simulateAbTest(options?: { n?: number; seed?: number; uplift?: number[]; spendUplift?: number; segments?: boolean }): { csv: string; truth: AbTestTruth };
