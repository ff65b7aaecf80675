/** The demo CSVs shipped in public/samples/, offered as "try a sample" buttons. */
import type { Page } from './pages';

export interface Sample {
  file: string;
  label: string;
  description: string;
  /** The pages that analyse this sample, suggested once it has loaded. */
  pages: readonly Page[];
}

export const SAMPLES: readonly Sample[] = [
  {
    file: 'mmm-weekly.csv',
    label: 'MMM weekly (simulated)',
    description: '179 weeks of sales, two channels and two events from the PyMC-Marketing example’s generating process (known truth; see README). For MMM.',
    pages: ['mmm'],
  },
  {
    file: 'geo-mmm.csv',
    label: 'Geo MMM weekly (simulated)',
    description:
      '12 geos x 104 weeks of sales, population and spend on tv, search and social from the geo MMM’s own process (channel effects varying by geo; known truth, see README). For a geo-level MMM.',
    pages: ['mmm'],
  },
  {
    file: 'cdnow-transactions.csv',
    label: 'CDNOW transactions',
    description: 'CDNOW 1/10 sample: 6,919 purchases by 2,357 customers, 1997-1998 (Fader & Hardie). For CLV and cohorts.',
    pages: ['clv', 'cohorts'],
  },
  {
    file: 'acquisition-transactions.csv',
    label: 'Acquisition: transactions by channel (simulated)',
    description:
      '17,284 purchases by 3,953 customers, 2023-2025, each with the channel that acquired them (search, social, tv, organic); known per-channel BG/NBD and spend (see README). For CLV with a channel, then LTV/CAC.',
    pages: ['clv', 'cohorts', 'ltv-cac'],
  },
  {
    file: 'acquisition-mmm.csv',
    label: 'Acquisition: weekly new customers and spend (simulated)',
    description: '104 weeks of new customers and spend on search, social and tv from a known MMM process (see README). For an MMM of new customers, then LTV/CAC.',
    pages: ['mmm', 'ltv-cac'],
  },
  {
    file: 'california_prop99.csv',
    label: 'Proposition 99 (synthetic control)',
    description: 'Cigarette packs per capita in 39 US states, 1970-2000; California treated from 1989 (Abadie, Diamond & Hainmueller 2010). For causal impact.',
    pages: ['causal'],
  },
  {
    file: 'geo_experiment_salesandcost.csv',
    label: 'Geo experiment (time-based regression)',
    description: '100 geos x 92 days of sales and cost, treatment/control groups, test 2015-02-16..2015-03-15 (Kerman et al. 2017). For causal impact; its days before 2015-02-16 for a geo test design.',
    pages: ['causal', 'geo-design'],
  },
  {
    file: 'banks.csv',
    label: 'Banks 1929-1934 (difference-in-differences)',
    description: 'Banks in business in Federal Reserve districts 6 (eased lending from July 1930) and 8 (Richardson & Troost 2009). For causal impact.',
    pages: ['causal'],
  },
  {
    file: 'drinking.csv',
    label: 'Minimum drinking age (regression discontinuity)',
    description: 'Mortality per 100,000 by age cell around 21 (Carpenter & Dobkin 2009). For causal impact.',
    pages: ['causal'],
  },
  {
    file: 'abtest.csv',
    label: 'Coupon A/B test (simulated)',
    description: '4,000 customers, coupon vs control, three segments and pre-period revenue; known uplift (see README). For the customer A/B test on the Causal page.',
    pages: ['causal'],
  },
];

/**
 * The build's `samples/` folder, resolved against the studio's own script rather than the page: an
 * embedding portal's page lives elsewhere (its `document.baseURI` is the portal's), and a build may
 * be served under any sub-path. Vite rewrites this static public-file URL into one relative to the
 * emitted chunk (`new URL('../samples/...', import.meta.url)`); it names a file that is always
 * shipped (the first sample) because only a file, not a folder, is rewritten.
 */
const SAMPLES_DIR = new URL('./', new URL('/samples/mmm-weekly.csv', import.meta.url));

/** The URL of a bundled sample, inside the build wherever the studio is mounted. */
export function sampleUrl(file: string): string {
  return new URL(file, SAMPLES_DIR).href;
}
