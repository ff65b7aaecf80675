/** The MMM page's form: roles per DESIGN.md, options as declared in src/models/mmm/options.ts. */
import { MMM_OPTIONS } from '../../models/mmm/options';
import { configFields, type ModelForm } from '../model-forms';

/** The 'mmm' form (roles date, geo?, target, channels, exposures?, controls?, events?, population?, revenuePerKpi?). */
export const mmmForms: readonly ModelForm[] = [
  {
    model: 'mmm',
    label: 'Media mix model',
    description:
      'Sales = intercept + trend + yearly seasonality + controls + events + each channel’s spend carried over (adstock) and saturating; target and channels max-scaled, priors and defaults as PyMC-Marketing’s MMM. Input: one row per week (or day), no gaps; or geo-level data in long format, one row per geo and period, with a geo column (each geo’s channel effects partially pooled; national results are the sum over geos), optionally each channel’s exposure (impressions: the effect is modelled on exposure, ROAS on spend), the population and the revenue per unit of target. Lift tests (measured lifts of a channel, typed in or from an experiment run) calibrate the channels’ curves.',
    roles: [
      { role: 'date', label: 'Date', types: ['date'], guess: ['date', 'week', 'date_week', 'day', 'time'] },
      {
        role: 'geo',
        label: 'Geo (region, DMA, market: one row per geo and date)',
        optional: true,
        types: ['string'],
        guess: ['geo', 'region', 'dma', 'market', 'state', 'country', 'territory'],
        guessKeyOf: 'date',
      },
      { role: 'target', label: 'Target (sales, revenue, sign-ups)', types: ['number'], guess: ['y', 'sales', 'revenue', 'target', 'conversions', 'kpi', 'new_customers'] },
      {
        role: 'channels',
        label: 'Channel spend',
        many: true,
        types: ['number'],
        guess: ['x1', 'x2', 'x3', 'tv', 'search', 'social', 'display', 'radio', 'facebook', 'google'],
        guessPattern: /[_\s-](spend|cost)$/i,
        guessWords: ['spend', 'cost', 'costs', 'impressions', 'budget'],
      },
      {
        role: 'exposures',
        label: 'Exposure per channel (impressions, GRPs)',
        many: true,
        optional: true,
        types: ['number'],
        alignedWith: 'channels',
        alignedSuffix: ['impressions', 'impression', 'imps', 'grps', 'grp', 'exposures', 'exposure'],
      },
      { role: 'controls', label: 'Controls', many: true, optional: true, types: ['number'], guess: ['price', 'promo', 'temperature'], guessPattern: /[_\s-]control$/i },
      { role: 'events', label: 'Events (0/1)', many: true, optional: true, types: ['number'], guess: ['event_1', 'event_2', 'holiday'], guessBinary: true },
      { role: 'population', label: 'Population (per geo)', optional: true, types: ['number'], guess: ['population', 'pop'] },
      {
        role: 'revenuePerKpi',
        label: 'Revenue per unit of target (target in conversions)',
        optional: true,
        types: ['number'],
        guess: ['revenue_per_conversion', 'revenue_per_kpi'],
      },
    ],
    config: configFields(MMM_OPTIONS, { omit: ['holdoutWeeks'] }),
    liftTests: true,
  },
];
