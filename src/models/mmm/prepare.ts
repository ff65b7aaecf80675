/**
 * MMM input: validates the weekly (or daily) table and config and builds the scaled design as
 * PyMC-Marketing's MMM does: target and channels divided by their maximum over the fitting rows
 * (MaxAbsScaler), Fourier features of the day of the year, an optional linear trend, controls
 * divided by their maximum absolute value, and 0/1 event columns entering as controls. Every
 * rejection is an InputError naming the column, the row or the setting.
 */
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { numberColumn, roleColumn, roleColumns } from '../../data/columns';
import type { Table } from '../../data/table';
import { readOptions, type OptionValues } from '../options';
import { ADSTOCKS } from './adstock';
import { yearlyFourier, type FourierFeatures } from './fourier';
import { geoRows } from './geo';
import { parseLiftTests, resolveLiftTests, scaleLiftTests, type LiftTestInput, type ScaledLiftTests } from './lift-tests';
import { MMM_OPTIONS } from './options';
import { SATURATIONS } from './saturation';

/**
 * The model options (`FitSpec.config`, declared in options.ts with their defaults), lift tests
 * checked against the channels.
 */
export type MmmConfig = Omit<OptionValues<typeof MMM_OPTIONS>, 'liftTests' | 'holdoutWeeks'> & {
  /** Lift tests entering the likelihood (default none); a dated one's spend is read in `prepare`. */
  liftTests: LiftTestInput[];
};

/** What a control-like column is, for the contribution breakdown. */
export type ControlKind = 'control' | 'event' | 'trend';

/** A column entering linearly with a `gamma_control` coefficient. */
export interface ControlColumn {
  name: string;
  kind: ControlKind;
  /** Values divided by `scale`, all rows. */
  values: Float64Array;
  /** The divisor (max |value| over the fitting rows; 1 for events and the trend). */
  scale: number;
}

/**
 * Validated, scaled MMM data, geo-major: entry g * T + t of a series is geo g, period t (T =
 * `dates.length`). Data without a geo column is the one-geo case (G = 1, the national MMM). The
 * first `train` periods of every geo are fitted.
 *
 * Scales: with a population, per capita (Meridian's choice): the target scale of geo g is
 * population_g times the largest per-capita target over geos and fitted periods, and a channel's
 * media scale in geo g is population_g times its largest per-capita media value. Without one, each
 * geo's target is scaled by its own maximum and each channel's media by the geo's own maximum (the
 * national MMM's MaxAbsScaler when G = 1).
 */
export interface MmmData {
  /** Period start dates, epoch ms (UTC midnight), all periods. */
  dates: number[];
  /** Days between periods (7 for weekly data, 1 for daily). */
  periodDays: number;
  /** Geo names (`['']` without a geo column). */
  geos: string[];
  /** Population per geo, when given. */
  population?: number[];
  target: string;
  /** Raw target `[G * T]`. */
  y: Float64Array;
  /** Target scale per geo `[G]` (target units). */
  yMax: number[];
  channels: string[];
  /** Raw spend per channel `[G * T]` each. */
  spend: Float64Array[];
  /** Exposure columns aligned with `channels`, when given (the effect is then modelled on exposure). */
  exposures?: string[];
  /** The media input per channel `[G * T]` each: the exposure when given, else the spend. */
  media: Float64Array[];
  /** Media scales `[G][channel]` (media units). */
  xMax: number[][];
  /** Media units per unit of spend `[G][channel]` over the fitted periods (1 without exposures). */
  mediaPerSpend: number[][];
  /** Revenue per unit of target `[G * T]`, when the data gives it (ROAS is then revenue per spend). */
  revenuePerKpi?: { name: string; values: Float64Array };
  /** Controls, then events, then the trend; values `[G * T]`. */
  controls: ControlColumn[];
  /** Yearly Fourier features, one value per period (shared by the geos). */
  fourier: FourierFeatures;
  /** Number of fitting periods per geo (the rest are the holdout). */
  train: number;
  liftTests: ScaledLiftTests;
  /** `config.targetKind` resolved: 'auto' is a count when every target value is a whole number. */
  targetKind: 'value' | 'count';
  config: MmmConfig;
}

/**
 * The key the holdout is given under: `holdoutPeriods`, or its older name `holdoutWeeks` (the
 * periods need not be weeks); both at once is an error.
 */
function holdoutKey(c: Record<string, unknown>): 'holdoutPeriods' | 'holdoutWeeks' {
  const given = (k: string) => c[k] !== undefined && c[k] !== null && c[k] !== '';
  if (given('holdoutPeriods') && given('holdoutWeeks')) throw new InputError('Give config.holdoutPeriods or its older name config.holdoutWeeks, not both.');
  return given('holdoutWeeks') ? 'holdoutWeeks' : 'holdoutPeriods';
}

/** The config with defaults filled in; lift tests are checked against `channels`. */
export function mmmConfig(spec: FitSpec, channels: readonly string[]): MmmConfig {
  const { liftTests, holdoutWeeks, ...options } = readOptions(MMM_OPTIONS, spec.config);
  const key = holdoutKey(spec.config ?? {});
  const holdoutPeriods = key === 'holdoutWeeks' ? (holdoutWeeks ?? 0) : options.holdoutPeriods;
  return { ...options, holdoutPeriods, liftTests: parseLiftTests(liftTests, channels) };
}

/**
 * Number of estimated parameters for a design (intercept, media, controls, Fourier, noise; with
 * 2+ geos the geo intercepts, effect multipliers and noise scales and their spreads, and Fourier
 * terms per geo when seasonality is per geo). Keep in step with `mmmParamDefs` (a test checks).
 */
export function parameterCount(d: { geos: number; channels: number; mediaParamsPerChannel: number; controls: number; fourier: number; fourierPerGeo: boolean; studentT: boolean }): number {
  const geoTerms = d.geos > 1 ? 1 + d.geos + d.channels + d.geos * d.channels + 1 + d.geos : 0;
  const fourier = d.fourierPerGeo ? d.geos * d.fourier : d.fourier;
  return 1 + d.channels * d.mediaParamsPerChannel + d.controls + fourier + 1 + (d.studentT ? 1 : 0) + geoTerms;
}

/** Validated, scaled MMM data (see MmmData). */
export function prepareMmmData(table: Table, spec: FitSpec): MmmData {
  const dateName = roleColumn(spec.columns, 'date');
  const targetName = roleColumn(spec.columns, 'target');
  const geoName = roleColumn(spec.columns, 'geo', true);
  const populationName = roleColumn(spec.columns, 'population', true);
  const rpkName = roleColumn(spec.columns, 'revenuePerKpi', true);
  const channelNames = roleColumns(spec.columns, 'channels');
  if (channelNames.length === 0) throw new InputError('Choose at least one channel (spend) column for "channels".');
  const exposureNames = roleColumns(spec.columns, 'exposures');
  if (exposureNames.length > 0 && exposureNames.length !== channelNames.length) {
    throw new InputError(
      `"exposures" must list one column per channel, in the channels' order (${channelNames.length} channels, ${exposureNames.length} exposure columns).`,
    );
  }
  const controlNames = roleColumns(spec.columns, 'controls');
  const eventNames = roleColumns(spec.columns, 'events');
  const used = [dateName, targetName, ...(geoName ? [geoName] : []), ...(populationName ? [populationName] : []), ...(rpkName ? [rpkName] : []), ...channelNames, ...exposureNames, ...controlNames, ...eventNames];
  const dup = used.find((n, i) => used.indexOf(n) !== i);
  if (dup) throw new InputError(`Column "${dup}" is used in two roles; each column can play one role.`);
  const config = mmmConfig(spec, channelNames);
  if (config.trend && (channelNames.includes('trend') || controlNames.includes('trend') || eventNames.includes('trend'))) {
    throw new InputError('A column named "trend" clashes with the built-in trend; rename it or set config.trend to false.');
  }

  const { geos, dates, periodDays, row } = geoRows(table, dateName, geoName);
  const G = geos.length;
  const T = dates.length;
  const geoOf = (k: number) => Math.floor(k / T);
  const where = (k: number) => (geoName ? `Row ${row[k] + 1} (geo "${geos[geoOf(k)]}")` : `Row ${row[k] + 1}`);
  if (G < 2 && config.geoSeasonality !== 'shared') {
    throw new InputError(`config.geoSeasonality "${config.geoSeasonality}" needs a geo column with 2 or more geos; ${geoName ? `"${geoName}" has only ${G}` : 'no geo column is mapped'}.`);
  }
  if (G > 1 && config.geoParametrisation === 'centred' && (spec.inference as { method?: unknown } | undefined)?.method === 'map') {
    throw new InputError(
      'config.geoParametrisation "centred" has no mode (the density grows without bound as a geo spread shrinks to 0 with the geos equal), so MAP cannot fit it: use MCMC, or the default "centred intercepts".',
    );
  }
  if (G > 1 && config.liftTests.length > 0) {
    throw new InputError('Lift tests are not yet supported with 2 or more geos; remove config.liftTests or fit without the geo column.');
  }

  const column = (name: string, role: string) => {
    const v = numberColumn(table, name, role).values;
    return Float64Array.from(row, (i, k) => {
      if (!Number.isFinite(v[i])) {
        throw new InputError(`${where(k)}: ${role} "${name}" is missing or not a number; an MMM needs a value in every period (fill it, e.g. 0 spend, or drop the row).`);
      }
      return v[i];
    });
  };
  const y = column(targetName, 'target');
  const nonNegative = (series: Float64Array[], names: string[], what: string) =>
    series.forEach((s, c) => {
      const neg = s.findIndex((v) => v < 0);
      const column = names[c] === channelNames[c] ? '' : ` in "${names[c]}"`;
      if (neg >= 0) throw new InputError(`${where(neg)}: channel "${channelNames[c]}" has negative ${what} (${s[neg]}${column}); ${what} must be 0 or more.`);
    });
  const spend = channelNames.map((n) => column(n, 'channel'));
  nonNegative(spend, channelNames, 'spend');
  const exposure = exposureNames.map((n) => column(n, 'exposure'));
  nonNegative(exposure, exposureNames, 'exposure');
  const media = exposure.length ? exposure : spend;
  const controlsRaw = controlNames.map((n) => column(n, 'control'));
  const events = eventNames.map((n) => {
    const v = column(n, 'event');
    const bad = v.findIndex((x) => x !== 0 && x !== 1);
    if (bad >= 0) throw new InputError(`${where(bad)}: event column "${n}" must hold 0 or 1, got ${v[bad]}.`);
    return v;
  });
  let population: number[] | undefined;
  if (populationName) {
    const p = column(populationName, 'population');
    population = geos.map((g, gi) => {
      const first = p[gi * T];
      for (let t = 0; t < T; t++) {
        const v = p[gi * T + t];
        if (!(v > 0)) throw new InputError(`${where(gi * T + t)}: population "${populationName}" is ${v}; a population must be above 0.`);
        if (v !== first) {
          throw new InputError(`Geo "${g}": population "${populationName}" varies within the geo (${first} in row ${row[gi * T] + 1}, ${v} in row ${row[gi * T + t] + 1}); give each geo one population.`);
        }
      }
      return first;
    });
  }
  let revenuePerKpi: MmmData['revenuePerKpi'];
  if (rpkName) {
    const v = column(rpkName, 'revenue per KPI');
    const bad = v.findIndex((x) => !(x > 0));
    if (bad >= 0) throw new InputError(`${where(bad)}: revenue per KPI "${rpkName}" is ${v[bad]}; it must be above 0 (the value of one unit of the target).`);
    revenuePerKpi = { name: rpkName, values: v };
  }

  const train = T - config.holdoutPeriods;
  if (train < 1 || (config.holdoutPeriods > 0 && train < T / 2)) {
    throw new InputError(`config.${holdoutKey(spec.config ?? {})} (${config.holdoutPeriods}) leaves too little to fit: ${Math.max(train, 0)} of ${T} periods (keep at least half).`);
  }
  const fitted = (v: Float64Array, g: number) => v.subarray(g * T, g * T + train);
  const maxAbs = (v: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
    return m;
  };
  const inEvery = geoName && G > 1 ? ' in every geo' : '';
  const inFit = config.holdoutPeriods ? ' in the fitting period' : '';
  media.forEach((s, c) => {
    if (!geos.some((_, g) => fitted(s, g).some((v) => v > 0))) {
      const col = exposure.length ? `Exposure "${exposureNames[c]}" of channel "${channelNames[c]}"` : `Channel "${channelNames[c]}"`;
      throw new InputError(`${col} is all zeros${inEvery}${inFit}: its effect cannot be estimated. Remove it from the channels.`);
    }
  });

  // Scales (see MmmData): per capita with a population, each geo's own maximum without.
  const perCapita = (v: Float64Array, g: number) => maxAbs(fitted(v, g)) / (population ? population[g] : 1);
  let yMax: number[];
  let xMax: number[][];
  if (population) {
    const yCommon = Math.max(...geos.map((_, g) => perCapita(y, g)));
    if (!(yCommon > 0)) throw new InputError(`The target "${targetName}" is zero in every fitted period${inEvery}.`);
    yMax = population.map((p) => p * yCommon);
    const xCommon = media.map((s) => Math.max(...geos.map((_, g) => perCapita(s, g))));
    xMax = population.map((p) => xCommon.map((x) => p * x));
  } else {
    yMax = geos.map((g, gi) => {
      const m = maxAbs(fitted(y, gi));
      if (!(m > 0)) throw new InputError(`${geoName ? `Geo "${g}": the` : 'The'} target "${targetName}" is zero in every fitted period.`);
      return m;
    });
    // A geo where a channel never ran takes the channel's largest scale (its media is 0 anyway).
    const channelMax = media.map((s) => Math.max(...geos.map((_, g) => maxAbs(fitted(s, g)))));
    xMax = geos.map((_, g) => media.map((s, c) => maxAbs(fitted(s, g)) || channelMax[c]));
  }
  const mediaPerSpend = geos.map((_, g) =>
    channelNames.map((name, c) => {
      if (!exposure.length) return 1;
      const total = (v: Float64Array[]) => fitted(v[c], g).reduce((a, b) => a + b, 0);
      const totalAll = (v: Float64Array[]) => geos.reduce((a, _, h) => a + fitted(v[c], h).reduce((x, z) => x + z, 0), 0);
      const s = total(spend);
      if (s > 0) return total(exposure) / s;
      if (!(totalAll(spend) > 0)) throw new InputError(`Channel "${name}" has exposure but no spend${inFit}: its ROAS cannot be computed.`);
      return totalAll(exposure) / totalAll(spend);
    }),
  );

  const controlScale = (v: Float64Array) => Math.max(...geos.map((_, g) => maxAbs(fitted(v, g))));
  const controls: ControlColumn[] = controlsRaw.map((v, j) => {
    const scale = controlScale(v);
    if (!(scale > 0)) throw new InputError(`Control "${controlNames[j]}" is zero in every fitted period${inEvery}: it cannot have an effect. Remove it.`);
    return { name: controlNames[j], kind: 'control' as const, values: v.map((x) => x / scale), scale };
  });
  events.forEach((v, j) => {
    if (!geos.some((_, g) => fitted(v, g).some((x) => x === 1))) throw new InputError(`Event "${eventNames[j]}" never happens in the fitted period${inEvery}: its effect cannot be estimated. Remove it.`);
    controls.push({ name: eventNames[j], kind: 'event', values: v, scale: 1 });
  });
  if (config.trend) {
    controls.push({ name: 'trend', kind: 'trend', values: Float64Array.from({ length: G * T }, (_, k) => (k % T) / Math.max(1, train - 1)), scale: 1 });
  }
  const fourier = yearlyFourier(dates, config.yearlySeasonality);

  const nParams = parameterCount({
    geos: G,
    channels: channelNames.length,
    mediaParamsPerChannel: ADSTOCKS[config.adstock].parameters.length + SATURATIONS[config.saturation].parameters.length,
    controls: controls.length,
    fourier: fourier.names.length,
    fourierPerGeo: config.geoSeasonality === 'per geo',
    studentT: config.likelihood === 'studentt',
  });
  if (G * train <= nParams) {
    throw new InputError(
      `Too few rows to fit: ${G * train} ${G > 1 ? `rows (${G} geos x ${train} periods)` : 'periods'} for ${nParams} parameters. An MMM needs more rows than parameters; use fewer channels or controls, a lower yearlySeasonality, or more data.`,
    );
  }
  return {
    dates,
    periodDays,
    geos,
    ...(population ? { population } : {}),
    target: targetName,
    y,
    yMax,
    channels: channelNames,
    spend,
    ...(exposure.length ? { exposures: exposureNames } : {}),
    media,
    xMax,
    mediaPerSpend,
    ...(revenuePerKpi ? { revenuePerKpi } : {}),
    controls,
    fourier,
    train,
    // Lift tests are refused above with 2+ geos, so the series and scales are the one geo's.
    liftTests: scaleLiftTests(resolveLiftTests(config.liftTests, channelNames, dates, spend), channelNames, xMax[0].map((x, c) => x / mediaPerSpend[0][c]), yMax[0]),
    targetKind: config.targetKind === 'auto' ? (y.every((v) => Number.isInteger(v)) ? 'count' : 'value') : config.targetKind,
    config,
  };
}
