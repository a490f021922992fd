// scripts/check-error-codes.mjs (`npm run check:errors`): every problem code listed once, in its library's list.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = resolve(ROOT, 'scripts/check-error-codes.mjs');

function run(root: string): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** A two-library project shaped like this one: `b` may import `a`, and `c` may import nothing. */
const FIXTURE: Record<string, string> = {
  'package.json': JSON.stringify({
    type: 'module',
    imports: { '#libs/*': { types: './libs/*/src/index.ts', default: './libs/*/src/index.ts' } },
  }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [] },
    include: ['libs/**/*.ts'],
  }),
  'scripts/library-graph.json': JSON.stringify({ a: [], b: ['a'], c: [] }),
  'libs/a/src/index.ts': [
    'export type ErrorCode = string;',
    'export type NotFoundEntity = string;',
    'export class ConflictError extends Error { constructor(readonly code: ErrorCode, message: string) { super(message); } }',
    'export class NotFoundError extends Error { constructor(entity: NotFoundEntity, id: string) { super(entity + id); } }',
    "export const refuse = (message: string, code: ErrorCode = 'a.refused'): ConflictError => new ConflictError(code, message);",
    '',
  ].join('\n'),
  'libs/a/src/a.errors.ts': [
    'export const A_ERRORS = {',
    "  'a.refused': { status: 409, meaning: 'thrown through a helper’s default' },",
    "  'a.taken': { status: 409, meaning: 'thrown by b, which may import a' },",
    "  'thing.not_found': { status: 404, meaning: 'thrown by NotFoundError' },",
    "  'a.dead': { status: 409, meaning: 'thrown nowhere' },",
    '} as const;',
    '',
  ].join('\n'),
  'libs/b/src/index.ts': [
    "import { ConflictError, NotFoundError, refuse } from '#libs/a';",
    "export const taken = (): Error => new ConflictError('a.taken', 'taken');",
    "export const missing = (): Error => new NotFoundError('thing', '1');",
    "export const helper = (): Error => refuse('no', 'b.via_helper');",
    "export const listed = (): Error => new ConflictError('b.listed', 'listed');",
    "export const wrongStatus = (): Error => new NotFoundError('b_thing', '1');",
    '',
  ].join('\n'),
  'libs/b/src/b.errors.ts': [
    'export const B_ERRORS = {',
    "  'b.listed': { status: 409, meaning: 'listed and thrown' },",
    "  'b_thing.not_found': { status: 409, meaning: 'listed with the wrong status' },",
    '} as const;',
    '',
  ].join('\n'),
  'libs/c/src/index.ts': [
    "import { ConflictError } from '#libs/a';",
    "export const foreign = (): Error => new ConflictError('b.listed', 'b’s code, and c may not import b');",
    '',
  ].join('\n'),
};

describe('check-error-codes', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdc-check-error-codes-'));
    for (const [path, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes this repository: every code thrown in libs/*/src is listed once, in its library’s list, and thrown', () => {
    const result = run(ROOT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+ problem codes, each listed once and thrown\n$/);
  });

  it('fails on an unlisted code, a code from a library that may not be imported, a dead code and a wrong status', () => {
    const result = run(root);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1).sort();
    expect(lines).toEqual([
      'a.dead is listed in libs/a/src/a.errors.ts but nothing throws it',
      'libs/b/src/index.ts:4 throws b.via_helper, which is not listed in libs/b/src/b.errors.ts',
      'libs/b/src/index.ts:6 throws b_thing.not_found as 404, but libs/b/src/b.errors.ts says 409',
      'libs/c/src/index.ts:2 throws b.listed, which is not listed in libs/c/src/c.errors.ts' +
        ' (it is in libs/b/src/b.errors.ts, a library c may not import)',
    ]);
  });

  it('fails on a code listed by two libraries', () => {
    writeFileSync(
      join(root, 'libs/b/src/b.errors.ts'),
      FIXTURE['libs/b/src/b.errors.ts']!.replace(
        "'b.listed'",
        "'a.taken': { status: 409, meaning: 'twice' },\n  'b.listed'",
      ),
    );
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('a.taken is listed twice: libs/a/src/a.errors.ts and libs/b/src/b.errors.ts');
  });
});
