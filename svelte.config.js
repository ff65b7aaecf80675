import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  // Styles travel inside the components' JS, so a portal that imports embed.js gets them too.
  compilerOptions: { css: 'injected' },
};
