/**
 * The studio's Content-Security-Policy, defined once. vite.config.ts puts it in a `<meta>` tag of
 * index.html, sends it as a header from the dev and preview servers, and writes it to the build's
 * `_headers` file for static hosts; the README tells hosts and embedding portals to send it.
 *
 * Nothing may be fetched from, or sent to, anywhere but the page's own origin: `connect-src`
 * covers fetch, XHR, WebSocket, EventSource and sendBeacon; `script-src` covers `import()` and
 * `importScripts`. `blob:` workers are allowed because the compute worker is started from one (it
 * then inherits this policy from the page, whatever headers its script was served with); tfjs's
 * threaded WASM build spawns them too. `'wasm-unsafe-eval'` lets WebAssembly compile, and nothing
 * else: no `eval`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
