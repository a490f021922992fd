#!/usr/bin/env node
// Module boundaries of the monorepo (plain Node, no dependencies). Run: node scripts/check-imports.mjs [root]
//
// - Another library is imported only through its public index: `#libs/<name>`, never a deep path
//   (`../../<lib>/src/…`, `libs/<lib>/src/…`, `#libs/<lib>/…`).
// - Inside a library, its own files are imported relatively, not through `#libs/<itself>`.
// - Libraries do not import applications.
// - An application, or a test, imports another application only through its entry modules:
//   apps/api/src/api.ts (createApi) and apps/worker/src/worker.ts (createWorker).
// Scans apps/, libs/ and test/; exits 1 with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED = ['apps', 'libs', 'test'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data']);
/** Application modules other code may import (without extension). */
const APP_ENTRIES = new Set(['apps/api/src/api', 'apps/worker/src/worker']);

/** Import specifiers with their line numbers: static imports/exports, import(), jest.unstable_mockModule(), require(). */
const PATTERNS = [
  /^[ \t]*(?:import|export)\s+[\w\s{},*$]*?\bfrom\s*['"]([^'"\n]+)['"]/gm,
  /^[ \t]*import\s*['"]([^'"\n]+)['"]/gm,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /\bjest\.unstable_mockModule\(\s*['"]([^'"\n]+)['"]/g,
  /\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name)) yield path;
  }
}

function specifiers(text) {
  const found = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ spec: match[1], line });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Which part of the repository a path (relative to ROOT, '/'-separated) belongs to. */
function ownerOf(path) {
  const [top, name] = path.split('/');
  if (top === 'libs' && name) return { kind: 'lib', name };
  if (top === 'apps' && name) return { kind: 'app', name };
  return { kind: top };
}

const withoutExtension = (path) => path.replace(SOURCE, '');

function check(file, spec) {
  const from = ownerOf(file);
  const hash = /^#libs\/([^/]+)(\/.*)?$/.exec(spec);
  if (hash) {
    if (hash[2]) return `deep import of lib "${hash[1]}": import '#libs/${hash[1]}' instead`;
    if (from.kind === 'lib' && from.name === hash[1])
      return `lib "${from.name}" imports itself through '#libs/${from.name}': use a relative import`;
    return undefined;
  }
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    // A package. A path into the repository's libs through some other name is still a deep import.
    const deep = /(?:^|\/)libs\/([^/]+)\/src\//.exec(spec);
    return deep ? `deep import of lib "${deep[1]}": import '#libs/${deep[1]}' instead` : undefined;
  }
  const target = relative(ROOT, resolve(ROOT, dirname(file), spec))
    .split(sep)
    .join('/');
  const to = ownerOf(target);
  if (to.kind === 'lib' && !(from.kind === 'lib' && from.name === to.name)) {
    return `reaches into lib "${to.name}" (${target}): import '#libs/${to.name}' instead`;
  }
  if (to.kind === 'app' && !(from.kind === 'app' && from.name === to.name)) {
    if (from.kind === 'lib') return `lib "${from.name}" imports application code (${target})`;
    if (!APP_ENTRIES.has(withoutExtension(target))) {
      return `reaches into app "${to.name}" (${target}): only ${[...APP_ENTRIES].map((e) => `${e}.ts`).join(' and ')} may be imported from outside`;
    }
  }
  return undefined;
}

const violations = [];
let files = 0;
for (const top of SCANNED) {
  for (const path of sourceFiles(join(ROOT, top))) {
    files++;
    const file = relative(ROOT, path).split(sep).join('/');
    for (const { spec, line } of specifiers(readFileSync(path, 'utf8'))) {
      const problem = check(file, spec);
      if (problem) violations.push(`${file}:${line}: '${spec}' ${problem}`);
    }
  }
}

if (violations.length > 0) {
  console.error(`check-imports: ${violations.length} forbidden import${violations.length === 1 ? '' : 's'}:`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`check-imports: ${files} files, module boundaries respected`);
