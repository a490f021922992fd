// Backup and restore as an operator runs them: the compiled commands (dist/, built by `npm test`'s
// pretest) against a running system, then a restored installation started from the archive alone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { runningEmbeddedPostgres } from '#libs/core';
import { approvedVerification, certificateWorld, issueState, type CertificateWorld } from './support/certificates.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import {
  freePort,
  processesMentioning,
  ROOT,
  startEntrypoint,
  startScript,
  stopAll,
  waitForOutput,
  waitUntilReady,
  within,
} from './support/processes.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const BACKUP = resolve(ROOT, 'dist/scripts/backup.js');
const RESTORE = resolve(ROOT, 'dist/scripts/restore.js');

async function run(
  script: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = startScript(script, { LOG_LEVEL: 'silent', ...env }, args);
  const exit = await within(proc.exited, 90000, `${script} ${args.join(' ')}`);
  return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
}

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** An empty DATA_DIR that the embedded PostgreSQL (run as "postgres" when we are root) may enter. */
function emptyDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tdc-restore-'));
  chmodSync(dir, 0o755);
  return dir;
}

describe('backup and restore', () => {
  let sys: TestSystem;
  let w: CertificateWorld;
  let work: string;
  let archive: string;
  const numbers: string[] = [];
  const lookups = new Map<string, unknown>();
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    sys = await startTestSystem({ worker: true });
    w = await certificateWorld(sys);
    for (const pass of [true, false]) {
      const approved = await approvedVerification(w, { pass });
      const state = await issueState(w, approved.revisionId);
      expect(state.status).toBe('issued');
      numbers.push(state.certificate!.number);
    }
    for (const n of numbers)
      lookups.set(n, (await sys.http().get(`/public/certificates/${encodeURIComponent(n)}`)).body);
    work = mkdtempSync(join(tmpdir(), 'tdc-backup-test-'));
    archive = join(work, 'centre.tar.gz');
    const made = await run(
      BACKUP,
      { DATABASE_URL: sys.db.appUrl, MIGRATION_DATABASE_URL: sys.db.url, DATA_DIR: sys.env.DATA_DIR },
      ['--output', archive],
    );
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(/backup written to .*centre\.tar\.gz: \d+ tables, \d+ rows, \d+ files/);
  }, 180000);

  afterAll(async () => {
    await stopAll();
    for (const c of cleanup.reverse()) await c();
    await sys?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes one archive, readable by the owner only, whose manifest lists every file with its SHA-256', () => {
    expect(readFileSync(archive).length).toBeGreaterThan(0);
    const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(listing).toContain('manifest.json');
    expect(listing).toContain('database/certificate.tsv');
    expect(listing.some((p) => /^files\/certificates\/[0-9a-f]{2}\/[0-9a-f]{64}\.pdf$/.test(p))).toBe(true);
    expect(listing.some((p) => p.startsWith('files/secrets/'))).toBe(true);
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', archive, 'manifest.json'], { encoding: 'utf8' }).stdout);
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(
      listing.filter((p) => p !== 'manifest.json').sort(),
    );
    expect(manifest.tables.find((t: { name: string }) => t.name === 'certificate').rows).toBe(2);
    expect(manifest.tables.map((t: { name: string }) => t.name)).not.toContain('typeorm_migrations');
    expect(statSync(archive).mode & 0o777).toBe(0o600);
  });

  it('restores into an empty embedded DATA_DIR; the restored system answers the public lookups as before', async () => {
    const dataDir = emptyDataDir();
    cleanup.push(() => {
      for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    const restored = await run(RESTORE, { DATA_DIR: dataDir }, [archive]);
    expect(restored.stderr).not.toMatch(/^restore:/m);
    expect(restored).toMatchObject({ code: 0 });
    expect(restored.stdout).toMatch(/^restored .*centre\.tar\.gz/);

    const port = await freePort();
    const api = startEntrypoint(
      'api',
      { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      ['--with-worker'],
    );
    await waitForOutput(api, /embedded PostgreSQL listening on 127\.0\.0\.1:\d+/);
    await waitUntilReady(api, port, 60000);
    for (const n of numbers) {
      const res = await fetch(`http://127.0.0.1:${port}/public/certificates/${encodeURIComponent(n)}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(lookups.get(n));
    }
    const url = (await runningEmbeddedPostgres(dataDir))!.migrationUrl;
    const stored = await rows<{ number: string; sha256: string; storage_key: string }>(
      url,
      'SELECT number, sha256, storage_key FROM certificate',
    );
    expect(stored.map((c) => c.number).sort()).toEqual([...numbers].sort());
    for (const c of stored) expect(sha256(join(dataDir, 'certificates', c.storage_key))).toBe(c.sha256);
    // The generated secrets came back, readable by their owner only: tokens and signatures stay valid.
    expect(statSync(join(dataDir, 'secrets', 'jwt-secret')).mode & 0o777).toBe(0o600);
    // The audit trail came back as it was: its hash chain verifies link by link.
    const chain = await fetch(`http://127.0.0.1:${port}/audit/verify`, {
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expect(chain.status).toBe(200);
    expect(await chain.json()).toMatchObject({ valid: true, firstBroken: null });
    expect(await rows(url, 'SELECT count(*)::int AS n FROM audit_event')).toEqual(
      await rows(sys.db.url, 'SELECT count(*)::int AS n FROM audit_event'),
    );
    api.child.kill('SIGTERM');
    await within(api.exited, 20000, 'restored api stops');
  }, 180000);

  describe('into DATABASE_URL', () => {
    let target: TestDatabase;
    let dataDir: string;
    beforeEach(async () => {
      target = await createTestDatabase();
      dataDir = emptyDataDir();
    });
    afterEach(async () => {
      await target.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('restores every row of every table into an empty database', async () => {
      const restored = await run(
        RESTORE,
        { DATABASE_URL: target.appUrl, MIGRATION_DATABASE_URL: target.url, DATA_DIR: dataDir },
        [archive],
      );
      expect(restored).toMatchObject({ code: 0, stderr: '' });
      const count = (url: string) =>
        rows<{ n: string }>(
          url,
          'SELECT (SELECT count(*) FROM certificate) + (SELECT count(*) FROM audit_event) + (SELECT count(*) FROM calibration_result_point) AS n',
        );
      expect(await count(target.url)).toEqual(await count(sys.db.url));
      const migrations = (url: string) => rows(url, 'SELECT name FROM typeorm_migrations ORDER BY name');
      expect(await migrations(target.url)).toEqual(await migrations(sys.db.url));
    }, 120000);

    it('refuses a database that already holds the application, and writes nothing', async () => {
      const refused = await run(
        RESTORE,
        { DATABASE_URL: sys.db.appUrl, MIGRATION_DATABASE_URL: sys.db.url, DATA_DIR: dataDir },
        [archive],
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/^restore: the target database is not empty/m);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
    }, 60000);

    it('refuses an archive whose contents do not match its manifest, and leaves the database empty', async () => {
      const unpacked = join(work, 'tampered');
      rmSync(unpacked, { recursive: true, force: true });
      mkdirSync(unpacked);
      expect(spawnSync('tar', ['-xzf', archive, '-C', unpacked]).status).toBe(0);
      const file = join(unpacked, 'database', 'certificate.tsv');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\d{4}-\d{2}-\d{2}/, '2001-01-01'));
      const tampered = join(work, 'tampered.tar.gz');
      expect(spawnSync('tar', ['-czf', tampered, '-C', unpacked, '.']).status).toBe(0);
      const refused = await run(
        RESTORE,
        { DATABASE_URL: target.appUrl, MIGRATION_DATABASE_URL: target.url, DATA_DIR: dataDir },
        [tampered],
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /^restore: database\/certificate\.tsv does not match its SHA-256 in the manifest/m,
      );
      expect(await rows(target.url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
    }, 60000);
  });
});
