/**
 * Before and after calibration: a calibrated MMM run (one with `config.liftTests`) is compared with
 * the run of the same model on the same data with the same settings but no lift tests, so that the
 * only difference between the two ROAS intervals is the lift tests. The counterpart is found among
 * the stored runs by its spec (rather than remembered by the calibrated run), so it is the right one
 * whichever way the two were fitted (the page, the API, in either order) and a deleted or changed
 * "before" run is never compared silently; the page can also compare with any other MMM run on the
 * same data, and fit the counterpart when none is stored.
 */
import type { Estimate, FitSpec, RunResult } from '../../api/types';
import type { MmmOutputs } from '../../models/mmm/outputs';
import type { ResponseModel } from '../../models/mmm/response';
import { fmt } from '../../ui/format';
import { liftTestEntries, type LiftTestEntry } from './lift-test-rows';

/** The lift tests a run was fitted with (none: an empty list). */
export function runLiftTests(run: RunResult): LiftTestEntry[] {
  return liftTestEntries(run.spec.config?.liftTests);
}

/** `spec` without its lift tests: the counterpart run's spec. */
export function uncalibratedSpec(spec: FitSpec): FitSpec {
  const config: Record<string, unknown> = { ...spec.config };
  delete config.liftTests;
  return { ...spec, config };
}

/** JSON with object keys sorted (undefined values dropped), so equal specs give equal strings whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** Whether `other` is `run` without its lift tests: same data, columns, settings and inference, no lift test. */
export function isUncalibratedTwin(run: RunResult, other: RunResult): boolean {
  if (other.id === run.id || other.model !== 'mmm' || other.datasetId !== run.datasetId || runLiftTests(other).length) return false;
  const key = (r: RunResult) => canonical({ columns: r.spec.columns, config: uncalibratedSpec(r.spec).config, inference: r.spec.inference ?? {} });
  return key(run) === key(other);
}

/** One channel's ROAS before and after. */
export interface RoasComparison {
  channel: string;
  before?: Estimate;
  after: Estimate;
  /** 1 - width after / width before of the 94% intervals (negative: wider after). */
  narrowing?: number;
  /** Lift tests of this channel in the calibrated run. */
  tests: number;
}

/** Per channel of the calibrated run: its ROAS in `before` (absent where that run lacks the channel) and after. */
export function compareRoas(before: MmmOutputs | undefined, after: MmmOutputs, tests: readonly LiftTestEntry[]): RoasComparison[] {
  return Object.entries(after.channels).map(([channel, c]) => {
    const b = before?.channels[channel]?.roas;
    const widthBefore = b ? b.hdiHigh - b.hdiLow : 0;
    return {
      channel,
      ...(b ? { before: b } : {}),
      after: c.roas,
      ...(b && widthBefore > 0 ? { narrowing: 1 - (c.roas.hdiHigh - c.roas.hdiLow) / widthBefore } : {}),
      tests: tests.filter((t) => t.channel === channel).length,
    };
  });
}

/** A lift test's spend above this multiple of the channel's largest spend per period is flagged. */
export const LIFT_RANGE_FACTOR = 2;

/**
 * Lift tests whose spend lies far beyond what the channel ever spent in a period of the data (its
 * max, `model.xMax`): there the response curve is the model's extrapolation, and a lift measured in
 * other units or on another market's scale (a TBR run's sales against an MMM of sign-ups, the
 * treated geos' share left at 1) shows up this way.
 */
export function liftTestRangeWarnings(tests: readonly LiftTestEntry[], model: ResponseModel): string[] {
  return tests.flatMap((t, i) => {
    const c = model.channels.indexOf(t.channel);
    const top = Math.max(t.spendBefore ?? 0, t.spendAfter ?? 0);
    if (c < 0 || !(model.xMax[c] > 0) || top <= LIFT_RANGE_FACTOR * model.xMax[c]) return [];
    return [
      `Lift test ${i + 1} (${t.channel}): its spend of ${fmt(top)} per period is ${fmt(top / model.xMax[c])} times the most ${t.channel} spent in a period of this data (${fmt(model.xMax[c])}); the response curve there is an extrapolation. Check that the test's spend and outcome are in this data's units and that the treated market's share is right.`,
    ];
  });
}
