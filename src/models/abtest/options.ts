/**
 * The customer A/B test's options (`FitSpec.config`), declared once (models/options.ts): read by the
 * model (abtest.ts), shown by its form (app/abtest/forms.ts). Tfjs-free.
 */
import type { OptionDeclarations } from '../options';

export const ABTEST_OPTIONS = {
  treatment: {
    type: 'text',
    maxLength: 80,
    placeholder: 'e.g. treatment',
    label: 'Treated group’s label (blank = the one named treatment, treated, test or 1, or the one beside control)',
    description: 'Which of the group column’s two labels received the incentive; the other is the control group.',
  },
  costPerTreated: {
    type: 'number',
    min: 0,
    step: 0.01,
    label: 'Incentive cost per treated customer',
    description: 'What the incentive costs for every customer it is sent to, in the revenue’s currency. Give this or the cost per redemption, not both.',
  },
  costPerRedemption: {
    type: 'number',
    min: 0,
    step: 0.01,
    label: 'Incentive cost per redemption',
    description: 'What the incentive costs each time a treated customer converts (redeems it), in the revenue’s currency. Give this or the cost per treated customer.',
  },
  margin: {
    type: 'number',
    above: 0,
    max: 1,
    step: 0.01,
    required: 'the share of revenue that is gross profit, from above 0 to 1',
    label: 'Margin (share of revenue that is profit)',
    description: 'The share of incremental revenue kept as gross profit (0.3 = 30%): incremental profit = margin × incremental revenue − the incentive’s cost.',
  },
  spend: {
    type: 'choice',
    choices: ['gamma', 'lognormal'],
    default: 'gamma',
    notes: { gamma: 'a Gamma spend per buyer', lognormal: 'a log-normal spend per buyer, for a heavier tail' },
    label: 'Spend distribution of buyers',
    description: 'The distribution of a buyer’s revenue in the hurdle model: Gamma, or log-normal for a heavier tail.',
  },
  channel: {
    type: 'text',
    maxLength: 80,
    placeholder: 'e.g. coupons',
    label: 'Marketing channel of the incentive (optional, for an MMM lift test)',
    description: 'The media-mix model’s channel whose spend the incentive is, when the test is to calibrate an MMM: the channel proposed when this run is added as a lift test.',
  },
  testStart: {
    type: 'date',
    label: 'Test start (optional, for an MMM lift test)',
    description: 'The first day the incentive ran (YYYY-MM-DD): with the test end it gives the test’s length, which an MMM lift test needs (its spend and revenue per period).',
  },
  testEnd: {
    type: 'date',
    label: 'Test end (optional, for an MMM lift test)',
    description: 'The last day over which the revenue column was counted (YYYY-MM-DD, inclusive).',
  },
  priors: { type: 'priors', label: 'Priors', description: 'User priors by parameter name, replacing the model’s defaults.' },
} as const satisfies OptionDeclarations;
