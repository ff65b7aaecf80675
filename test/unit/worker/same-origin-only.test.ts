import { describe, expect, it } from 'vitest';
import { CrossOriginBlockedError, restrictToOrigin, type NetworkScope } from '../../../src/worker/same-origin-only';

const ORIGIN = 'http://127.0.0.1:4173';
const BASE = `${ORIGIN}/studio/assets/compute.worker.js`;

/** A scope whose native APIs record what they were asked to open. */
function scope() {
  const opened: string[] = [];
  class FakeSocket {
    constructor(url: string | URL) {
      opened.push(`socket ${url}`);
    }
  }
  class FakeEventSource {
    constructor(url: string | URL) {
      opened.push(`events ${url}`);
    }
  }
  class FakeXhr {
    open(_method: string, url: string | URL) {
      opened.push(`xhr ${url}`);
    }
  }
  const s = {
    fetch: async (input: RequestInfo | URL) => {
      opened.push(`fetch ${input instanceof Request ? input.url : input}`);
      return new Response('ok');
    },
    XMLHttpRequest: FakeXhr,
    WebSocket: FakeSocket,
    EventSource: FakeEventSource,
    importScripts: (...urls: (string | URL)[]) => opened.push(...urls.map((u) => `script ${u}`)),
  } as unknown as NetworkScope;
  restrictToOrigin(s, ORIGIN, BASE);
  return { s, opened };
}

describe('restrictToOrigin', () => {
  it('lets requests to the origin, blob: and data: URLs through', async () => {
    const { s, opened } = scope();
    await s.fetch('tfjs-backend-wasm.wasm');
    await s.fetch(new Request(`${ORIGIN}/studio/samples/a.csv`));
    await s.fetch(`blob:${ORIGIN}/0b8c`);
    await s.fetch('data:text/plain,x');
    new s.XMLHttpRequest!().open('GET', '/studio/x');
    new s.EventSource!(`${ORIGIN}/events`);
    s.importScripts!('./helper.js');
    expect(opened).toEqual([
      `fetch tfjs-backend-wasm.wasm`,
      `fetch ${ORIGIN}/studio/samples/a.csv`,
      `fetch blob:${ORIGIN}/0b8c`,
      'fetch data:text/plain,x',
      'xhr /studio/x',
      `events ${ORIGIN}/events`,
      'script ./helper.js',
    ]);
  });

  it('refuses every API toward another origin, another port or scheme included, before anything is opened', async () => {
    const { s, opened } = scope();
    await expect(s.fetch('https://example.com/collect')).rejects.toThrow(CrossOriginBlockedError);
    await expect(s.fetch(new Request('http://127.0.0.1:9999/x'))).rejects.toThrow(/its own origin \(http:\/\/127\.0\.0\.1:4173\); fetch to http:\/\/127\.0\.0\.1:9999\/x was blocked/);
    expect(() => new s.XMLHttpRequest!().open('POST', 'http://localhost:4173/x')).toThrow(CrossOriginBlockedError);
    expect(() => new s.WebSocket!('ws://127.0.0.1:4173/socket')).toThrow(/WebSocket to ws:\/\/127\.0\.0\.1:4173\/socket was blocked/);
    expect(() => new s.EventSource!('//example.com/stream')).toThrow(/EventSource to http:\/\/example\.com\/stream/);
    expect(() => s.importScripts!('./ok.js', 'https://cdn.example.com/evil.js')).toThrow(/importScripts to https:\/\/cdn\.example\.com\/evil\.js/);
    expect(opened).toEqual([]);
  });
});
