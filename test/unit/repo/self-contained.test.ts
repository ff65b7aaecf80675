/**
 * The repository is self-contained: no source, test, benchmark, script or config reads a path
 * outside it (a user's fresh clone has nothing beside it). Reference data live in test/fixtures.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Build outputs, installed packages and version control: not the repository's own files. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.vite', 'test-results', '.gl', '.whl', '.device']);
/** Files that hold code or configuration (data files and prose may name paths without reading them). */
const CODE = new Set(['.ts', '.mts', '.mjs', '.js', '.cjs', '.svelte', '.json', '.html', '.sh', '']);

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : codeFiles(path);
    return CODE.has(extname(name)) ? [path] : [];
  });
}

// Spelled in pieces so that this file does not match itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['', 'work', 'shared'].join('/')];

describe('self-contained repository', () => {
  it('finds the code files to check (the walk itself works)', () => {
    const files = codeFiles(ROOT).map((f) => relative(ROOT, f));
    expect(files).toContain('package.json');
    expect(files).toContain(join('test', 'fixtures', 'read.mjs'));
    expect(files).toContain(join('.ci', 'run'));
  });

  it('every data file the benchmarks name is in the repository (test/fixtures or public/samples)', () => {
    const named = new Set<string>();
    for (const f of readdirSync(join(ROOT, 'test', 'bench'))) {
      const text = readFileSync(join(ROOT, 'test', 'bench', f), 'utf8');
      // Files read through the benchmark's data reader (generated data sets are named otherwise).
      for (const m of text.matchAll(/(?:file: |data\(|prepared\(data, )'([A-Za-z0-9_-]+\.(?:csv|txt))'/g)) named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(5);
    const missing = [...named].filter((f) => !existsSync(join(ROOT, 'test', 'fixtures', f)) && !existsSync(join(ROOT, 'public', 'samples', f)));
    expect(missing).toEqual([]);
  });

  it('no code file reads the shared folder beside the checkout', () => {
    const hits = codeFiles(ROOT).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.some((p) => line.includes(p)) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});
