/// <reference lib="webworker" />
/**
 * Defence in depth for the studio's workers: their network APIs are replaced by ones that refuse any
 * URL outside the worker's own origin. The Content-Security-Policy is the seal (the compute worker
 * inherits the page's, see client.ts; the service worker takes its response's header); this holds
 * even where that policy is missing or looser (a portal page that embeds the studio without sending
 * it, a host that sends no headers), for every API but `import()`, which no script can intercept
 * (and which service workers may not use). Imported first by compute.worker.ts, so it runs before
 * any library does; inlined at the top of the generated `sw.js` (vite.config.ts).
 */

/** The network APIs of a worker's global scope that this replaces (a test passes stand-ins). */
export interface NetworkScope {
  fetch: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  WebSocket?: typeof WebSocket;
  EventSource?: typeof EventSource;
  importScripts?: (...urls: (string | URL)[]) => void;
}

/** Thrown (or rejected with) for a request outside the origin. */
export class CrossOriginBlockedError extends Error {
  override name = 'CrossOriginBlockedError';
  constructor(api: string, url: string, origin: string) {
    super(`This worker of the studio may reach only its own origin (${origin}); ${api} to ${url} was blocked.`);
  }
}

/**
 * Replaces `scope`'s network APIs so that they refuse any URL not on `origin` (blob: and data: URLs,
 * which are local, pass). Relative URLs are resolved against `base`.
 */
export function restrictToOrigin(scope: NetworkScope, origin: string, base: string): void {
  const check = (api: string, input: string | URL): void => {
    let url: URL;
    try {
      url = new URL(String(input), base);
    } catch {
      return; // Not a URL the native API could open either: let it fail its own way.
    }
    if (url.protocol === 'blob:' || url.protocol === 'data:') return;
    if (url.origin !== origin) throw new CrossOriginBlockedError(api, url.href, origin);
  };
  const nativeFetch = scope.fetch;
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      check('fetch', input instanceof Request ? input.url : input);
    } catch (error) {
      return Promise.reject(error);
    }
    return nativeFetch.call(scope, input, init);
  };
  const Xhr = scope.XMLHttpRequest;
  if (Xhr) {
    const open = Xhr.prototype.open as (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) => void;
    Xhr.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      check('XMLHttpRequest', url);
      open.call(this, method, url, ...rest);
    } as typeof Xhr.prototype.open;
  }
  // Subclasses so `instanceof` and the constants keep working; the check runs before any connection.
  const NativeWebSocket = scope.WebSocket;
  if (NativeWebSocket) {
    scope.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        check('WebSocket', url);
        super(url, protocols);
      }
    };
  }
  const NativeEventSource = scope.EventSource;
  if (NativeEventSource) {
    scope.EventSource = class extends NativeEventSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        check('EventSource', url);
        super(url, init);
      }
    };
  }
  const nativeImportScripts = scope.importScripts;
  if (nativeImportScripts) {
    scope.importScripts = (...urls: (string | URL)[]) => {
      for (const url of urls) check('importScripts', url);
      nativeImportScripts.apply(scope, urls);
    };
  }
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  restrictToOrigin(self, self.location.origin, self.location.href);
}
