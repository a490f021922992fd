#!/usr/bin/env node
// The table of allowed library edges, scripts/library-graph.json, and what the libraries' READMEs say
// of it: what dependency-cruiser (.dependency-cruiser.mjs, whose rules are generated from the table)
// cannot check. Run: node scripts/check-library-graph.mjs [root]
//
// - The table names every folder of libs/, and only those; each line lists libraries of the table,
//   not itself; the edges have no cycle (libraries depend one way).
// - A library's README, when it has one, states the table's line for it ("May import: …").
// Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
/** The allowed library edges, relative to ROOT. */
const TABLE = 'scripts/library-graph.json';

/** The table as a map, with what is wrong with it: unreadable, unknown or missing libraries, self-edges, a cycle. */
function readTable(libFolders) {
  const problems = [];
  let raw;
  try {
    raw = JSON.parse(readFileSync(join(ROOT, TABLE), 'utf8'));
  } catch (error) {
    return { allowed: new Map(), problems: [`${TABLE}: cannot read the table of library edges (${error.message})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { allowed: new Map(), problems: [`${TABLE}: must be an object, one key per library`] };
  }
  const allowed = new Map();
  for (const [lib, deps] of Object.entries(raw)) {
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
      problems.push(`${TABLE}: "${lib}" must list library names`);
      continue;
    }
    allowed.set(lib, new Set(deps));
    if (!libFolders.has(lib)) problems.push(`${TABLE}: "${lib}" has no folder libs/${lib}`);
    for (const dep of deps) {
      if (dep === lib) problems.push(`${TABLE}: "${lib}" lists itself`);
      else if (!Object.hasOwn(raw, dep))
        problems.push(`${TABLE}: "${lib}" may import "${dep}", which has no line in the table`);
    }
  }
  for (const lib of libFolders) {
    if (!allowed.has(lib)) problems.push(`${TABLE}: libs/${lib} has no line: add "${lib}": [what it may import]`);
  }
  const cycle = findCycle(allowed);
  if (cycle) problems.push(`${TABLE}: the edges make a cycle ${cycle.join(' → ')}: libraries depend one way`);
  return { allowed, problems };
}

/** One cycle of the graph as a path that returns to its start, or undefined (depth-first, three colours). */
function findCycle(graph) {
  const state = new Map(); // absent: unvisited, 1: on the path, 2: done
  const path = [];
  const visit = (node) => {
    state.set(node, 1);
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!graph.has(next) || next === node) continue; // reported on their own
      if (state.get(next) === 1) return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** The line a library's README states, from the table. */
const readmeLine = (deps) =>
  `May import: ${
    deps.size === 0
      ? 'no other library'
      : [...deps]
          .sort()
          .map((d) => `\`#libs/${d}\``)
          .join(', ')
  } (${TABLE}, enforced by \`npm run check\`).`;

let libFolders = new Set();
try {
  libFolders = new Set(readdirSync(join(ROOT, 'libs')).filter((n) => statSync(join(ROOT, 'libs', n)).isDirectory()));
} catch {
  // no libs/ at all: nothing to check against the table but the table itself
}
const { allowed, problems } = readTable(libFolders);
for (const [lib, deps] of allowed) {
  const readme = join(ROOT, 'libs', lib, 'README.md');
  if (!existsSync(readme)) continue;
  const lines = readFileSync(readme, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('May import:'));
  const expected = readmeLine(deps);
  if (at === -1) problems.push(`libs/${lib}/README.md: add the line ${expected}`);
  else if (lines[at] !== expected) problems.push(`libs/${lib}/README.md:${at + 1}: the table says ${expected}`);
}

if (problems.length > 0) {
  console.error(`check-library-graph: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
const edges = [...allowed.values()].reduce((n, deps) => n + deps.size, 0);
console.log(
  `check-library-graph: ${TABLE} (${allowed.size} libraries, ${edges} edges, no cycle) and the READMEs agree`,
);
