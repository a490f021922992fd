#!/usr/bin/env node
// Functions a reader must scroll. Run: node scripts/check-function-length.mjs [root]
//
// Every function, method, constructor, accessor and arrow function in apps/ and libs/ (not specs,
// not migrations, not dist) has a body of at most 80 lines, counted from the line of its opening
// brace to the line of its closing brace (an expression-bodied arrow: its first to its last line),
// blank lines and comments included, nested functions included (the reader scrolls them too).
//
// One exception, as the conventions allow: a switch over a kind may stay long, because it is a
// table whose length grows with the number of kinds, not with the number of ideas. A function over
// the limit is allowed when its body is essentially one such table:
//   - one or more `switch` statements sit directly in its body (not nested in an if or a loop);
//   - the rest of the body, outside those switches, is at most 30 lines (guards, what every case
//     shares, the return): more is another idea, and belongs in a function of its own;
//   - every case clause is at most 30 lines: a longer case holds an idea of its own, and is a
//     function of its own.
// Exhaustiveness itself is @typescript-eslint/switch-exhaustiveness-check's job (see eslint.config.js).
//
// Exits 1 with one line per offender: `file:line name N lines`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const MAX_LINES = 80;
const MAX_OUTSIDE_SWITCH = 30;
const MAX_CASE_LINES = 30;

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED = ['apps', 'libs'];
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_FILE = /(\.d\.ts|\.spec\.ts|\.e2e-spec\.ts|\.test\.ts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data', 'migrations']);

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
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name) && !SKIPPED_FILE.test(name)) yield path;
  }
}

const lineOf = (source, pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
const linesOf = (source, node) => lineOf(source, node.getEnd()) - lineOf(source, node.getStart(source)) + 1;

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function nameOf(node, source) {
  const own = (n) => (n.name && !ts.isComputedPropertyName(n.name) ? n.name.getText(source) : undefined);
  const className = (n) => {
    for (let p = n.parent; p; p = p.parent) {
      if (ts.isClassLike(p)) return p.name?.getText(source) ?? '<class>';
    }
    return undefined;
  };
  if (ts.isConstructorDeclaration(node)) return `${className(node)}.constructor`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const owner = className(node);
    return owner && ts.isClassLike(node.parent) ? `${owner}.${own(node)}` : (own(node) ?? '<method>');
  }
  if (own(node)) return own(node);
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
  )
    return parent.name.getText(source);
  const anonymous = ts.isArrowFunction(node) ? '<arrow>' : '<function>';
  for (let p = node.parent; p; p = p.parent) {
    if (isFunctionLike(p)) return `${nameOf(p, source)}/${anonymous}`;
  }
  return anonymous;
}

/** Whether a body is essentially a switch table over a kind (see the header). */
function isSwitchTable(source, body) {
  if (!ts.isBlock(body)) return false;
  const switches = body.statements.filter(ts.isSwitchStatement);
  if (switches.length === 0) return false;
  const inSwitches = switches.reduce((n, s) => n + linesOf(source, s), 0);
  if (linesOf(source, body) - inSwitches > MAX_OUTSIDE_SWITCH) return false;
  return switches.every((s) => s.caseBlock.clauses.every((c) => linesOf(source, c) <= MAX_CASE_LINES));
}

function offendersIn(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (isFunctionLike(node) && node.body) {
      const lines = linesOf(source, node.body);
      if (lines > MAX_LINES && !isSwitchTable(source, node.body)) {
        found.push({ file, line: lineOf(source, node.getStart(source)), name: nameOf(node, source), lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const offenders = [];
let files = 0;
for (const top of SCANNED) {
  for (const path of sourceFiles(join(ROOT, top))) {
    files++;
    const file = relative(ROOT, path).split(sep).join('/');
    offenders.push(...offendersIn(file, readFileSync(path, 'utf8')));
  }
}

if (offenders.length > 0) {
  console.error(
    `check-function-length: ${offenders.length} function${offenders.length === 1 ? '' : 's'} over ${MAX_LINES} lines:`,
  );
  for (const o of offenders) console.error(`  ${o.file}:${o.line} ${o.name} ${o.lines} lines`);
  process.exit(1);
}
console.log(`check-function-length: ${files} files, no function over ${MAX_LINES} lines`);
