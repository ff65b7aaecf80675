/**
 * The Causal page's forms: column roles per DESIGN.md ("Column roles") and the options of each
 * causal model, with the defaults of src/models/causal/. Intervention dates are date fields; for a
 * time column of years (as california_prop99.csv's `Year`) the chosen date's year is used, and a
 * number time column on another scale takes the value through the API (`config.treatmentStart`).
 * Every causal model takes the outcome's label and unit for its summary; the time-series ones also
 * its kind (flow or stock, src/models/causal/outcome.ts), detected when left on auto.
 */
import type { ConfigField, ModelForm } from '../model-forms';

const TIME_GUESS = ['date', 'year', 'week', 'day', 'month', 'time', 'period'];

/** The outcome's name and unit in the summary (blank: the column name, no unit). */
const OUTCOME_TEXT: readonly ConfigField[] = [
  { key: 'outcomeLabel', label: 'Outcome label in the summary (blank = the column name)', kind: 'text', optional: true, placeholder: 'e.g. banks in business' },
  { key: 'unit', label: 'Outcome unit', kind: 'text', optional: true, placeholder: 'e.g. banks, packs per capita, deaths per 100,000' },
];

/** The outcome's kind, then its name and unit: the time-series models' summary options. */
const OUTCOME: readonly ConfigField[] = [
  {
    key: 'outcomeKind',
    label: 'Outcome kind: flow (an amount per period, such as sales per day: the effect is summed) or stock (a level, such as banks in business: the effect is averaged); auto detects it',
    kind: 'select',
    options: ['auto', 'flow', 'stock'],
    default: 'auto',
  },
  ...OUTCOME_TEXT,
];

/** Forms for 'its', 'synthetic_control', 'did', 'rd', 'tbr'. */
export const causalForms: readonly ModelForm[] = [
  {
    model: 'its',
    label: 'Interrupted time series',
    description:
      'A Bayesian regression on the pre-period (intercept, linear trend, Fourier seasonality, optional covariates) projected after the intervention as what would have happened without it; the structural option replaces the trend by a local level (random walk), as CausalImpact. One row per period, evenly spaced. A placebo refit on an earlier cut checks the model.',
    roles: [
      { role: 'date', label: 'Date', types: ['date', 'number'], guess: TIME_GUESS },
      { role: 'outcome', label: 'Outcome', types: ['number'], guess: ['y', 'sales', 'deaths', 'outcome', 'revenue', 'conversions'] },
      { role: 'covariates', label: 'Covariates (unaffected by the intervention)', many: true, optional: true, types: ['number'], guess: ['temp', 'temperature', 'x1', 'x2'] },
    ],
    config: [
      { key: 'treatmentStart', label: 'Intervention date', kind: 'date' },
      { key: 'seasonality', label: 'Seasonality (Fourier order; blank = 2 when the spacing implies a period)', kind: 'number', min: 0, max: 20, step: 1, optional: true },
      { key: 'seasonalPeriod', label: 'Seasonal period in steps (blank = 12 monthly, 52.18 weekly, 7 daily)', kind: 'number', min: 0, optional: true },
      { key: 'trend', label: 'Linear trend', kind: 'boolean', default: true },
      { key: 'structural', label: 'Structural (local level, as CausalImpact)', kind: 'boolean', default: false },
      { key: 'placebo', label: 'Placebo test', kind: 'boolean', default: true },
      ...OUTCOME,
    ],
  },
  {
    model: 'synthetic_control',
    label: 'Synthetic control',
    description:
      'The treated unit before the intervention as a weighted average of donor units (weights on the simplex, sparse Dirichlet prior); the same weights after it give the counterfactual. Wide table: one row per period, one column per unit, no missing values.',
    roles: [
      { role: 'date', label: 'Date / year', types: ['date', 'number'], guess: TIME_GUESS },
      { role: 'treated', label: 'Treated unit', types: ['number'], guess: ['california', 'treated', 'treatment'] },
      { role: 'donors', label: 'Donor units', many: true, types: ['number'], guessAll: true },
    ],
    config: [
      { key: 'treatmentStart', label: 'Intervention date (year for yearly data)', kind: 'date' },
      { key: 'dirichletAlpha', label: 'Dirichlet concentration of the weights (< 1 favours few donors)', kind: 'number', default: 0.1, min: 0.001, max: 1000, step: 0.001 },
      { key: 'placebo', label: 'Placebo test', kind: 'boolean', default: true },
      ...OUTCOME,
    ],
  },
  {
    model: 'did',
    label: 'Difference-in-differences',
    description:
      'Two groups before and after the intervention: the treated group’s counterfactual is the control group plus their pre-period gap (parallel trends). Give the two groups as two columns (treated, control), or a panel with an outcome and a group column (1 = treated, 0 = control).',
    roles: [
      { role: 'date', label: 'Date', types: ['date', 'number'], guess: TIME_GUESS },
      { role: 'treated', label: 'Treated group (aggregate form)', optional: true, types: ['number'], guess: ['bib6', 'treated', 'treatment'] },
      { role: 'control', label: 'Control group (aggregate form)', optional: true, types: ['number'], guess: ['bib8', 'control'] },
      { role: 'outcome', label: 'Outcome (panel form)', optional: true, types: ['number'], guess: ['y', 'outcome'] },
      { role: 'group', label: 'Group (panel form; 1 = treated)', optional: true, types: ['number', 'string'], guess: ['group', 'treated_group'] },
    ],
    config: [
      { key: 'treatmentStart', label: 'Intervention date', kind: 'date' },
      { key: 'placebo', label: 'Placebo test', kind: 'boolean', default: true },
      ...OUTCOME,
    ],
  },
  {
    model: 'rd',
    label: 'Regression discontinuity',
    description:
      'Units at or above a threshold of a running variable are treated: a polynomial on each side (local linear by default) within a bandwidth around the threshold; the jump at the threshold is the effect.',
    roles: [
      { role: 'running', label: 'Running variable', types: ['number'], guess: ['agecell', 'age', 'running', 'score', 'x'] },
      { role: 'outcome', label: 'Outcome', types: ['number'], guess: ['all', 'y', 'outcome'] },
    ],
    config: [
      { key: 'threshold', label: 'Threshold', kind: 'number', default: 21 },
      { key: 'bandwidth', label: 'Bandwidth (blank = all data)', kind: 'number', min: 0, optional: true },
      { key: 'order', label: 'Polynomial order', kind: 'number', default: 1, min: 1, max: 4, step: 1 },
      ...OUTCOME_TEXT,
    ],
  },
  {
    model: 'tbr',
    label: 'Geo experiment (time-based regression)',
    description:
      'Treatment and control geos are summed per day; in the pre-period the treatment total is regressed on the control total (Kerman et al. 2017), and over the test period observed minus predicted is the incremental outcome (iROAS with spend). Also a pre-test power estimate: the minimum detectable lift per test length.',
    roles: [
      { role: 'geo', label: 'Geo', types: ['string', 'number'], guess: ['geo', 'region', 'market', 'dma'] },
      { role: 'date', label: 'Date', types: ['date', 'number'], guess: TIME_GUESS },
      { role: 'outcome', label: 'Outcome (sales)', types: ['number'], guess: ['sales', 'revenue', 'conversions', 'outcome'] },
      { role: 'group', label: 'Group (treatment / control)', types: ['string'], guess: ['group', 'assignment'] },
      { role: 'spend', label: 'Spend', optional: true, types: ['number'], guess: ['cost', 'spend'] },
    ],
    config: [
      { key: 'testStart', label: 'Test start', kind: 'date', default: '2015-02-16' },
      { key: 'testEnd', label: 'Test end (blank = last date)', kind: 'date', default: '2015-03-15', optional: true },
      { key: 'placebo', label: 'Placebo test', kind: 'boolean', default: true },
      ...OUTCOME,
    ],
  },
];
