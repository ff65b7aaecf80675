/**
 * The MMM's options (`FitSpec.config`), declared once (models/options.ts): defaults as
 * PyMC-Marketing's MMM example. Read by prepare.ts, shown by the MMM page's form. Tfjs-free.
 */
import type { OptionDeclarations } from '../options';
import { ADSTOCK_KINDS } from './adstock';
import { SATURATION_KINDS } from './saturation';

/** The 'mmm' model's options. */
export const MMM_OPTIONS = {
  adstock: {
    type: 'choice',
    choices: ADSTOCK_KINDS,
    default: 'geometric',
    label: 'Adstock',
    description: 'How spend carries over to later periods: geometric decay, delayed (peak after a lag), or a Weibull PDF / CDF profile.',
  },
  lMax: {
    type: 'number',
    integer: true,
    min: 1,
    max: 104,
    default: 8,
    label: 'Adstock max lag (periods)',
    description: 'Longest carry-over, in periods: spend affects at most this many periods after it.',
  },
  saturation: {
    type: 'choice',
    choices: SATURATION_KINDS,
    default: 'logistic',
    label: 'Saturation',
    description: 'How each channel’s effect flattens as its (adstocked) spend grows.',
  },
  yearlySeasonality: {
    type: 'number',
    integer: true,
    min: 0,
    max: 10,
    default: 2,
    label: 'Yearly seasonality (Fourier order)',
    description: 'Fourier order of the yearly seasonality; 0 = none.',
  },
  geoSeasonality: {
    type: 'choice',
    choices: ['shared', 'per geo'],
    default: 'shared',
    label: 'Seasonality across geos',
    description: 'With a geo column: one yearly seasonality shared by every geo, or one per geo (needs 2 or more geos).',
  },
  geoParametrisation: {
    type: 'choice',
    choices: ['non-centred', 'centred intercepts', 'centred'],
    default: 'centred intercepts',
    label: 'Geo pooling parametrisation',
    description:
      'With 2 or more geos: how the geo intercepts, channel effects and noise scales are sampled around their national values. Centred intercepts (the default) samples the geo intercepts themselves, each pinned by its geo’s many periods, and the channel effects and noise scales by offsets z ~ N(0, 1); non-centred uses offsets for all three (its intercept offsets make a narrow ridge the sampler crawls along); centred samples all three geo values, which makes funnels of the weakly informed ones and has no mode (MAP is refused for it).',
  },
  trend: { type: 'boolean', default: true, label: 'Linear trend', description: 'Add a linear trend over time.' },
  likelihood: {
    type: 'choice',
    choices: ['normal', 'studentt'],
    default: 'normal',
    label: 'Likelihood',
    description: 'Observation noise: normal, or Student-t (heavier tails, for outlying periods).',
  },
  targetKind: {
    type: 'choice',
    choices: ['auto', 'value', 'count'],
    default: 'auto',
    label: 'Target is',
    description:
      'A value (sales, revenue: channels read as ROAS) or a count (sign-ups, new customers: channels read as cost per acquisition). Auto: a count when every target value is a whole number.',
  },
  holdoutPeriods: {
    type: 'number',
    integer: true,
    min: 0,
    max: 10_000,
    default: 0,
    label: 'Hold out the last periods',
    description: 'Last periods kept out of the fit and predicted, to check the fit out of sample.',
  },
  holdoutWeeks: {
    type: 'number',
    integer: true,
    min: 0,
    max: 10_000,
    label: 'Hold out the last periods (older name)',
    description: 'The older name of holdoutPeriods (the periods need not be weeks); give one of the two.',
  },
  liftTests: {
    type: 'list',
    label: 'Lift tests',
    description:
      'Lift tests entering the likelihood: a list of { channel, spendBefore, spendAfter, deltaY, sigma }, or { channel, start, end, deltaY, sigma } with the spend read from the data over the test dates (lift-tests.ts).',
  },
  priors: { type: 'priors', label: 'Priors', description: 'User priors by parameter base name, merged over the defaults (mmm.ts).' },
} as const satisfies OptionDeclarations;
