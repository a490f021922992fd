// Process-level tests of the compiled entrypoints (dist/, built by `npm test`'s pretest): what an
// operator, systemd or a container runtime sees — exit codes, stderr, readiness, SIGTERM.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/database.js';
import {
  freePort,
  processesMentioning,
  startEntrypoint,
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
    const exit = await within(proc.exited, 5000, 'exit on a bad PORT');
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

  it('api --with-worker logs no warning at start-up: its API and worker share one data source', async () => {
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
      // A new DATA_DIR gets a development signing identity, and says so.
      .filter((entry) => !/self-signed development signing identity/.test(entry.msg))
      .map((entry) => `${entry.context ?? ''}: ${entry.msg}`);
    expect(warnings).toEqual([]);
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

  async function start(): Promise<{ proc: RunningProcess; port: number; dbPort: number }> {
    const port = await freePort();
    const proc = startEntrypoint(
      'api',
      { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
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

  async function query<T extends pg.QueryResultRow>(dbPort: number, sql: string, params: unknown[] = []): Promise<T[]> {
    // The embedded cluster's fixed local credentials (libs/core/src/database/embedded-postgres.ts).
    const client = new pg.Client({
      host: '127.0.0.1',
      port: dbPort,
      user: 'tdc',
      password: 'embedded',
      database: 'tdc_lims',
    });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
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
    await stop(second.proc);
  });
});
