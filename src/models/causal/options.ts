/**
 * The causal models' options (`FitSpec.config`), declared once (models/options.ts): read by the
 * models, shown by the Causal page's forms. Intervention dates are time points on the time
 * column's axis (a date, or a number on its scale), read with the column (time-axis.ts). Tfjs-free.
 */
import type { OptionDeclarations } from '../options';

const PRIORS = { type: 'priors', label: 'Priors', description: 'User priors by parameter name, replacing the model’s defaults.' } as const;

const TREATMENT_START = {
  type: 'timePoint',
  required: true,
  label: 'Intervention date',
  description: 'The first time point of the post-period (a date, or a number on the time column’s scale, such as a year).',
} as const;

/** The placebo refit on an earlier cut of the pre-period (time-series.ts), for the time-series models. */
const PLACEBO = {
  placebo: { type: 'boolean', default: true, label: 'Placebo test', description: 'Refit on an earlier cut of the pre-period, as if the intervention had happened there: it should find no effect.' },
  placeboStart: {
    type: 'timePoint',
    label: 'Placebo date',
    description: 'Where the placebo refit cuts the pre-period. Default: chosen from the pre-period’s length.',
  },
} as const;

/** Most characters of the outcome's label and unit. */
const MAX_TEXT = 80;

/** The outcome's name and unit in the summary (outcome.ts), for every causal model. */
export const OUTCOME_TEXT_OPTIONS = {
  outcomeLabel: {
    type: 'text',
    maxLength: MAX_TEXT,
    placeholder: 'e.g. banks in business',
    label: 'Outcome label in the summary (blank = the column name)',
    description: 'How the summary names the outcome ("banks in business"); blank: the column’s name.',
  },
  unit: {
    type: 'text',
    maxLength: MAX_TEXT,
    placeholder: 'e.g. banks, packs per capita, deaths per 100,000',
    label: 'Outcome unit',
    description: 'The unit written after the summary’s amounts.',
  },
} as const satisfies OptionDeclarations;

/** The time-series models' outcome options: its kind (flow or stock, outcome.ts), then its label and unit. */
export const OUTCOME_OPTIONS = {
  outcomeKind: {
    type: 'choice',
    choices: ['flow', 'stock', 'auto'],
    default: 'auto',
    notes: {
      flow: 'an amount per period, such as sales per day: effects are summed',
      stock: 'a level, such as banks in business: effects are averaged',
    },
    label:
      'Outcome kind: flow (an amount per period, such as sales per day: the effect is summed) or stock (a level, such as banks in business: the effect is averaged); auto detects it',
    description: 'Whether the effect over the post-period is summed (a flow) or averaged (a stock); auto decides from the pre-period.',
  },
  ...OUTCOME_TEXT_OPTIONS,
} as const satisfies OptionDeclarations;

/** The interrupted time series' options (its.ts). */
export const ITS_OPTIONS = {
  treatmentStart: TREATMENT_START,
  seasonality: {
    type: 'number',
    integer: true,
    min: 0,
    max: 20,
    label: 'Seasonality (Fourier order; blank = 2 when the spacing implies a period)',
    description: 'Fourier order of the seasonality; 0 = none. Default: 2 (less for a short period) when the time spacing implies a period.',
  },
  seasonalPeriod: {
    type: 'number',
    min: 0,
    max: 10_000,
    label: 'Seasonal period in steps (blank = 12 monthly, 52.18 weekly, 7 daily)',
    description: 'Length of the seasonal cycle in time steps. Default: from the spacing (12 monthly, 52.18 weekly, 7 daily), else none.',
  },
  trend: { type: 'boolean', label: 'Linear trend', description: 'A linear trend in the pre-period regression. Default: on, off with structural.' },
  structural: {
    type: 'boolean',
    default: false,
    label: 'Structural (local level, as CausalImpact)',
    description: 'Replace the trend by a local level (a random walk), as CausalImpact.',
  },
  ...PLACEBO,
  priors: PRIORS,
  ...OUTCOME_OPTIONS,
} as const satisfies OptionDeclarations;

/** The synthetic control's options (synthetic-control.ts). */
export const SYNTHETIC_CONTROL_OPTIONS = {
  treatmentStart: { ...TREATMENT_START, label: 'Intervention date (year for yearly data)' },
  dirichletAlpha: {
    type: 'number',
    min: 1e-3,
    max: 1e3,
    default: 0.1,
    step: 0.001,
    label: 'Dirichlet concentration of the weights (< 1 favours few donors)',
    description: 'Concentration of the Dirichlet prior on the donor weights: below 1 favours few donors (sparse), 1 is flat.',
  },
  ...PLACEBO,
  priors: PRIORS,
  ...OUTCOME_OPTIONS,
} as const satisfies OptionDeclarations;

/** Difference-in-differences' options (did.ts). */
export const DID_OPTIONS = {
  treatmentStart: TREATMENT_START,
  ...PLACEBO,
  priors: PRIORS,
  ...OUTCOME_OPTIONS,
} as const satisfies OptionDeclarations;

/** Regression discontinuity's options (rd.ts). */
export const RD_OPTIONS = {
  threshold: {
    type: 'number',
    required: 'the value of the running variable where treatment starts',
    label: 'Threshold',
    description: 'The value of the running variable at and above which units are treated.',
  },
  bandwidth: {
    type: 'number',
    above: 0,
    label: 'Bandwidth (blank = all data)',
    description: 'Only points within this distance of the threshold are fitted. Default: all data.',
  },
  order: {
    type: 'number',
    integer: true,
    min: 1,
    max: 4,
    default: 1,
    label: 'Polynomial order',
    description: 'Order of the polynomial on each side of the threshold (1: local linear).',
  },
  priors: PRIORS,
  ...OUTCOME_TEXT_OPTIONS,
} as const satisfies OptionDeclarations;

/** The geo experiment's (time-based regression) options (tbr.ts). */
export const TBR_OPTIONS = {
  testStart: { type: 'timePoint', required: true, label: 'Test start', description: 'The first day of the test period.' },
  testEnd: { type: 'timePoint', label: 'Test end (blank = last date)', description: 'The last day of the test period. Default: the last date in the data.' },
  ...PLACEBO,
  priors: PRIORS,
  ...OUTCOME_OPTIONS,
} as const satisfies OptionDeclarations;
