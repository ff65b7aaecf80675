/**
 * Google Meridian's getting-started geo data (test/fixtures/meridian_geo_all_channels.csv: 40 geos
 * x 156 weeks) in the studio's MMM roles, as a user maps it; shared by the unit tests and the
 * benchmark.
 */
import type { FitSpec } from '../../src/api/types';

/** The fixture's file name. */
export const MERIDIAN_FILE = 'meridian_geo_all_channels.csv';

/** Meridian's columns in the studio's roles. */
export const MERIDIAN_SPEC: Omit<FitSpec, 'dataset'> = {
  model: 'mmm',
  columns: {
    date: 'time',
    geo: 'geo',
    target: 'conversions',
    population: 'population',
    revenuePerKpi: 'revenue_per_conversion',
    channels: [0, 1, 2, 3, 4].map((c) => `Channel${c}_spend`),
    exposures: [0, 1, 2, 3, 4].map((c) => `Channel${c}_impression`),
    // Promo is continuous (a non-media treatment, not a 0/1 event) and the organic channel has no
    // spend (no ROAS): both enter as controls.
    controls: ['competitor_sales_control', 'sentiment_score_control', 'Organic_channel0_impression', 'Promo'],
  },
};
