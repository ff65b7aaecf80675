/**
 * Embedding entry: `mountStudio(element)` renders the studio into an element of a host page
 * (an internal portal) and returns the same API as `window.studio`.
 */
import { mount, unmount } from 'svelte';
import App from './app/App.svelte';
import { StudioState } from './app/studio-state.svelte';
import { createStudio } from './studio';
import type { Studio } from './api/types';

export interface MountedStudio extends Studio {
  /** Removes the studio from the page and stops its worker's UI bindings. */
  destroy(): void;
}

export async function mountStudio(element: HTMLElement): Promise<MountedStudio> {
  const studio = await createStudio();
  const state = new StudioState(studio);
  const app = mount(App, { target: element, props: { app: state } });
  void state.openDemoFromUrl(location.search).catch((error: unknown) => console.error(error));
  return Object.assign(studio, {
    destroy() {
      void unmount(app);
    },
  });
}

export type { Studio } from './api/types';
