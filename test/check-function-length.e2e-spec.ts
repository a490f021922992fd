// scripts/check-function-length.mjs (`npm run check:functions`): no function a reader must scroll.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './support/processes.js';

const SCRIPT = resolve(ROOT, 'scripts/check-function-length.mjs');

function run(root: string): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** `n` statements, one a line. */
const statements = (n: number, indent = '  '): string =>
  Array.from({ length: n }, (_, i) => `${indent}total += ${i};`).join('\n');

/** A switch over a kind with `kinds` cases of `perCase` lines each (the case label included). */
const kindTable = (kinds: number, perCase: number): string =>
  Array.from(
    { length: kinds },
    (_, k) => `    case 'k${k}':\n${statements(perCase - 2, '      ')}\n      return total;`,
  ).join('\n');

describe('check-function-length', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdc-check-function-length-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes short functions, methods and arrows', () => {
    write(
      'libs/a/src/short.ts',
      [
        'export function short(): number {',
        '  let total = 0;',
        statements(76),
        '  return total;',
        '}',
        'export class Service {',
        '  method(): number {',
        '    let total = 0;',
        statements(10, '    '),
        '    return total;',
        '  }',
        '}',
        'export const arrow = (): number => 1;',
        '',
      ].join('\n'),
    );
    const result = run(root);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on a function, a method or an arrow over 80 lines, one line each with file:line name and length', () => {
    write(
      'libs/a/src/long.ts',
      ['export function long(): number {', '  let total = 0;', statements(78), '  return total;', '}', ''].join('\n'),
    );
    write(
      'apps/api/src/long-method.ts',
      [
        'export class Service {',
        '  async long(): Promise<number> {',
        '    let total = 0;',
        statements(80, '    '),
        '    return total;',
        '  }',
        '}',
        'export const arrow = (): number => {',
        '  let total = 0;',
        statements(90),
        '  return total;',
        '};',
        '',
      ].join('\n'),
    );
    const result = run(root);
    expect(result.status).toBe(1);
    const lines = result.stderr
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .sort();
    expect(lines).toEqual([
      'apps/api/src/long-method.ts:2 Service.long 84 lines',
      'apps/api/src/long-method.ts:87 arrow 94 lines',
      'libs/a/src/long.ts:1 long 82 lines',
    ]);
  });

  it('passes a long function that is essentially one switch over a kind', () => {
    write(
      'libs/a/src/table.ts',
      [
        'export function byKind(kind: string): number {',
        '  let total = 0;',
        '  switch (kind) {',
        kindTable(12, 10),
        '  }',
        '  return total;',
        '}',
        '',
      ].join('\n'),
    );
    const result = run(root);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails a long switch whose case holds an idea of its own, or with a long preamble', () => {
    write(
      'libs/a/src/long-case.ts',
      [
        'export function longCase(kind: string): number {',
        '  let total = 0;',
        '  switch (kind) {',
        kindTable(3, 10),
        kindTable(1, 60).replace("'k0'", "'long'"),
        '  }',
        '  return total;',
        '}',
        '',
      ].join('\n'),
    );
    write(
      'libs/a/src/preamble.ts',
      [
        'export function preamble(kind: string): number {',
        '  let total = 0;',
        statements(40),
        '  switch (kind) {',
        kindTable(5, 10),
        '  }',
        '  return total;',
        '}',
        '',
      ].join('\n'),
    );
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('libs/a/src/long-case.ts:1 longCase ');
    expect(result.stderr).toContain('libs/a/src/preamble.ts:1 preamble ');
  });

  it('skips specs, migrations and dist', () => {
    const long = ['export function long(): number {', '  let total = 0;', statements(90), '  return total;', '}', ''];
    write('libs/a/src/long.spec.ts', long.join('\n'));
    write('libs/a/src/migrations/1700000000000-Long.ts', long.join('\n'));
    write('libs/a/dist/long.ts', long.join('\n'));
    write('apps/api/test/long.e2e-spec.ts', long.join('\n'));
    const result = run(root);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
