/** The studio's pages, in the order of the navigation bar. */
export type Page = 'data' | 'mmm' | 'clv' | 'causal' | 'geo-design' | 'cohorts' | 'ltv-cac' | 'runs';

export const PAGES: readonly { id: Page; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'mmm', label: 'MMM' },
  { id: 'clv', label: 'CLV' },
  { id: 'causal', label: 'Causal' },
  { id: 'geo-design', label: 'Geo design' },
  { id: 'cohorts', label: 'Cohorts' },
  { id: 'ltv-cac', label: 'LTV/CAC' },
  { id: 'runs', label: 'Runs' },
];

/** The navigation label of a page. */
export function pageLabel(id: Page): string {
  return PAGES.find((p) => p.id === id)?.label ?? id;
}
