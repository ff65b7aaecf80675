/**
 * The Causal page's forms: column roles per DESIGN.md ("Column roles") and the options of each
 * causal model as declared in src/models/causal/options.ts. Intervention dates are date fields; for a
 * time column of years (as california_prop99.csv's `Year`) the chosen date's year is used, and a
 * number time column on another scale takes the value through the API (`config.treatmentStart`).
 * Every causal model takes the outcome's label and unit for its summary; the time-series ones also
 * its kind (flow or stock, src/models/causal/outcome.ts), detected when left on auto.
 */
import { DID_OPTIONS, ITS_OPTIONS, RD_OPTIONS, SYNTHETIC_CONTROL_OPTIONS, TBR_OPTIONS } from '../../models/causal/options';
import { configFields, type FieldChoice, type ModelForm } from '../model-forms';

const TIME_GUESS = ['date', 'year', 'week', 'day', 'month', 'time', 'period'];

/** The placebo date is set through the API (`config.placeboStart`); the page leaves it to the model. */
const FORM: FieldChoice = { omit: ['placeboStart'] };

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
    // The trend box starts ticked (the model's own default is on unless structural).
    config: configFields(ITS_OPTIONS, { ...FORM, initial: { trend: true } }),
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
    config: configFields(SYNTHETIC_CONTROL_OPTIONS, FORM),
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
    config: configFields(DID_OPTIONS, FORM),
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
    // Starts at the drinking-age threshold of the sample data (drinking.csv); the model has no default.
    config: configFields(RD_OPTIONS, { initial: { threshold: 21 } }),
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
    // Start at the sample geo experiment's test period (geo_experiment_salesandcost.csv); the model has no default.
    config: configFields(TBR_OPTIONS, { ...FORM, initial: { testStart: '2015-02-16', testEnd: '2015-03-15' } }),
  },
];
