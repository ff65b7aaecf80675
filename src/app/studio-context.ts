/**
 * The studio's shared state for components deep in a run's view (an MMM's calibration comparison
 * reads the stored runs and can fit), without threading it through every view between: App sets
 * it once; a view rendered outside App (a unit test) gets undefined and leaves those parts out.
 */
import { getContext, setContext } from 'svelte';
import type { StudioState } from './studio-state.svelte';

const KEY = Symbol('studio');

/** Makes `app` the studio state of the components below the caller (call during App's setup). */
export function setStudioContext(app: StudioState): void {
  setContext(KEY, app);
}

/** The studio state App set, if any (call during a component's setup). */
export function studioContext(): StudioState | undefined {
  return getContext<StudioState | undefined>(KEY);
}
