#!/usr/bin/env node
// What each library owns, and that no other library reaches into it. Run:
// node scripts/check-library-ownership.mjs [root]
//
// 1. Providers: no Nest module of libs/<a> lists a class of libs/<b> among its `providers` (directly,
//    as `useClass`, or through a spread provider array). Another library's classes come in by
//    importing that library's module (its cross-library module), so the process holds one instance.
// 2. Tables: a table belongs to the library whose `*.entity.ts` declares it (`@Entity({ name })`),
//    and every table a migration creates has one. In libs/<a> (not specs), no SQL text names a table
//    of another library (`FROM x`, `JOIN x`, `UPDATE x`, `INTO x`, `TABLE x`, with the keywords in
//    capitals, as this codebase writes SQL; `{ table: 'x' }`), no query builder or repository call
//    takes another library's entity class (`getRepository(X)`, `createQueryBuilder(X, …)`,
//    `forFeature([X])`, `manager.find(X, …)`, …), and no join or find option (`relations: {…}`)
//    follows an entity relation (aliases traced through the query-builder chain) into another
//    library's entity.
// 3. Repositories: a module that a module of another library imports exports no `*Repository`
//    class, directly or through a module it re-exports: a library's SQL is its own, and other
//    libraries get a service. A library's repositories go in a module only its own modules import.
// 4. Globals: no module of libs/ or apps/ is global (`@Global()`, or `global: true` in a dynamic
//    module) except ConfigModule, LoggingModule and UnitOfWorkModule: every other module is imported
//    by name where it is used (DatabaseModule and QueueModule included).
//
// Syntactic (the TypeScript parser, no type checker): where it cannot see which entity a query reads
// (a repository injected under a name), a relation is looked up among the library's own entities. Exceptions are listed in ALLOWED below, each with its reason.
// Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));

/**
 * A library's SQL may name the read-only views other libraries publish for it (`<library>_…_v`,
 * migration PublishedReadViews, each listed in its library's README): they are no library's table,
 * so this check does not see them as crossings. Calibration's certificate read and result view join
 * `requests_item_card_v`, `registry_instrument_card_v` and `auth_staff_name_v` that way.
 *
 * Known crossings, by file and the other library's table. Each must still occur while its file
 * exists (a stale entry is a problem too), so the list shrinks as the work lands.
 */
const ALLOWED = [];

const SOURCE = /\.(ts|mts|cts)$/;
const SKIPPED_FILE = /(\.d\.ts|\.spec\.ts|\.e2e-spec\.ts|\.test\.ts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data']);
const SQL_TABLE =
  /\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?/g;
/** Calls whose first argument, when an entity class, is queried. */
const ENTITY_CALLS = new Set([
  'getRepository',
  'createQueryBuilder',
  'from',
  'into',
  'update',
  'insert',
  'delete',
  'find',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findBy',
  'findAndCount',
  'count',
  'countBy',
  'exists',
  'existsBy',
  'save',
  'upsert',
  'softDelete',
  'increment',
  'decrement',
  'query',
  'create',
  'insertMany',
]);
const RELATIONS = new Set(['ManyToOne', 'OneToOne', 'OneToMany', 'ManyToMany']);

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) yield* sourceFiles(path);
    } else if (SOURCE.test(name) && !SKIPPED_FILE.test(name)) yield path;
  }
}

const rel = (path) => relative(ROOT, path).split(sep).join('/');
const libOf = (path) => /^libs\/([^/]+)\//.exec(rel(path))?.[1];
const parse = (path) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
const lineOf = (sf, node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

function walk(node, visit) {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

function decoratorsOf(node) {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

function decoratorCall(decorator) {
  const e = decorator.expression;
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) ? e : undefined;
}

/** What an identifier of a file is imported from: `name` → the import's specifier (and original name). */
function importsOf(sf) {
  const imports = new Map();
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const from = s.moduleSpecifier.text;
    const { name, namedBindings } = s.importClause;
    if (name) imports.set(name.text, { from, name: 'default' });
    if (namedBindings && ts.isNamedImports(namedBindings))
      for (const el of namedBindings.elements)
        imports.set(el.name.text, { from, name: (el.propertyName ?? el.name).text });
  }
  return imports;
}

/** The library an imported name comes from: `#libs/<name>` or a relative path into libs/<name>. */
function importedLib(file, spec) {
  const m = /^#libs\/([^/]+)/.exec(spec);
  if (m) return m[1];
  if (spec.startsWith('.')) return libOf(resolve(dirname(file), spec));
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Entities: class → library, table and relations.

/** Every entity class of libs/: { lib, table, file, relations: Map<property, target class> }. */
function readEntities() {
  const entities = new Map();
  for (const file of sourceFiles(join(ROOT, 'libs'))) {
    const lib = libOf(file);
    const sf = parse(file);
    for (const s of sf.statements) {
      if (!ts.isClassDeclaration(s) || !s.name) continue;
      const entity = decoratorsOf(s)
        .map(decoratorCall)
        .find((c) => c?.expression.text === 'Entity');
      if (!entity) continue;
      entities.set(s.name.text, {
        lib,
        table: tableName(entity, s.name.text),
        file: rel(file),
        relations: relationsOf(s),
      });
    }
  }
  return entities;
}

function tableName(call, className) {
  const [arg] = call.arguments;
  if (arg && ts.isStringLiteralLike(arg)) return arg.text;
  if (arg && ts.isObjectLiteralExpression(arg)) {
    for (const p of arg.properties)
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'name' && ts.isStringLiteralLike(p.initializer))
        return p.initializer.text;
  }
  // TypeORM's default naming: the class name in snake case.
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function relationsOf(cls) {
  const relations = new Map();
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name) continue;
    for (const d of decoratorsOf(member)) {
      const call = decoratorCall(d);
      if (!call || !RELATIONS.has(call.expression.text)) continue;
      const [target] = call.arguments;
      if (target && ts.isArrowFunction(target) && ts.isIdentifier(target.body))
        relations.set(member.name.getText(), target.body.text);
    }
  }
  return relations;
}

/** Tables that a migration creates. */
function migrationTables() {
  const tables = new Set();
  for (const file of sourceFiles(join(ROOT, 'migrations'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?([a-z_][a-z0-9_]*)"?/gi))
      tables.add(m[1]);
  }
  return tables;
}

/** Views that a migration creates (CREATE [OR REPLACE] [MATERIALIZED] VIEW, or a loop over named view bodies). */
function migrationViews() {
  const views = new Set();
  for (const file of sourceFiles(join(ROOT, 'migrations'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /CREATE (?:OR REPLACE )?(?:MATERIALIZED )?VIEW (?:IF NOT EXISTS )?"?([a-z_][a-z0-9_]*)"?/gi,
    ))
      views.add(m[1]);
    // A migration that creates its views in a loop over `{ name_v: \`SELECT …\` }` (PublishedReadViews).
    if (/CREATE (?:OR REPLACE )?(?:MATERIALIZED )?VIEW "?\$\{/.test(text))
      for (const m of text.matchAll(/^\s*([a-z][a-z0-9_]*_v):\s*`/gm)) views.add(m[1]);
  }
  return views;
}

/**
 * A published view (`<library>_…_v`) that SQL names must exist: a migration creates it, its prefix
 * names a library, and that library's README lists it (what it publishes, for whom).
 */
function checkPublishedView(name, where, views, problems) {
  if (!/_v$/.test(name)) return;
  const owner = name.split('_')[0];
  if (!views.has(name)) problems.push(`${where} names the view ${name}, which no migration creates`);
  else if (!existsSync(join(ROOT, 'libs', owner, 'src')))
    problems.push(`${where} names the view ${name}, whose prefix names no library (libs/${owner})`);
  else if (!readFileSync(join(ROOT, 'libs', owner, 'README.md'), 'utf8').includes(name))
    problems.push(`${where} names the view ${name}, which libs/${owner}/README.md does not list as published`);
}

// ---------------------------------------------------------------------------------------------
// 1. Providers.

/** Elements of a `providers` array, spreads of local or same-library arrays followed. */
function providerElements(file, sf, array, seen = new Set()) {
  const out = [];
  for (const el of array.elements) {
    if (ts.isSpreadElement(el) && ts.isIdentifier(el.expression)) {
      const local = localArray(sf, el.expression.text);
      if (local && !seen.has(local)) {
        seen.add(local);
        out.push(...providerElements(file, sf, local, seen));
      } else out.push({ id: el.expression, sf, file });
    } else out.push({ id: providedClass(el), sf, file, node: el });
  }
  return out.filter((p) => p.id);
}

function localArray(sf, name) {
  let found;
  walk(sf, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) {
      let init = n.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
      if (ts.isArrayLiteralExpression(init)) found = init;
    }
  });
  return found;
}

/** The class a provider entry registers: `X` or `{ provide, useClass: X }` (a factory's result cannot be seen). */
function providedClass(el) {
  if (ts.isIdentifier(el)) return el;
  if (ts.isObjectLiteralExpression(el)) {
    for (const p of el.properties)
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'useClass' && ts.isIdentifier(p.initializer))
        return p.initializer;
  }
  return undefined;
}

function checkProviders(file, sf, problems) {
  const lib = libOf(file);
  const imports = importsOf(sf);
  walk(sf, (n) => {
    if (!ts.isPropertyAssignment(n) || n.name.getText() !== 'providers') return;
    if (!ts.isArrayLiteralExpression(n.initializer)) return;
    for (const { id } of providerElements(file, sf, n.initializer)) {
      const imported = imports.get(id.text);
      const from = imported && importedLib(file, imported.from);
      if (from && from !== lib)
        problems.push(
          `${rel(file)}:${lineOf(sf, id)} libs/${lib} registers ${id.text} of libs/${from} among its providers: import its cross-library module instead`,
        );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Tables.

function checkTables(file, sf, entities, tables, found, views, problems) {
  const lib = libOf(file);
  const imports = importsOf(sf);
  const cross = (table, node, how) => {
    const owner = tables.get(table);
    if (owner && owner !== lib) found.push({ file: rel(file), line: lineOf(sf, node), table, owner, lib, how });
  };
  const entityOf = (id) => {
    const imported = imports.get(id.text);
    const e = entities.get(imported?.name ?? id.text);
    // A name bound in this file to something else than an entity (a local variable) is not one.
    if (!e || (!imported && e.file !== rel(file) && !declaredHere(sf, id.text))) return undefined;
    return { name: imported?.name ?? id.text, ...e };
  };
  walk(sf, (n) => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) {
      for (const m of sqlText(n).matchAll(SQL_TABLE)) {
        cross(m[1], n, `SQL names ${m[1]}`);
        checkPublishedView(m[1], `${rel(file)}:${lineOf(sf, n)}`, views, problems);
      }
    }
    if (ts.isPropertyAssignment(n) && n.name.getText() === 'table' && ts.isStringLiteralLike(n.initializer))
      cross(n.initializer.text, n, `table: '${n.initializer.text}'`);
    if (ts.isCallExpression(n)) {
      checkCall(n, entityOf, cross);
      checkRelationOptions(n, entities, entityOf, lib, cross);
    }
    if (ts.isArrayLiteralExpression(n) && isForFeature(n.parent)) {
      for (const el of n.elements) {
        const e = ts.isIdentifier(el) ? entityOf(el) : undefined;
        if (e) cross(e.table, el, `forFeature([${e.name}])`);
      }
    }
  });
  checkJoins(sf, entities, entityOf, tables, cross);
}

function declaredHere(sf, name) {
  return sf.statements.some((s) => ts.isClassDeclaration(s) && s.name?.text === name);
}

function sqlText(n) {
  if (ts.isStringLiteralLike(n)) return n.text;
  return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
}

function isForFeature(parent) {
  return (
    parent &&
    ts.isCallExpression(parent) &&
    ts.isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === 'forFeature'
  );
}

function calleeName(call) {
  const e = call.expression;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isIdentifier(e)) return e.text;
  return undefined;
}

/** `getRepository(X)`, `createQueryBuilder(X, 'x')`, `manager.find(X, …)`, `.from('table', 'x')`, …. */
function checkCall(call, entityOf, cross) {
  const name = calleeName(call);
  if (!name) return;
  const args = call.arguments;
  if (ENTITY_CALLS.has(name) || /join/i.test(name)) {
    for (const arg of args.slice(0, 2)) {
      if (ts.isIdentifier(arg)) {
        const e = entityOf(arg);
        if (e) cross(e.table, arg, `${name}(${e.name})`);
      }
    }
  }
  if ((name === 'from' || /join/i.test(name)) && args[0] && ts.isStringLiteralLike(args[0]))
    cross(args[0].text, args[0], `${name}('${args[0].text}')`);
}

/**
 * Find options that load relations (`findOne({ relations: { owner: { type: true } } })`,
 * `setFindOptions(…)`): each relation followed from the entity the call reads, when it can be seen
 * (`getRepository(X).find…`, `manager.find…(X, …)`), else from any of the library's own entities.
 */
function checkRelationOptions(call, entities, entityOf, lib, cross) {
  for (const arg of call.arguments) {
    if (!ts.isObjectLiteralExpression(arg)) continue;
    const relations = arg.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'relations');
    if (!relations || !ts.isObjectLiteralExpression(relations.initializer)) continue;
    const first = call.arguments[0];
    const read = (first && ts.isIdentifier(first) ? entityOf(first) : undefined) ?? findEntity(call, entityOf);
    followRelations(relations.initializer, read?.name, entities, lib, cross);
  }
}

/** The entity of `getRepository(X).find…(…)`. */
function findEntity(call, entityOf) {
  const target = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  if (!target || !ts.isCallExpression(target) || calleeName(target) !== 'getRepository') return undefined;
  const [arg] = target.arguments;
  return arg && ts.isIdentifier(arg) ? entityOf(arg) : undefined;
}

function followRelations(object, className, entities, lib, cross) {
  for (const p of object.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const property = p.name.getText();
    const target = relationTarget(entities, className, property, lib);
    if (!target) continue;
    const e = entities.get(target);
    if (e) cross(e.table, p, `relations: { ${property} } → ${target}`);
    if (ts.isObjectLiteralExpression(p.initializer)) followRelations(p.initializer, target, entities, lib, cross);
  }
}

/**
 * Joins along entity relations: in each function, aliases are traced from `createQueryBuilder(X, 'a')`,
 * `getRepository(X).createQueryBuilder('a')` and each `…Join…('a.relation', 'b')`.
 */
function checkJoins(sf, entities, entityOf, tables, cross) {
  walk(sf, (fn) => {
    if (!ts.isFunctionLike(fn) || !fn.body) return;
    const aliases = new Map();
    const calls = [];
    walk(fn.body, (n) => ts.isCallExpression(n) && calls.push(n));
    // Inner calls of a chain first: the builder is made before it is joined.
    calls.sort((a, b) => a.getEnd() - b.getEnd() || b.getStart() - a.getStart());
    for (const call of calls) {
      const name = calleeName(call);
      const args = call.arguments;
      if (name === 'createQueryBuilder') {
        const alias = args.find((a) => ts.isStringLiteralLike(a));
        const first = args[0] && ts.isIdentifier(args[0]) ? entityOf(args[0]) : repositoryEntity(call, entityOf);
        if (alias && first) aliases.set(alias.text, first.name);
      } else if (name && /join/i.test(name)) {
        const mapped = /AndMap/.test(name);
        const path = args[mapped ? 1 : 0];
        const alias = args[mapped ? 2 : 1];
        if (!path || !alias || !ts.isStringLiteralLike(path) || !ts.isStringLiteralLike(alias)) continue;
        const [from, property] = path.text.split('.');
        if (!property) continue;
        const target = relationTarget(entities, aliases.get(from), property, libOf(sf.fileName));
        if (!target) continue;
        aliases.set(alias.text, target);
        const e = entities.get(target);
        if (e) cross(e.table, path, `${name}('${path.text}') → ${target}`);
      }
    }
  });
}

/** The entity of `getRepository(X).createQueryBuilder(…)`. */
function repositoryEntity(call, entityOf) {
  const target = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  if (!target || !ts.isCallExpression(target) || calleeName(target) !== 'getRepository') return undefined;
  const [arg] = target.arguments;
  return arg && ts.isIdentifier(arg) ? entityOf(arg) : undefined;
}

/**
 * The class a relation leads to. From an alias of unknown class, any relation of that name on the
 * library's own entities (conservative: a crossing one is reported).
 */
function relationTarget(entities, className, property, lib) {
  if (className) return entities.get(className)?.relations.get(property);
  const targets = [...entities.values()]
    .filter((e) => e.lib === lib)
    .map((e) => e.relations.get(property))
    .filter(Boolean);
  return targets.find((t) => entities.get(t)?.lib !== lib) ?? targets[0];
}

// ---------------------------------------------------------------------------------------------
// 3. Repositories exported across libraries.

/** The only modules that may be global: configuration, logging and the unit of work. */
const GLOBAL_MODULES = new Set(['ConfigModule', 'LoggingModule', 'UnitOfWorkModule']);

/** The object literal of a class's `@Module({...})`, if it has one. */
function moduleMetadata(cls) {
  const call = decoratorsOf(cls)
    .map(decoratorCall)
    .find((c) => c?.expression.text === 'Module');
  const [arg] = call?.arguments ?? [];
  return arg && ts.isObjectLiteralExpression(arg) ? arg : call ? ts.factory.createObjectLiteralExpression() : undefined;
}

function arrayProperty(object, name) {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && p.name.getText() === name && ts.isArrayLiteralExpression(p.initializer))
      return p.initializer;
  return undefined;
}

/** The module classes an `imports`/`exports` array names: `X`, `X.forRoot(…)`, `...LOCAL_ARRAY` (followed). */
function moduleRefs(sf, array, seen = new Set()) {
  const out = [];
  for (const el of array?.elements ?? []) {
    let e = ts.isSpreadElement(el) ? el.expression : el;
    if (ts.isSpreadElement(el) && ts.isIdentifier(e)) {
      const local = localArray(sf, e.text);
      if (local && !seen.has(local)) {
        seen.add(local);
        out.push(...moduleRefs(sf, local, seen));
      }
      continue;
    }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = e.expression.expression;
    if (ts.isIdentifier(e)) out.push(e);
  }
  return out;
}

/** Every `@Module` class of libs/: `lib:name` → { lib, name, file, sf, imports, exports } (identifiers). */
function readModules() {
  const modules = new Map();
  for (const file of sourceFiles(join(ROOT, 'libs'))) {
    const sf = parse(file);
    if (!/@Module\(/.test(sf.text)) continue;
    const lib = libOf(file);
    const imports = importsOf(sf);
    for (const s of sf.statements) {
      if (!ts.isClassDeclaration(s) || !s.name) continue;
      const meta = moduleMetadata(s);
      if (!meta) continue;
      const where = (id) => {
        const imported = imports.get(id.text);
        return { lib: (imported && importedLib(file, imported.from)) ?? lib, name: imported?.name ?? id.text };
      };
      modules.set(`${lib}:${s.name.text}`, {
        lib,
        name: s.name.text,
        file,
        sf,
        imports: moduleRefs(sf, arrayProperty(meta, 'imports')).map((id) => ({ id, ...where(id) })),
        exports: moduleRefs(sf, arrayProperty(meta, 'exports')).map((id) => ({ id, ...where(id) })),
      });
    }
  }
  return modules;
}

/** The `*Repository` classes a module exports, itself or through the modules it re-exports. */
function exportedRepositories(modules, key, seen = new Set()) {
  if (seen.has(key)) return [];
  seen.add(key);
  const m = modules.get(key);
  if (!m) return [];
  return m.exports.flatMap((e) =>
    /Repository$/.test(e.name) ? [e.name] : exportedRepositories(modules, `${e.lib}:${e.name}`, seen),
  );
}

function checkExportedRepositories(modules, problems) {
  for (const m of modules.values()) {
    for (const imported of m.imports) {
      if (imported.lib === m.lib) continue;
      const repositories = exportedRepositories(modules, `${imported.lib}:${imported.name}`);
      if (repositories.length > 0)
        problems.push(
          `${rel(m.file)}:${lineOf(m.sf, imported.id)} libs/${m.lib} imports ${imported.name} of libs/${imported.lib}, which exports ${[...new Set(repositories)].join(', ')}: a library's repositories are its own; export a service instead`,
        );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Globals.

function checkGlobals(file, sf, problems) {
  const classOf = (node) => {
    for (let n = node; n; n = n.parent) if (ts.isClassDeclaration(n)) return n.name?.text;
    return undefined;
  };
  walk(sf, (n) => {
    let what;
    if (ts.isDecorator(n) && decoratorCall(n)?.expression.text === 'Global') what = '@Global()';
    else if (
      ts.isPropertyAssignment(n) &&
      n.name.getText() === 'global' &&
      n.initializer.kind === ts.SyntaxKind.TrueKeyword
    )
      what = 'global: true';
    if (!what) return;
    const cls = classOf(n);
    if (!GLOBAL_MODULES.has(cls))
      problems.push(
        `${rel(file)}:${lineOf(sf, n)} ${cls ?? 'a module'} is global (${what}): only ${[...GLOBAL_MODULES].join(', ')} may be; import the module by name where it is used`,
      );
  });
}

// ---------------------------------------------------------------------------------------------

function main() {
  const problems = [];
  const entities = readEntities();
  const tables = new Map();
  for (const [name, e] of entities) {
    const other = tables.get(e.table);
    if (other && other !== e.lib)
      problems.push(`${e.file}: ${name} declares the table ${e.table}, which libs/${other} declares too`);
    tables.set(e.table, e.lib);
  }
  for (const table of migrationTables())
    if (!tables.has(table))
      problems.push(`migrations create the table ${table}, which no library's entity declares: no library owns it`);

  const found = [];
  const views = migrationViews();
  for (const file of sourceFiles(join(ROOT, 'libs'))) {
    const sf = parse(file);
    if (file.endsWith('.module.ts') || /@Module\(/.test(sf.text)) checkProviders(file, sf, problems);
    checkTables(file, sf, entities, tables, found, views, problems);
  }
  checkExportedRepositories(readModules(), problems);
  for (const dir of ['libs', 'apps'])
    for (const file of sourceFiles(join(ROOT, dir))) {
      const sf = parse(file);
      if (/\bglobal\b|@Global/.test(sf.text)) checkGlobals(file, sf, problems);
    }
  const used = new Set();
  for (const f of found) {
    const allowed = ALLOWED.findIndex((a) => a.file === f.file && a.table === f.table);
    if (allowed >= 0) used.add(allowed);
    else
      problems.push(
        `${f.file}:${f.line} libs/${f.lib} reaches the table ${f.table} of libs/${f.owner} (${f.how}): use that library's cross-library module`,
      );
  }
  ALLOWED.forEach((a, i) => {
    if (!used.has(i) && existsSync(join(ROOT, a.file)))
      problems.push(
        `scripts/check-library-ownership.mjs: the allowed crossing ${a.file} → ${a.table} no longer occurs: remove it`,
      );
  });
  for (const p of [...new Set(problems)]) console.error(p);
  if (problems.length === 0)
    console.log(
      `check-library-ownership: ${tables.size} tables, each owned by one library; no other library's providers or tables used (${used.size} allowed crossings), no repository exported across libraries, no global module but configuration, logging and the unit of work`,
    );
  process.exit(problems.length ? 1 : 0);
}

main();
