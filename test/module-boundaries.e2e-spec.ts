// Module boundaries (part of `npm run check`): dependency-cruiser with .dependency-cruiser.mjs, whose
// library-edge rules are generated from scripts/library-graph.json, and scripts/check-library-graph.mjs
// for the table itself and the READMEs' "May import" lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './support/processes.js';

const CONFIG = resolve(ROOT, '.dependency-cruiser.mjs');
const TABLE_SCRIPT = resolve(ROOT, 'scripts/check-library-graph.mjs');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The package's `depcruise` command, run with this Node. */
const DEPCRUISE = resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** dependency-cruiser as `npm run check` runs it, in `root` (this repository by default). */
function cruise(root = ROOT): Run {
  const { status, stdout, stderr } = spawnSync(
    process.execPath,
    [
      DEPCRUISE,
      '--config',
      CONFIG,
      '--output-type',
      'err-long',
      ...['apps', 'libs', 'test'].filter((d) => existsSync(join(root, d))),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return { status, stdout, stderr };
}

function checkTable(root?: string): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [TABLE_SCRIPT, ...(root ? [root] : [])], {
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

/** The violations dependency-cruiser printed, as "rule: from → to". */
const violations = (run: Run): string[] =>
  (run.stdout + run.stderr)
    .split('\n')
    .map((l) => /^\s*error (\S+): (\S+) → (\S+)\s*$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}: ${m[2]} → ${m[3]}`)
    .sort();

describe('module boundaries', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** The fixture's table of allowed library edges. */
  const table = (edges: Record<string, string[]>): void => write('scripts/library-graph.json', JSON.stringify(edges));
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdc-module-boundaries-'));
    // The same subpath imports as the repository's package.json: `#libs/<name>` is libs/<name>/src/index.ts.
    write(
      'package.json',
      JSON.stringify({
        name: 'fixture',
        type: 'module',
        imports: { '#libs/*': { types: './libs/*/src/index.ts', default: './dist/libs/*/src/index.js' } },
      }),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes on this repository', () => {
    const result = cruise();
    expect(violations(result)).toEqual([]);
    expect(result.status).toBe(0);
    const graph = checkTable();
    expect(graph.stderr).toBe('');
    expect(graph.status).toBe(0);
  });

  it('accepts #libs/<name>, relative imports inside a lib or app, and the app entry modules from tests', () => {
    write('libs/a/src/index.ts', "export * from './x.js';\n");
    write(
      'libs/a/src/x.ts',
      "import { b } from '#libs/b';\nimport { m } from '../../../migrations/index.js';\nexport const x = [b, m];\n",
    );
    write('libs/b/src/index.ts', 'export const b = 1;\n');
    write('migrations/index.ts', 'export const m = 1;\n');
    table({ a: ['b'], b: [] });
    write(
      'apps/api/src/main.ts',
      "import { createApi } from './api.js';\nimport { createWorker } from '../../worker/src/worker.js';\nexport const main = [createApi, createWorker];\n",
    );
    write('apps/api/src/api.ts', "import { a } from '#libs/a';\nexport const createApi = a;\n");
    write('apps/worker/src/worker.ts', 'export const createWorker = 1;\n');
    write(
      'test/support/system.ts',
      "import { createApi } from '../../apps/api/src/api.js';\nimport { createWorker } from '../../apps/worker/src/worker.js';\nexport const s = [createApi, createWorker];\n",
    );
    const result = cruise(root);
    expect(violations(result)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("fails on a deep import into another lib's internals, and lists every other boundary crossed", () => {
    table({ a: ['b'], b: [] });
    write('libs/b/src/index.ts', "export * from './y.js';\n");
    write('libs/b/src/y.ts', 'export const y = 1;\n');
    write('libs/b/src/deep.ts', 'export const deep = 1;\n');
    write('libs/a/src/index.ts', "export * from './x.js';\n");
    write('apps/api/src/api.ts', 'export const api = 1;\n');
    write('apps/api/src/app.module.ts', 'export class AppModule {}\n');
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
        "const later = await import('../../b/src/deep.js');",
        "import { b } from '../../b/src/index.js';",
        'export const x = [y, a, deep, api, later, b];',
        '',
      ].join('\n'),
    );
    write(
      'test/t.e2e-spec.ts',
      "import { AppModule } from '../apps/api/src/app.module.js';\nimport { x } from '../libs/a/src/x.js';\nexport const t = [AppModule, x];\n",
    );
    const result = cruise(root);
    expect(result.status).not.toBe(0);
    expect(violations(result)).toEqual(
      [
        'deep-import-into-library: libs/a/src/x.ts → libs/b/src/y.ts',
        'deep-import-into-library: libs/a/src/x.ts → libs/b/src/deep.ts',
        'library-imports-itself-by-name: libs/a/src/x.ts → libs/a/src/index.ts',
        'unresolvable-library-import: libs/a/src/x.ts → #libs/b/src/deep.js',
        'library-imports-application: libs/a/src/x.ts → apps/api/src/api.ts',
        'library-index-by-relative-path: libs/a/src/x.ts → libs/b/src/index.ts',
        'application-internals: test/t.e2e-spec.ts → apps/api/src/app.module.ts',
        'deep-import-into-library: test/t.e2e-spec.ts → libs/a/src/x.ts',
      ].sort(),
    );
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
      const result = cruise(root);
      expect(violations(result)).toEqual([]);
      expect(result.status).toBe(0);
      expect(checkTable(root).status).toBe(0);
    });

    it('fails on a new edge (registry → calibration), naming the file, the edge and what the table allows', () => {
      write(
        'libs/registry/src/instrument.ts',
        "import { core } from '#libs/core';\n\nimport { calibration } from '#libs/calibration';\nexport const i = core + calibration;\n",
      );
      const result = cruise(root);
      expect(result.status).not.toBe(0);
      expect(violations(result)).toEqual([
        'edge-from-registry: libs/registry/src/instrument.ts → libs/calibration/src/index.ts',
      ]);
      expect((result.stdout + result.stderr).replace(/\s+/g, ' ')).toContain(
        'registry may import: core (scripts/library-graph.json)',
      );
    });

    it('fails on an edge from a library the table allows nothing', () => {
      write('libs/core/src/circular.ts', "export { registry } from '#libs/registry';\n");
      const result = cruise(root);
      expect(result.status).not.toBe(0);
      expect(violations(result)).toEqual(['edge-from-core: libs/core/src/circular.ts → libs/registry/src/index.ts']);
    });

    it('fails on an edge from a library that has no line in the table', () => {
      write('libs/ghost/src/index.ts', "export { core } from '#libs/core';\n");
      const result = cruise(root);
      expect(result.status).not.toBe(0);
      expect(violations(result)).toEqual([
        'edge-from-library-not-in-table: libs/ghost/src/index.ts → libs/core/src/index.ts',
      ]);
      expect(checkTable(root).stderr).toContain('libs/ghost has no line');
    });

    it('refuses a table with a cycle, even when no import uses it', () => {
      table({ core: [], registry: ['calibration', 'core'], calibration: ['core', 'registry'] });
      const result = checkTable(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        'scripts/library-graph.json: the edges make a cycle calibration → registry → calibration: libraries depend one way',
      ]);
    });

    it('refuses a table that misses a library, names one without a folder, or lists a library as its own dependency', () => {
      table({ core: ['core'], registry: ['core', 'audit'], ghost: [] });
      const result = checkTable(root);
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
      const result = checkTable(root);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('scripts/library-graph.json: cannot read the table of library edges');
      // and dependency-cruiser, without a table, allows no library edge at all
      expect(violations(cruise(root))).toEqual([
        'edge-from-library-not-in-table: libs/calibration/src/index.ts → libs/core/src/index.ts',
        'edge-from-library-not-in-table: libs/calibration/src/index.ts → libs/registry/src/index.ts',
        'edge-from-library-not-in-table: libs/registry/src/index.ts → libs/core/src/index.ts',
      ]);
    });

    it("holds a library's README to its line of the table", () => {
      write(
        'libs/core/README.md',
        '# libs/core\n\nMay import: no other library (scripts/library-graph.json, enforced by `npm run check`).\n',
      );
      write('libs/registry/README.md', '# libs/registry\n\nMay import: `#libs/core`, `#libs/audit`.\n');
      write('libs/calibration/README.md', '# libs/calibration\n');
      const result = checkTable(root);
      expect(result.status).toBe(1);
      expect(problems(result.stderr)).toEqual([
        'libs/registry/README.md:3: the table says May import: `#libs/core` (scripts/library-graph.json, enforced by `npm run check`).',
        'libs/calibration/README.md: add the line May import: `#libs/core`, `#libs/registry` (scripts/library-graph.json, enforced by `npm run check`).',
      ]);
    });
  });
});

/** The problems check-library-graph printed, one a line after its heading. */
function problems(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
}
