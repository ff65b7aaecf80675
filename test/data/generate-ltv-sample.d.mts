/** Types of test/data/generate-ltv-sample.mjs (imported by the unit tests). */
export type MediaChannel = 'search' | 'social' | 'tv';
export type Source = MediaChannel | 'organic';
/** Adstock alpha, logistic lam (on max-scaled spend) and beta (new customers per week at saturation). */
export const MEDIA: Record<MediaChannel, { alpha: number; lam: number; beta: number }>;
/** BG/NBD parameters (weeks) and mean spend per purchase of each channel's customers. */
export const PURCHASES: Record<Source, { r: number; alpha: number; a: number; b: number; spend: number }>;
/** Both sample CSVs and the acquisition truth. */
export function simulateAcquisition(seed?: number): {
  mmmCsv: string;
  transactionsCsv: string;
  truth: {
    weeks: number;
    observationEnd: string;
    customers: Record<Source, number>;
    /** True incremental customers over the 104 weeks (sum of the Poisson means). */
    incremental: Record<MediaChannel, number>;
    spend: Record<MediaChannel, number>;
    cac: Record<MediaChannel, number>;
  };
};
