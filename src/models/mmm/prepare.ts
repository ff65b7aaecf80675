/**
 * MMM input: validates the weekly (or daily) table and config and builds the scaled design as
 * PyMC-Marketing's MMM does: target and channels divided by their maximum over the fitting rows
 * (MaxAbsScaler), Fourier features of the day of the year, an optional linear trend, controls
 * divided by their maximum absolute value, and 0/1 event columns entering as controls. Every
 * rejection is an InputError naming the column, the row or the setting.
 */
import { InputError } from '../../api/errors';
import type { FitSpec } from '../../api/types';
import { dateColumn, numberColumn, roleColumn, roleColumns } from '../../data/columns';
import type { Table } from '../../data/table';
import { DAY_MS, toIsoDate } from '../../data/time';
import { readOptions, type OptionValues } from '../options';
import { ADSTOCKS } from './adstock';
import { yearlyFourier, type FourierFeatures } from './fourier';
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

/** Validated, scaled MMM data. Rows are sorted by date; the first `train` are fitted. */
export interface MmmData {
  /** Period start dates, epoch ms (UTC midnight), all rows. */
  dates: number[];
  /** Days between periods (7 for weekly data, 1 for daily). */
  periodDays: number;
  target: string;
  /** Raw target, all rows. */
  y: Float64Array;
  /** Target scale: max |y| over the fitting rows. */
  yMax: number;
  channels: string[];
  /** Raw spend per channel, all rows. */
  spend: Float64Array[];
  /** Channel scales: max spend over the fitting rows. */
  xMax: number[];
  /** Controls, then events, then the trend. */
  controls: ControlColumn[];
  fourier: FourierFeatures;
  /** Number of fitting rows (the rest are the holdout). */
  train: number;
  liftTests: ScaledLiftTests;
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

/** Number of estimated parameters for a design (intercept, media, controls, Fourier, noise). */
export function parameterCount(channels: number, mediaParamsPerChannel: number, controls: number, fourier: number, studentT: boolean): number {
  return 1 + channels * mediaParamsPerChannel + controls + fourier + 1 + (studentT ? 1 : 0);
}

/**
 * Sorted dates with a constant step (days), or an InputError naming the duplicate or the gap.
 * Monthly data (calendar months) is accepted as well.
 */
function checkDates(dates: number[], rowOf: (k: number) => number): number {
  for (let k = 0; k < dates.length; k++) {
    if (!Number.isFinite(dates[k])) throw new InputError(`Row ${rowOf(k)}: the date is missing.`);
  }
  for (let k = 1; k < dates.length; k++) {
    if (dates[k] === dates[k - 1]) throw new InputError(`Row ${rowOf(k)}: the date ${toIsoDate(dates[k])} appears twice; an MMM needs one row per period.`);
  }
  if (dates.length < 2) return 7;
  const step = dates[1] - dates[0];
  const monthly = step >= 28 * DAY_MS && step <= 31 * DAY_MS;
  for (let k = 1; k < dates.length; k++) {
    const a = new Date(dates[k - 1]);
    const b = new Date(dates[k]);
    const ok = monthly
      ? (b.getUTCFullYear() * 12 + b.getUTCMonth()) - (a.getUTCFullYear() * 12 + a.getUTCMonth()) === 1
      : Math.abs(dates[k] - dates[k - 1] - step) < DAY_MS / 2;
    if (!ok) {
      const gap = Math.round((dates[k] - dates[k - 1]) / DAY_MS);
      throw new InputError(
        `Dates are not evenly spaced: ${toIsoDate(dates[k - 1])} to ${toIsoDate(dates[k])} (row ${rowOf(k)}) is ${gap} days, but the first step is ${Math.round(step / DAY_MS)} days. Fill the missing periods (with 0 spend) or remove the extra rows.`,
      );
    }
  }
  return Math.round(step / DAY_MS);
}

/** Validated, scaled MMM data. */
export function prepareMmmData(table: Table, spec: FitSpec): MmmData {
  const dateName = roleColumn(spec.columns, 'date');
  const targetName = roleColumn(spec.columns, 'target');
  const channelNames = roleColumns(spec.columns, 'channels');
  if (channelNames.length === 0) throw new InputError('Choose at least one channel (spend) column for "channels".');
  const controlNames = roleColumns(spec.columns, 'controls');
  const eventNames = roleColumns(spec.columns, 'events');
  const used = [dateName, targetName, ...channelNames, ...controlNames, ...eventNames];
  const dup = used.find((n, i) => used.indexOf(n) !== i);
  if (dup) throw new InputError(`Column "${dup}" is used in two roles; each column can play one role.`);
  const config = mmmConfig(spec, channelNames);
  if (config.trend && (channelNames.includes('trend') || controlNames.includes('trend') || eventNames.includes('trend'))) {
    throw new InputError('A column named "trend" clashes with the built-in trend; rename it or set config.trend to false.');
  }

  const dateValues = dateColumn(table, dateName, 'date').values;
  const order = Array.from({ length: table.rows }, (_, i) => i).sort((a, b) => {
    const da = dateValues[a];
    const db = dateValues[b];
    if (Number.isNaN(da)) return Number.isNaN(db) ? 0 : -1;
    if (Number.isNaN(db)) return 1;
    return da - db;
  });
  const rowOf = (k: number) => order[k] + 1;
  const dates = order.map((i) => dateValues[i]);
  const periodDays = checkDates(dates, rowOf);

  const column = (name: string, role: string) => {
    const v = numberColumn(table, name, role).values;
    return Float64Array.from(order, (i) => {
      if (!Number.isFinite(v[i])) {
        throw new InputError(`Row ${i + 1}: ${role} "${name}" is missing or not a number; an MMM needs a value in every period (fill it, e.g. 0 spend, or drop the row).`);
      }
      return v[i];
    });
  };
  const y = column(targetName, 'target');
  const spend = channelNames.map((n) => column(n, 'channel'));
  spend.forEach((s, c) => {
    const neg = s.findIndex((v) => v < 0);
    if (neg >= 0) throw new InputError(`Row ${rowOf(neg)}: channel "${channelNames[c]}" has negative spend (${s[neg]}); spend must be 0 or more.`);
  });
  const controlsRaw = controlNames.map((n) => column(n, 'control'));
  const events = eventNames.map((n) => {
    const v = column(n, 'event');
    const bad = v.findIndex((x) => x !== 0 && x !== 1);
    if (bad >= 0) throw new InputError(`Row ${rowOf(bad)}: event column "${n}" must hold 0 or 1, got ${v[bad]}.`);
    return v;
  });

  const T = dates.length;
  const train = T - config.holdoutPeriods;
  if (train < 1 || (config.holdoutPeriods > 0 && train < T / 2)) {
    throw new InputError(`config.${holdoutKey(spec.config ?? {})} (${config.holdoutPeriods}) leaves too little to fit: ${Math.max(train, 0)} of ${T} rows (keep at least half).`);
  }
  spend.forEach((s, c) => {
    if (!s.subarray(0, train).some((v) => v > 0)) {
      throw new InputError(`Channel "${channelNames[c]}" is all zeros${config.holdoutPeriods ? ' in the fitting period' : ''}: its effect cannot be estimated. Remove it from the channels.`);
    }
  });
  const maxAbs = (v: Float64Array) => {
    let m = 0;
    for (let t = 0; t < train; t++) m = Math.max(m, Math.abs(v[t]));
    return m;
  };
  const yMax = maxAbs(y);
  if (!(yMax > 0)) throw new InputError(`The target "${targetName}" is zero in every fitted period.`);
  const xMax = spend.map(maxAbs);

  const controls: ControlColumn[] = controlsRaw.map((v, j) => {
    const scale = maxAbs(v);
    if (!(scale > 0)) throw new InputError(`Control "${controlNames[j]}" is zero in every fitted period: it cannot have an effect. Remove it.`);
    return { name: controlNames[j], kind: 'control' as const, values: v.map((x) => x / scale), scale };
  });
  events.forEach((v, j) => {
    if (!v.subarray(0, train).some((x) => x === 1)) throw new InputError(`Event "${eventNames[j]}" never happens in the fitted period: its effect cannot be estimated. Remove it.`);
    controls.push({ name: eventNames[j], kind: 'event', values: v, scale: 1 });
  });
  if (config.trend) {
    controls.push({ name: 'trend', kind: 'trend', values: Float64Array.from({ length: T }, (_, t) => t / Math.max(1, train - 1)), scale: 1 });
  }
  const fourier = yearlyFourier(dates, config.yearlySeasonality);

  const mediaParams = ADSTOCKS[config.adstock].parameters.length + SATURATIONS[config.saturation].parameters.length;
  const nParams = parameterCount(channelNames.length, mediaParams, controls.length, fourier.names.length, config.likelihood === 'studentt');
  if (train <= nParams) {
    throw new InputError(
      `Too few rows to fit: ${train} periods for ${nParams} parameters. An MMM needs more periods than parameters; use fewer channels or controls, a lower yearlySeasonality, or more data.`,
    );
  }
  return {
    dates,
    periodDays,
    target: targetName,
    y,
    yMax,
    channels: channelNames,
    spend,
    xMax,
    controls,
    fourier,
    train,
    liftTests: scaleLiftTests(resolveLiftTests(config.liftTests, channelNames, dates, spend), channelNames, xMax, yMax),
    config,
  };
}
