/**
 * Reading `FitSpec.config`: each value is checked with a message naming the setting; unknown keys
 * are errors for every model (define.ts), as a typo must not keep a default silently.
 */
import { InputError } from '../api/errors';

/** Throws on a config key the model does not know, listing the ones it does. */
export function checkConfigKeys(config: Record<string, unknown>, keys: readonly string[], model: string): void {
  const unknown = Object.keys(config).find((k) => !keys.includes(k));
  // `unknown` may be any string, "__proto__" included: it is only compared and printed.
  if (unknown) throw new InputError(`config.${unknown} is not an option of ${model}; the options are ${keys.join(', ')}.`);
}

/** A boolean setting (default `fallback`). */
export function boolOption(value: unknown, fallback: boolean, key: string): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'boolean') throw new InputError(`config.${key} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

/** A finite number from `lo` to `hi` (default `fallback`; integer when `integer`). */
export function numberOption(value: unknown, fallback: number, lo: number, hi: number, key: string, integer = false): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi || (integer && !Number.isInteger(value))) {
    throw new InputError(`config.${key} must be a ${integer ? 'whole number' : 'number'} from ${lo} to ${hi}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** User priors (`config.priors`) as an object, or undefined. */
export function priorsOption(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError('config.priors must be an object mapping parameter names to priors.');
  return value as Record<string, unknown>;
}
