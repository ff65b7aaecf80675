/** The MMM page's form: roles and options per DESIGN.md, defaults as PyMC-Marketing's MMM. */
import { ADSTOCK_KINDS } from '../../models/mmm/adstock';
import { SATURATION_KINDS } from '../../models/mmm/saturation';
import type { ModelForm } from '../model-forms';

/** The 'mmm' form (roles date, target, channels, controls?, events?). */
export const mmmForms: readonly ModelForm[] = [
  {
    model: 'mmm',
    label: 'Media mix model',
    description:
      'Sales = intercept + trend + yearly seasonality + controls + events + each channel’s spend carried over (adstock) and saturating; target and channels max-scaled, priors and defaults as PyMC-Marketing’s MMM. Input: one row per week (or day), no gaps. Lift tests can be given through the API (config.liftTests).',
    roles: [
      { role: 'date', label: 'Date', types: ['date'], guess: ['date', 'week', 'date_week', 'day'] },
      { role: 'target', label: 'Target (sales, revenue, sign-ups)', types: ['number'], guess: ['y', 'sales', 'revenue', 'target', 'conversions', 'new_customers'] },
      { role: 'channels', label: 'Channel spend', many: true, types: ['number'], guess: ['x1', 'x2', 'x3', 'tv', 'search', 'social', 'display', 'radio', 'facebook', 'google'] },
      { role: 'controls', label: 'Controls', many: true, optional: true, types: ['number'], guess: ['price', 'promo', 'temperature'] },
      { role: 'events', label: 'Events (0/1)', many: true, optional: true, types: ['number'], guess: ['event_1', 'event_2', 'holiday'] },
    ],
    config: [
      { key: 'adstock', label: 'Adstock', kind: 'select', options: [...ADSTOCK_KINDS], default: 'geometric' },
      { key: 'lMax', label: 'Adstock max lag (periods)', kind: 'number', default: 8, min: 1, max: 104, step: 1 },
      { key: 'saturation', label: 'Saturation', kind: 'select', options: [...SATURATION_KINDS], default: 'logistic' },
      { key: 'yearlySeasonality', label: 'Yearly seasonality (Fourier order)', kind: 'number', default: 2, min: 0, max: 10, step: 1 },
      { key: 'trend', label: 'Linear trend', kind: 'boolean', default: true },
      { key: 'likelihood', label: 'Likelihood', kind: 'select', options: ['normal', 'studentt'], default: 'normal' },
      { key: 'holdoutWeeks', label: 'Hold out the last periods', kind: 'number', default: 0, min: 0, step: 1 },
    ],
  },
];
