/** The CLV page's model forms: roles per DESIGN.md, options as declared in src/models/clv/options.ts. */
import { BGBB_OPTIONS, COUNT_MODEL_OPTIONS, GAMMA_GAMMA_OPTIONS, SBG_OPTIONS } from '../../models/clv/options';
import { configFields, type ModelForm, type RoleField } from '../model-forms';

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

const COUNT_CONFIG = configFields(COUNT_MODEL_OPTIONS);

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
    config: configFields(GAMMA_GAMMA_OPTIONS, { omit: ['calibrationEnd'] }),
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
    config: configFields(BGBB_OPTIONS),
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
    // The model projects over the data's periods when unset; the page has always started at 8.
    config: configFields(SBG_OPTIONS, { initial: { projectPeriods: 8 } }),
  },
];
