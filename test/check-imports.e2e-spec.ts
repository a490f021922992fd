// scripts/check-imports.mjs (part of `npm run check`): module boundaries between libs, apps and tests, and the
// library edges allowed by scripts/library-graph.json.
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
  /** The fixture's table of allowed library edges. */
  const table = (edges: Record<string, string[]>): void => write('scripts/library-graph.json', JSON.stringify(edges));
  const problems = (stderr: string): string[] =>
    stderr
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
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
    table({ a: ['b'], b: [] });
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
    table({ a: [] });
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

  describe('the table of library edges', () => {
    beforeEach(() => {
      table({ core: [], registry: ['core'], calibration: ['core', 'registry'] });
      write('libs/core/src/index.ts', 'export const core = 1;\n');
      write('libs/registry/src/index.ts', "import { core } from '#libs/core';\nexport const registry = core;\n");
      write(
        'libs/calibration/src/index.ts',
        "import { core } from '#libs/core';\nimport { registry } from '#libs/registry';\nexport const calibration = core + registry;\n",
      );
    });

    it('passes when every library imports only along edges of the table', () => {
      const result = run(root);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('3 library edges of scripts/library-graph.json respected');
    });

    it('fails on an edge not in the table, naming the file, the line and the edge', () => {
      write(
        'libs/registry/src/instrument.ts',
        "import { core } from '#libs/core';\n\nimport { calibration } from '#libs/calibration';\nexport const i = 1;\n",
      );
      const result = run(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        "libs/registry/src/instrument.ts:3: '#libs/calibration' adds the edge registry → calibration, which is not in scripts/library-graph.json (registry may import: core)",
      ]);
    });

    it('fails on an edge from a library the table allows nothing', () => {
      write('libs/core/src/circular.ts', "export { registry } from '#libs/registry';\n");
      const result = run(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        "libs/core/src/circular.ts:1: '#libs/registry' adds the edge core → registry, which is not in scripts/library-graph.json (core may import: no other library)",
      ]);
    });

    it('refuses a table with a cycle, even when no import uses it', () => {
      table({ core: [], registry: ['calibration', 'core'], calibration: ['core', 'registry'] });
      const result = run(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        'scripts/library-graph.json: the edges make a cycle calibration → registry → calibration: libraries depend one way',
      ]);
    });

    it('refuses a table that misses a library, names one without a folder, or lists a library as its own dependency', () => {
      table({ core: ['core'], registry: ['core', 'audit'], ghost: [] });
      const result = run(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        'scripts/library-graph.json: "core" lists itself',
        'scripts/library-graph.json: "registry" may import "audit", which has no line in the table',
        'scripts/library-graph.json: "ghost" has no folder libs/ghost',
        'scripts/library-graph.json: libs/calibration has no line: add "calibration": [what it may import]',
      ]);
    });

    it('fails when there is no table', () => {
      rmSync(join(root, 'scripts/library-graph.json'));
      const result = run(root);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('scripts/library-graph.json: cannot read the table of library edges');
    });

    it("holds a library's README to its line of the table", () => {
      write(
        'libs/core/README.md',
        '# libs/core\n\nMay import: no other library (scripts/library-graph.json, enforced by `npm run check`).\n',
      );
      write('libs/registry/README.md', '# libs/registry\n\nMay import: `#libs/core`, `#libs/audit`.\n');
      write('libs/calibration/README.md', '# libs/calibration\n');
      const result = run(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        'libs/registry/README.md:3: the table says May import: `#libs/core` (scripts/library-graph.json, enforced by `npm run check`).',
        'libs/calibration/README.md: add the line May import: `#libs/core`, `#libs/registry` (scripts/library-graph.json, enforced by `npm run check`).',
      ]);
    });
  });
});
