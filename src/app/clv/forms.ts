/** The CLV page's model forms (roles and options per DESIGN.md). */
import type { ConfigField, ModelForm, RoleField } from '../model-forms';

const TRANSACTION_ROLES: readonly RoleField[] = [
  { role: 'customer', label: 'Customer id', types: ['string', 'number'], guess: ['customer_id', 'customer', 'id', 'client', 'user'] },
  { role: 'date', label: 'Purchase date', types: ['date'], guess: ['date', 'order_date', 'purchase_date'] },
  { role: 'amount', label: 'Amount', optional: true, types: ['number'], guess: ['amount', 'revenue', 'value', 'dollars', 'spend', 'sales'] },
  {
    role: 'channel',
    label: 'Acquisition channel (value per channel, for LTV/CAC)',
    optional: true,
    types: ['string'],
    guess: ['channel', 'acquisition_channel', 'source', 'utm_source'],
  },
];

const COUNT_CONFIG: readonly ConfigField[] = [
  { key: 'timeUnit', label: 'Time unit', kind: 'select', options: ['weeks', 'days', 'months'], default: 'weeks' },
  { key: 'observationEnd', label: 'Observation end (default: last date)', kind: 'date', optional: true },
  { key: 'calibrationEnd', label: 'Calibration end (holdout after it)', kind: 'date', optional: true },
  { key: 'predictionPeriods', label: 'Predict purchases over (time units)', kind: 'number', min: 1, optional: true },
  { key: 'clvMonths', label: 'CLV horizon (months)', kind: 'number', default: 12, min: 1, max: 120, step: 1 },
  { key: 'margin', label: 'Profit margin (0-1]', kind: 'number', default: 1, min: 0.01, max: 1, step: 0.01 },
  { key: 'discountRate', label: 'Monthly discount rate', kind: 'number', default: 0.01, min: 0, max: 0.5, step: 0.001 },
  { key: 'perChannel', label: 'Purchase and dropout parameters per acquisition channel', kind: 'boolean', default: false },
];

export const clvForms: readonly ModelForm[] = [
  {
    model: 'bgnbd',
    label: 'BG/NBD (non-contractual, continuous time)',
    description:
      'Customers buy at steady gamma-distributed Poisson rates and may drop out after any purchase with a beta-distributed probability (Fader, Hardie & Lee 2005). Input: a transaction log.',
    roles: TRANSACTION_ROLES,
    config: COUNT_CONFIG,
  },
  {
    model: 'paretonbd',
    label: 'Pareto/NBD (non-contractual, continuous time)',
    description:
      'Customers buy at gamma-distributed Poisson rates while alive; lifetimes are exponential with gamma-distributed dropout rates, so dropout can happen at any time, not only after a purchase (Schmittlein et al. 1987). Input: a transaction log.',
    roles: TRANSACTION_ROLES,
    config: COUNT_CONFIG,
  },
  {
    model: 'mbgnbd',
    label: 'MBG/NBD (BG/NBD with dropout at time zero)',
    description:
      'As BG/NBD, but a customer can also become inactive right after the first purchase, so one-time buyers are not assumed alive (Batislam et al. 2007). Input: a transaction log.',
    roles: TRANSACTION_ROLES,
    config: COUNT_CONFIG,
  },
  {
    model: 'gammagamma',
    label: 'Gamma-Gamma (spend per transaction)',
    description:
      'Each transaction value is gamma distributed around a customer-specific mean that is itself gamma distributed; spend is assumed independent of purchase frequency (Fader, Hardie & Lee 2005). Uses customers with repeat purchases.',
    roles: [...TRANSACTION_ROLES.slice(0, 2), { ...TRANSACTION_ROLES[2], optional: false }],
    config: [COUNT_CONFIG[0], COUNT_CONFIG[1]],
  },
  {
    model: 'bgbb',
    label: 'BG/BB (discrete-time opportunities)',
    description:
      'At each of n discrete opportunities (e.g. yearly donations) an alive customer transacts with a beta-distributed probability and may die with another (Fader, Hardie & Shang 2010). Input: one row per (frequency, recency, periods) pattern with a count.',
    roles: [
      { role: 'frequency', label: 'Frequency (transactions)', types: ['number'], guess: ['frequency', 'x'] },
      { role: 'recency', label: 'Recency (last opportunity with a transaction)', types: ['number'], guess: ['recency', 't_x'] },
      { role: 'periods', label: 'Opportunities (n)', types: ['number'], guess: ['periods', 'n'] },
      { role: 'weights', label: 'Customers with this pattern', optional: true, types: ['number'], guess: ['weights', 'count', 'customers'] },
    ],
    config: [{ key: 'futurePeriods', label: 'Predict over the next opportunities', kind: 'number', default: 5, min: 1, step: 1 }],
  },
  {
    model: 'sbg',
    label: 'Shifted-beta-geometric (contractual retention)',
    description:
      'Subscribers churn at the end of each period with a beta-distributed probability, so retention rises over time as the churn-prone leave (Fader & Hardie 2007). Input: customers still active per period, per cohort.',
    roles: [
      { role: 'period', label: 'Period (0 = start)', types: ['number'], guess: ['period', 'year', 't'] },
      { role: 'alive', label: 'Customers still active', types: ['number'], guess: ['alive', 'active', 'survivors', 'customers'] },
      { role: 'cohort', label: 'Cohort', optional: true, types: ['string', 'number'], guess: ['cohort', 'segment'] },
    ],
    config: [{ key: 'projectPeriods', label: 'Project survival this many periods ahead', kind: 'number', default: 8, min: 0, max: 200, step: 1 }],
  },
];
