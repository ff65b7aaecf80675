/** The MMM page's form: roles per DESIGN.md, options as declared in src/models/mmm/options.ts. */
import { MMM_OPTIONS } from '../../models/mmm/options';
import { configFields, type ModelForm } from '../model-forms';

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
      { role: 'channels', label: 'Channel spend', many: true, types: ['number'], guess: ['x1', 'x2', 'x3', 'tv', 'search', 'social', 'display', 'radio', 'facebook', 'google'], guessLike: /spend|cost|impression|clicks/i },
      { role: 'controls', label: 'Controls', many: true, optional: true, types: ['number'], guess: ['price', 'promo', 'temperature'] },
      { role: 'events', label: 'Events (0/1)', many: true, optional: true, types: ['number'], guess: ['event_1', 'event_2', 'holiday'], guessBinary: true },
    ],
    config: configFields(MMM_OPTIONS, { omit: ['holdoutWeeks'] }),
  },
];
