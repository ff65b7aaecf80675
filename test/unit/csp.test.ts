import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/csp';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the Content-Security-Policy', () => {
  it('names no other origin: every source is the origin itself, none, or a local scheme', () => {
    const directives = CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/));
    expect(directives.map(([name]) => name)).toEqual(expect.arrayContaining(['default-src', 'script-src', 'connect-src', 'worker-src']));
    for (const [name, ...sources] of directives) {
      for (const source of sources) {
        expect(["'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-inline'", 'blob:', 'data:'], `${name} ${source}`).toContain(source);
      }
    }
    // Connections (fetch, WebSocket, EventSource, sendBeacon) and scripts (import()) only to the origin.
    expect(directives.find(([name]) => name === 'connect-src')).toEqual(['connect-src', "'self'"]);
    expect(directives.find(([name]) => name === 'script-src')).toEqual(['script-src', "'self'", "'wasm-unsafe-eval'"]);
  });

  it('is written once: index.html has only the placeholder vite.config.ts fills, the README quotes it exactly', () => {
    const html = read('index.html');
    expect(html).toContain('content="%CONTENT_SECURITY_POLICY%"');
    expect(html).not.toContain('connect-src');
    expect(read('README.md')).toContain(`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}\n`);
  });
});
