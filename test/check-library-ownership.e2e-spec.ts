// scripts/check-library-ownership.mjs (part of `npm run check`): no library registers another's
// classes as its providers, runs SQL on another's tables or hands another its repositories, and no
// module is global but configuration, logging and the unit of work.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './support/processes.js';

const SCRIPT = resolve(ROOT, 'scripts/check-library-ownership.mjs');

function run(root?: string): { status: number | null; problems: string[] } {
  const { status, stderr } = spawnSync(process.execPath, [SCRIPT, ...(root ? [root] : [])], { encoding: 'utf8' });
  return { status, problems: stderr.split('\n').filter(Boolean) };
}

/** Library `a` owns `thing` (with a relation to itself), `b` owns `other` (with a relation to a's Thing). */
const FIXTURE: Record<string, string> = {
  'libs/a/src/index.ts': "export * from './thing.entity.js';\nexport * from './thing.service.js';\n",
  'libs/a/src/thing.entity.ts': [
    "import { Entity, ManyToOne } from 'typeorm';",
    "@Entity({ name: 'thing' })",
    'export class Thing {',
    '  @ManyToOne(() => Thing) parent?: Thing;',
    '}',
    '',
  ].join('\n'),
  'libs/a/src/thing.service.ts': 'export class ThingService {}\n',
  'libs/a/src/a.module.ts': [
    "import { Module } from '@nestjs/common';",
    "import { ThingService } from './thing.service.js';",
    '@Module({ providers: [ThingService], exports: [ThingService] })',
    'export class AModule {}',
    '',
  ].join('\n'),
  'libs/b/src/other.entity.ts': [
    "import { Entity, ManyToOne } from 'typeorm';",
    "import { Thing } from '#libs/a';",
    "@Entity({ name: 'other' })",
    'export class Other {',
    '  @ManyToOne(() => Thing) thing?: Thing;',
    '}',
    '',
  ].join('\n'),
  'libs/b/src/other.service.ts': [
    "import { Other } from './other.entity.js';",
    'export class OtherService {',
    '  list(db: any) {',
    "    return db.getRepository(Other).createQueryBuilder('o').where('o.id = :id').getMany();",
    '  }',
    '  count(db: any) {',
    "    return db.query(`SELECT count(*) FROM other WHERE note = $1`, ['Select from thing']);",
    '  }',
    '}',
    '',
  ].join('\n'),
  'migrations/1-init.ts': 'export const up = \'CREATE TABLE "thing" (id int); CREATE TABLE other (id int)\';\n',
};

describe('check-library-ownership', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tdc-check-library-ownership-'));
    for (const [path, text] of Object.entries(FIXTURE)) write(path, text);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes on this repository (its allowed crossings listed in the script)', () => {
    expect(run()).toEqual({ status: 0, problems: [] });
  });

  it('passes a library that queries its own tables and names another table only in prose', () => {
    expect(run(root)).toEqual({ status: 0, problems: [] });
  });

  it('passes SQL on a view another library publishes, and fails on one no migration creates or its README omits', () => {
    write(
      'migrations/2-views.ts',
      "export const up = 'CREATE VIEW a_thing_v AS SELECT id FROM thing; CREATE VIEW a_quiet_v AS SELECT 1; CREATE VIEW zz_thing_v AS SELECT 1';\n",
    );
    write('libs/a/README.md', '# a\n\nPublishes `a_thing_v` (its things, for b).\n');
    write(
      'libs/b/src/reads.ts',
      [
        'export const published = `SELECT id FROM a_thing_v`;',
        'export const ghost = `SELECT id FROM a_ghost_v`;',
        'export const unlisted = `SELECT 1 FROM a_quiet_v`;',
        'export const ownerless = `SELECT 1 FROM zz_thing_v`;',
        '',
      ].join('\n'),
    );
    const { status, problems } = run(root);
    expect(status).toBe(1);
    expect(problems).toEqual([
      'libs/b/src/reads.ts:2 names the view a_ghost_v, which no migration creates',
      'libs/b/src/reads.ts:3 names the view a_quiet_v, which libs/a/README.md does not list as published',
      'libs/b/src/reads.ts:4 names the view zz_thing_v, whose prefix names no library (libs/zz)',
    ]);
  });

  it("fails on another library's class among a module's providers, directly, as useClass or spread", () => {
    write(
      'libs/b/src/b.module.ts',
      [
        "import { Module } from '@nestjs/common';",
        "import { ThingService } from '#libs/a';",
        "import { OtherService } from './other.service.js';",
        'const SHARED = [ThingService];',
        '@Module({',
        '  providers: [',
        '    OtherService,',
        '    ThingService,',
        '    { provide: "T", useClass: ThingService },',
        '    ...SHARED,',
        '  ],',
        '})',
        'export class BModule {}',
        '',
      ].join('\n'),
    );
    const { status, problems } = run(root);
    expect(status).toBe(1);
    expect(problems).toHaveLength(3);
    for (const p of problems)
      expect(p).toMatch(/^libs\/b\/src\/b\.module\.ts:\d+ libs\/b registers ThingService of libs\/a/);
  });

  it("fails on SQL naming another library's table, its entity in a query, and a join or find option along a relation into it", () => {
    write(
      'libs/b/src/reach.ts',
      [
        "import { Thing } from '#libs/a';",
        "import { Other } from './other.entity.js';",
        'export async function reach(db: any) {',
        '  await db.query(`SELECT o.id FROM other o JOIN thing t ON t.id = o.thing_id`);',
        '  await db.query("UPDATE thing SET x = 1");',
        '  await db.getRepository(Thing).findBy({});',
        "  await db.createQueryBuilder(Other, 'o').innerJoinAndSelect('o.thing', 't').leftJoin('t.parent', 'p').getMany();",
        "  await db.createQueryBuilder().select('1').from('thing', 't').getRawMany();",
        '  await db.getRepository(Other).findOne({ where: {}, relations: { thing: { parent: true } } });',
        '}',
        '',
      ].join('\n'),
    );
    const { status, problems } = run(root);
    expect(status).toBe(1);
    expect(problems.map((p) => p.replace(/:\d+ /, ' ')).sort()).toEqual(
      [
        'SQL names thing',
        'SQL names thing',
        'getRepository(Thing)',
        "innerJoinAndSelect('o.thing') → Thing",
        "leftJoin('t.parent') → Thing",
        "from('thing')",
        'relations: { thing } → Thing',
        'relations: { parent } → Thing',
      ]
        .map(
          (how) =>
            `libs/b/src/reach.ts libs/b reaches the table thing of libs/a (${how}): use that library's cross-library module`,
        )
        .sort(),
    );
    // One line per crossing: the SELECT's JOIN and the UPDATE.
    expect(problems.filter((p) => p.includes('SQL names')).map((p) => p.split(' ')[0])).toEqual([
      'libs/b/src/reach.ts:4',
      'libs/b/src/reach.ts:5',
    ]);
  });

  it('fails on a module of another library that exports a repository, directly or through a module it re-exports', () => {
    write('libs/a/src/thing.repository.ts', 'export class ThingRepository {}\n');
    write(
      'libs/a/src/a.module.ts',
      [
        "import { Module } from '@nestjs/common';",
        "import { ThingRepository } from './thing.repository.js';",
        "import { ThingService } from './thing.service.js';",
        '// Its own modules may share the repository: only libs/a imports ThingStoreModule.',
        '@Module({ providers: [ThingRepository], exports: [ThingRepository] })',
        'export class ThingStoreModule {}',
        '@Module({ imports: [ThingStoreModule], providers: [ThingService], exports: [ThingService] })',
        'export class AModule {}',
        '@Module({ imports: [ThingStoreModule], exports: [ThingStoreModule] })',
        'export class ALeakyModule {}',
        '@Module({ providers: [ThingRepository], exports: [ThingService, ThingRepository] })',
        'export class AOpenModule {}',
        '',
      ].join('\n'),
    );
    write(
      'libs/b/src/b.module.ts',
      [
        "import { Module } from '@nestjs/common';",
        "import { AModule, ALeakyModule, AOpenModule } from '#libs/a';",
        'const SHARED = [AOpenModule];',
        '@Module({ imports: [AModule, ALeakyModule.forRoot(), ...SHARED] })',
        'export class BModule {}',
        '',
      ].join('\n'),
    );
    const { status, problems } = run(root);
    expect(status).toBe(1);
    // Each at the line that names it (AOpenModule in the spread array).
    expect(problems).toEqual(
      [
        ['4', 'ALeakyModule'],
        ['3', 'AOpenModule'],
      ].map(
        ([line, m]) =>
          `libs/b/src/b.module.ts:${line} libs/b imports ${m} of libs/a, which exports ThingRepository: a library's repositories are its own; export a service instead`,
      ),
    );
  });

  it('fails on a global module other than configuration, logging and the unit of work', () => {
    write(
      'libs/a/src/globals.ts',
      [
        "import { Global, Module } from '@nestjs/common';",
        '@Global()',
        '@Module({})',
        'export class ConfigModule {}',
        '@Global()',
        '@Module({})',
        'export class DatabaseModule {}',
        '@Module({})',
        'export class QueueModule {',
        '  static forRoot() {',
        '    return { module: QueueModule, global: true };',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    write(
      'apps/api/src/app.module.ts',
      "import { Global } from '@nestjs/common';\n@Global()\nexport class AppModule {}\n",
    );
    const { status, problems } = run(root);
    expect(status).toBe(1);
    const only =
      'only ConfigModule, LoggingModule, UnitOfWorkModule may be; import the module by name where it is used';
    expect(problems).toEqual([
      `libs/a/src/globals.ts:5 DatabaseModule is global (@Global()): ${only}`,
      `libs/a/src/globals.ts:11 QueueModule is global (global: true): ${only}`,
      `apps/api/src/app.module.ts:2 AppModule is global (@Global()): ${only}`,
    ]);
  });

  it('fails on a table a migration creates that no entity declares', () => {
    write('migrations/2-more.ts', "export const up = 'CREATE TABLE orphan (id int)';\n");
    expect(run(root)).toEqual({
      status: 1,
      problems: ["migrations create the table orphan, which no library's entity declares: no library owns it"],
    });
  });
});
