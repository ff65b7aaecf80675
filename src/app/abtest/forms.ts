/**
 * The customer A/B test's form (on the Causal page): its column roles and the options declared in
 * src/models/abtest/options.ts. It starts with a cost per treated customer and the margin the bundled
 * sample (abtest.csv) is read with; the cost per redemption is the other way to give the cost.
 */
import { ABTEST_OPTIONS } from '../../models/abtest/options';
import { configFields, type ModelForm } from '../model-forms';

export const abtestForms: readonly ModelForm[] = [
  {
    model: 'abtest',
    label: 'Customer A/B test of an incentive',
    description:
      'One row per customer, a treatment and a control group. Conversion per group is Beta-Binomial (exact); revenue per customer is a hurdle model (probability of buying × Gamma or log-normal spend), adjusted for pre-period covariates, with a partially pooled uplift per segment; the uplift becomes incremental revenue, profit after the incentive’s cost, ROI, its probability, and the expected loss of rolling it out or not.',
    roles: [
      { role: 'customer', label: 'Customer', types: ['string', 'number'], guess: ['customer', 'customer_id', 'id', 'user', 'user_id'] },
      { role: 'group', label: 'Group (two labels: treatment / control)', types: ['string', 'number'], guess: ['group', 'variant', 'arm', 'assignment'] },
      { role: 'converted', label: 'Converted (0/1)', optional: true, types: ['number', 'string'], guess: ['converted', 'conversion', 'redeemed'] },
      { role: 'purchases', label: 'Purchases (count)', optional: true, types: ['number'], guess: ['purchases', 'orders', 'transactions'] },
      { role: 'revenue', label: 'Revenue (amount, zeros allowed)', optional: true, types: ['number'], guess: ['revenue', 'sales', 'spend', 'amount'] },
      { role: 'covariates', label: 'Pre-period covariates (variance reduction)', many: true, optional: true, types: ['number'], guess: ['prev_revenue', 'pre_revenue', 'last_quarter_revenue'] },
      { role: 'segment', label: 'Segment', optional: true, types: ['string', 'number'], guess: ['segment', 'tier', 'cohort'] },
    ],
    config: configFields(ABTEST_OPTIONS, { initial: { costPerTreated: 0.25, margin: 0.4 } }),
  },
];
