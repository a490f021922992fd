#!/usr/bin/env node
// Problem codes: one list per library, complete, with no dead entries.
// Run: node scripts/check-error-codes.mjs [root]
//
// Each library lists the codes it throws in `libs/<lib>/src/<lib>.errors.ts`, one const object of
// `code: { status, meaning }`. The compiler already refuses a code that no library lists (the domain
// errors take `ErrorCode`, merged from those lists); this script proves, with the TypeScript type
// checker, what the compiler cannot:
//   - every code a library throws is in its own list, or in the list of a library it may import
//     (scripts/library-graph.json), not merely in some list;
//   - no code is listed twice, and every listed code is thrown somewhere (no dead entries);
//   - the status a list gives is the one the error class maps to, where the code is given to the
//     class directly.
// A code is "thrown" where a string reaches a parameter declared `ErrorCode` (the code of
// `new ConflictError(code, …)`, a helper's code argument, a parameter's default), or `NotFoundEntity`
// (`new NotFoundError('user', id)` throws `user.not_found`). Specs are not scanned.
//
// Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SKIPPED_FILE = /(\.d\.ts|\.spec\.ts|\.e2e-spec\.ts|\.test\.ts)$/;
const CODE_PARAMETER = new Set(['ErrorCode', 'NotFoundEntity']);
/** How many literals a union may hold and still be one throw's codes (`a ? 'x' : 'y'`), not a pass-through `ErrorCode`. */
const MAX_UNION = 8;
const CLASS_STATUS = {
  NotFoundError: 404,
  ConflictError: 409,
  UnprocessableError: 422,
  InvalidInputError: 400,
  ForbiddenError: 403,
  UnauthenticatedError: 401,
  RateLimitedError: 429,
  ServiceUnavailableError: 503,
};
const KIND_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const rel = (path) => relative(ROOT, path).split(sep).join('/');
const listPath = (lib) => join(ROOT, 'libs', lib, 'src', `${lib}.errors.ts`);

/** `{ code: status }` of the one exported `{ … } as const` object in a library's list file. */
function readList(path) {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const codes = new Map();
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      let init = node.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init))
        init = init.expression;
      if (ts.isObjectLiteralExpression(init)) {
        for (const p of init.properties) {
          if (!ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) continue;
          const status = p.initializer.properties.find((q) => q.name?.getText(source) === 'status');
          const code = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : p.name.getText(source);
          codes.set(code, status && ts.isPropertyAssignment(status) ? Number(status.initializer.getText(source)) : NaN);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return codes;
}

function loadProgram() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const libsDir = join(ROOT, 'libs') + sep;
  const roots = parsed.fileNames.filter((f) => resolve(f).startsWith(libsDir) && !SKIPPED_FILE.test(f));
  return ts.createProgram(roots, { ...parsed.options, noEmit: true, incremental: false });
}

/** The string literals an expression can be, or null when it is not a short list of literals. */
function literalsOf(checker, expr) {
  if (ts.isStringLiteralLike(expr)) return [expr.text];
  const type = checker.getTypeAtLocation(expr);
  if (type.isStringLiteral()) return [type.value];
  if (type.isUnion() && type.types.length <= MAX_UNION && type.types.every((t) => t.isStringLiteral()))
    return type.types.map((t) => t.value);
  return null;
}

function codeParameterKind(declaration) {
  if (!declaration || !ts.isParameter(declaration) || !declaration.type) return null;
  const name = declaration.type.getText();
  return CODE_PARAMETER.has(name) ? name : null;
}

/** The status the error class of `new X(…)` maps to, when the code is given to the class directly. */
function statusOf(checker, call) {
  if (!ts.isNewExpression(call)) return undefined;
  const name = call.expression.getText();
  if (name === 'DomainError') {
    const kind = call.arguments?.[0];
    return kind && ts.isStringLiteralLike(kind) ? KIND_STATUS[kind.text] : undefined;
  }
  return CLASS_STATUS[name];
}

/** Every code thrown in libs/<lib>/src: `{ lib, at, code, status }`. */
function findUses(program) {
  const checker = program.getTypeChecker();
  const uses = [];
  for (const source of program.getSourceFiles()) {
    const path = rel(source.fileName);
    const match = /^libs\/([^/]+)\/src\//.exec(path);
    if (!match || SKIPPED_FILE.test(path)) continue;
    const lib = match[1];
    const record = (node, kind, values, status) => {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      for (const v of values ?? []) {
        const code = kind === 'NotFoundEntity' ? `${v}.not_found` : v;
        uses.push({ lib, at: `${path}:${line}`, code, status: kind === 'NotFoundEntity' ? 404 : status });
      }
    };
    const visit = (node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.length) {
        const signature = checker.getResolvedSignature(node);
        const params = signature?.getParameters() ?? [];
        node.arguments.forEach((arg, i) => {
          const kind = codeParameterKind(params[Math.min(i, params.length - 1)]?.valueDeclaration);
          if (kind) record(arg, kind, literalsOf(checker, arg), statusOf(checker, node));
        });
      }
      if (ts.isParameter(node) && node.initializer) {
        const kind = codeParameterKind(node);
        if (kind) record(node.initializer, kind, literalsOf(checker, node.initializer), undefined);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

export function checkErrorCodes() {
  const graph = JSON.parse(readFileSync(join(ROOT, 'scripts/library-graph.json'), 'utf8'));
  const libs = readdirSync(join(ROOT, 'libs')).filter((l) => existsSync(join(ROOT, 'libs', l, 'src')));
  const lists = new Map(libs.filter((l) => existsSync(listPath(l))).map((l) => [l, readList(listPath(l))]));
  const problems = [];
  const owner = new Map();
  for (const [lib, codes] of lists) {
    for (const code of codes.keys()) {
      if (owner.has(code))
        problems.push(`${code} is listed twice: ${rel(listPath(owner.get(code)))} and ${rel(listPath(lib))}`);
      else owner.set(code, lib);
    }
  }
  const uses = findUses(loadProgram());
  const used = new Set();
  for (const use of uses) {
    used.add(use.code);
    const home = owner.get(use.code);
    const reachable = home === use.lib || (graph[use.lib] ?? []).includes(home);
    if (!reachable) {
      problems.push(
        `${use.at} throws ${use.code}, which is not listed in ${rel(listPath(use.lib))}` +
          (home ? ` (it is in ${rel(listPath(home))}, a library ${use.lib} may not import)` : ''),
      );
      continue;
    }
    const listed = lists.get(home).get(use.code);
    if (use.status !== undefined && listed !== use.status)
      problems.push(`${use.at} throws ${use.code} as ${use.status}, but ${rel(listPath(home))} says ${listed}`);
  }
  for (const [code, lib] of owner) {
    if (!used.has(code)) problems.push(`${code} is listed in ${rel(listPath(lib))} but nothing throws it`);
  }
  return { problems: [...new Set(problems)].sort(), uses, lists };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { problems, uses } = checkErrorCodes();
  if (problems.length) {
    process.stderr.write(`Problem codes not listed once, or listed and never thrown:\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${new Set(uses.map((u) => u.code)).size} problem codes, each listed once and thrown\n`);
}
