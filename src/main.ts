/**
 * Boots the studio page: registers the offline service worker and exposes `window.studio`.
 */
import { mountStudio } from './embed';
import type { Studio } from './api/types';

declare global {
  interface Window {
    studio: Studio;
  }
}

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

window.studio = await mountStudio(root);

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((error: unknown) => {
    console.warn('Offline cache unavailable:', error);
  });
}
