// scripts/check-imports.mjs (part of `npm run check`): module boundaries between libs, apps and tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './support/processes.js';

const SCRIPT = resolve(ROOT, 'scripts/check-imports.mjs');

function run(root?: string): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, ...(root ? [root] : [])], {
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

describe('check-imports', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdc-check-imports-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes on this repository', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('accepts #libs/<name>, relative imports inside a lib or app, and the app entry modules from tests', () => {
    write('libs/a/src/index.ts', "export * from './x.js';\n");
    write(
      'libs/a/src/x.ts',
      "import { b } from '#libs/b';\nimport { m } from '../../../migrations/index.js';\nexport const x = 1;\n",
    );
    write('libs/b/src/index.ts', 'export const b = 1;\n');
    write(
      'apps/api/src/main.ts',
      "import { createApi } from './api.js';\nimport { createWorker } from '../../worker/src/worker.js';\n",
    );
    write(
      'test/support/system.ts',
      "import { createApi } from '../../apps/api/src/api.js';\nimport { createWorker } from '../../apps/worker/src/worker.js';\n",
    );
    const result = run(root);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('lists every deep import across libs, self-import, lib-to-app and app-internals import, and fails', () => {
    write(
      'libs/a/src/x.ts',
      [
        "import { y } from '../../b/src/y.js';",
        "import { a } from '#libs/a';",
        'import {',
        '  deep,',
        "} from '#libs/b/src/deep.js';",
        "// import { commented } from '../../b/src/out.js';",
        "import { api } from '../../../apps/api/src/api.js';",
        "const later = await import('../../b/src/later.js');",
        '',
      ].join('\n'),
    );
    write(
      'test/t.e2e-spec.ts',
      "import { AppModule } from '../apps/api/src/app.module.js';\nimport { x } from '../libs/a/src/x.js';\n",
    );
    const result = run(root);
    expect(result.status).toBe(1);
    const lines = result.stderr
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(':').slice(0, 2).join(':'));
    expect(lines).toEqual([
      'libs/a/src/x.ts:1',
      'libs/a/src/x.ts:2',
      'libs/a/src/x.ts:3',
      'libs/a/src/x.ts:7',
      'libs/a/src/x.ts:8',
      'test/t.e2e-spec.ts:1',
      'test/t.e2e-spec.ts:2',
    ]);
    expect(result.stderr).toContain("import '#libs/b' instead");
  });
});
