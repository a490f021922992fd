// Module boundaries of the monorepo, checked by dependency-cruiser (`npm run check`, `npm run check:imports`)
// on the resolved import graph of apps/, libs/ and test/:
//
// - A library imports another only through its public index, written `#libs/<name>`: no deep path
//   (`../../<lib>/src/…`, `#libs/<lib>/…`), no relative path even to the index.
// - Inside a library, its own files are imported relatively, not through `#libs/<itself>`.
// - Libraries do not import applications. An application, or a test, imports another application
//   only through its entry modules: apps/api/src/api.ts and apps/worker/src/worker.ts; and the web
//   app's route table apps/web/src/app/routes.ts (the browser test checks it against the API's paths).
// - A library imports another only along an edge of scripts/library-graph.json, the table of allowed
//   edges (one line per library: what it may import). The rules below are generated from that table
//   at every run: the table stays the one place the graph is written. A new edge is a decision: add
//   it to the table.
//
// What dependency-cruiser cannot see — that the table names every folder of libs/, only those, with
// no cycle, and that each library's README states its line of the table — is
// scripts/check-library-graph.mjs, also part of `npm run check`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The table of the repository being checked (the working directory: the repository, or a test's fixture). */
const TABLE = 'scripts/library-graph.json';
let graph = {};
try {
  graph = JSON.parse(readFileSync(join(process.cwd(), TABLE), 'utf8'));
} catch {
  // scripts/check-library-graph.mjs reports an unreadable table; with no table no library edge is allowed
}
const APP_ENTRIES = ['apps/api/src/api\\.ts$', 'apps/worker/src/worker\\.ts$', 'apps/web/src/app/routes\\.ts$'];
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One rule per library of the table: any other library outside its line is forbidden to it. */
const edgeRules = Object.entries(graph).map(([lib, deps]) => ({
  name: `edge-from-${lib}`,
  comment: `${lib} may import: ${deps.length ? [...deps].sort().join(', ') : 'no other library'} (${TABLE}); a new edge is added to the table first`,
  severity: 'error',
  from: { path: `^libs/${escape(lib)}/` },
  to: { path: '^libs/[^/]+/', pathNot: [lib, ...deps].map((d) => `^libs/${escape(d)}/`) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...edgeRules,
    {
      name: 'edge-from-library-not-in-table',
      comment: `a library without a line in ${TABLE} may import no other library`,
      severity: 'error',
      from: {
        path: '^libs/([^/]+)/',
        pathNot: Object.keys(graph).map((lib) => `^libs/${escape(lib)}/`),
      },
      to: { path: '^libs/[^/]+/', pathNot: '^libs/$1/' },
    },
    {
      name: 'deep-import-into-library',
      comment: "another library is imported through its index only: import '#libs/<name>'",
      severity: 'error',
      from: { path: '^(libs/[^/]+/|apps/|test/)' },
      to: { path: '^libs/[^/]+/', pathNot: ['^$1', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'library-index-by-relative-path',
      comment: "another library's index is imported as '#libs/<name>', not by a relative path",
      severity: 'error',
      from: { path: '^(libs/[^/]+/|apps/|test/)' },
      to: {
        path: '^libs/[^/]+/src/index\\.ts$',
        pathNot: '^$1',
        dependencyTypesNot: ['aliased-subpath-import'],
      },
    },
    {
      name: 'unresolvable-library-import',
      comment: "'#libs/<name>/…' is a deep import: import '#libs/<name>'",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^#libs/' },
    },
    {
      name: 'library-imports-itself-by-name',
      comment: "inside a library, its own files are imported relatively, not through '#libs/<itself>'",
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/$1/', dependencyTypes: ['aliased-subpath-import'] },
    },
    {
      name: 'library-imports-application',
      comment: 'libraries do not import application code',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'application-internals',
      comment:
        'another application is imported only through apps/api/src/api.ts, apps/worker/src/worker.ts or apps/web/src/app/routes.ts',
      severity: 'error',
      from: { path: '^(apps/[^/]+/|test/)' },
      to: { path: '^apps/[^/]+/', pathNot: ['^$1', ...APP_ENTRIES] },
    },
  ],
  options: {
    exclude: { path: '(^|/)(node_modules|dist|coverage|\\.data)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // No `cache`: dependency-cruiser 17.4's cache answered from the last run after an edge was taken
    // out of the table (tried: a stale pass), and 2.4 s of CPU is affordable.
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: false } },
  },
};
