/**
 * The CLV models' options (`FitSpec.config`), declared once (models/options.ts): read by the
 * models, shown by the CLV and cohort pages' forms. Tfjs-free.
 */
import type { OptionDeclarations } from '../options';

const TIME_UNITS = ['days', 'weeks', 'months'] as const;

const OBSERVATION_END = {
  type: 'date',
  label: 'Observation end (default: last date)',
  description: 'The end of the observation period (YYYY-MM-DD); purchases after it are ignored. Default: the last date in the data.',
} as const;

const PRIORS = { type: 'priors', label: 'Priors', description: 'User priors by parameter name, replacing the model’s defaults.' } as const;

/** How a transaction log is summarised to RFM (rfm-input.ts), for every model that reads one. */
export const RFM_OPTIONS = {
  timeUnit: {
    type: 'choice',
    choices: TIME_UNITS,
    default: 'weeks',
    label: 'Time unit',
    description: 'The unit of recency, T and the predictions.',
  },
  observationEnd: OBSERVATION_END,
  calibrationEnd: {
    type: 'date',
    label: 'Calibration end (holdout after it)',
    description: 'Fit on the purchases up to this date (YYYY-MM-DD) and compare the predictions with the purchases after it.',
  },
} as const satisfies OptionDeclarations;

/** The count models' options (BG/NBD, Pareto/NBD, MBG/NBD; count-model.ts). */
export const COUNT_MODEL_OPTIONS = {
  ...RFM_OPTIONS,
  predictionPeriods: {
    type: 'number',
    above: 0,
    unit: 'periods',
    label: 'Predict purchases over (time units)',
    description: 'Horizon of the expected purchases per customer, in time units. Default: one year.',
  },
  clvMonths: {
    type: 'number',
    integer: true,
    min: 1,
    max: 120,
    unit: 'months',
    default: 12,
    label: 'CLV horizon (months)',
    description: 'Horizon of the customer lifetime value, in months.',
  },
  margin: {
    type: 'number',
    above: 0,
    max: 1,
    default: 1,
    step: 0.01,
    label: 'Profit margin (0-1]',
    description: 'Share of spend that is profit, for the customer lifetime value (1: value as revenue).',
  },
  discountRate: {
    type: 'number',
    min: 0,
    below: 1,
    default: 0.01,
    step: 0.001,
    label: 'Monthly discount rate',
    description: 'Monthly rate at which future value is discounted in the customer lifetime value.',
  },
  perChannel: {
    type: 'boolean',
    default: false,
    label: 'Purchase and dropout parameters per acquisition channel',
    description: 'Give every parameter an element per acquisition channel (needs the channel column).',
  },
  priors: PRIORS,
} as const satisfies OptionDeclarations;

/** The Gamma-Gamma spend model's options (gammagamma.ts). */
export const GAMMA_GAMMA_OPTIONS = { ...RFM_OPTIONS, priors: PRIORS } as const satisfies OptionDeclarations;

/** The BG/BB model's options (bgbb.ts). */
export const BGBB_OPTIONS = {
  futurePeriods: {
    type: 'number',
    integer: true,
    min: 1,
    default: 5,
    label: 'Predict over the next opportunities',
    description: 'Number of future opportunities over which the expected transactions are predicted.',
  },
  priors: PRIORS,
} as const satisfies OptionDeclarations;

/** The shifted-beta-geometric model's options (sbg.ts). */
export const SBG_OPTIONS = {
  projectPeriods: {
    type: 'number',
    integer: true,
    min: 0,
    max: 200,
    label: 'Project survival this many periods ahead',
    description: 'Periods over which survival is projected. Default: the data’s last period.',
  },
  priors: PRIORS,
} as const satisfies OptionDeclarations;

/** The acquisition cohort forecast's options (cohort-sbg.ts). */
export const COHORT_OPTIONS = {
  period: {
    type: 'choice',
    choices: ['month', 'week'],
    default: 'month',
    label: 'Period',
    description: 'Customers are grouped into cohorts by the month (or week) of their first purchase and counted per period.',
  },
  horizon: {
    type: 'number',
    integer: true,
    min: 1,
    max: 240,
    unit: 'periods',
    default: 12,
    label: 'Forecast horizon (periods)',
    description: 'Periods ahead of the last observed one to forecast.',
  },
  observationEnd: OBSERVATION_END,
  priors: PRIORS,
} as const satisfies OptionDeclarations;
