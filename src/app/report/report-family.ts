/** What each model family contributes to a report (report-mmm.ts, report-clv.ts, ...). */
import type { Headline, Section } from './report-html';

export interface FamilyReport {
  /** The question the run answers, in words. */
  question: string;
  /** The headline answers, with 94% intervals. */
  headline: Headline[];
  /** The family's chart and table sections, in reading order. */
  sections: Section[];
  /** The period the data cover, where the outputs know it. */
  period?: string;
  /** Family-specific cautions (beside the run's warnings and diagnostics). */
  cautions?: string[];
  /** Notes the model wrote about the data or its choices, shown with the model. */
  notes?: string[];
}
