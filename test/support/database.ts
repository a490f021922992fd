import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The server the tests use; each suite gets its own fresh database on it, dropped afterwards. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The application's role (libs/core APP_ROLE): the test systems connect as it, so a missing grant fails a test. */
export const TEST_APP_ROLE = 'tdc_app';

export interface TestDatabase {
  /** The server's superuser on this database: migrations, and tests that reach behind the API. */
  url: string;
  /** The same database as the application's role, which owns nothing. */
  appUrl: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

let appRoleReady: Promise<void> | undefined;

/**
 * The application role exists on the test server with LOGIN (the server trusts local connections, so
 * no password). Once per process; parallel jest workers may race to create it, which is harmless.
 */
function ensureAppRole(): Promise<void> {
  appRoleReady ??= admin(async (c) => {
    const found = await c.query<{ rolcanlogin: boolean }>('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [
      TEST_APP_ROLE,
    ]);
    try {
      if (found.rowCount === 0) await c.query(`CREATE ROLE ${TEST_APP_ROLE} LOGIN`);
      else if (!found.rows[0]!.rolcanlogin) await c.query(`ALTER ROLE ${TEST_APP_ROLE} LOGIN`);
    } catch (e) {
      // Another worker did it at the same moment (duplicate role, or "tuple concurrently updated").
      const again = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin', [TEST_APP_ROLE]);
      if (again.rowCount === 0) throw e;
    }
  });
  return appRoleReady;
}

export interface TestDatabaseOptions {
  /**
   * Start from a copy of a database with every migration applied (a server-side template), instead of
   * an empty one. Applying the migrations took ≈5 s per suite; copying the template takes ≈0.4 s.
   * Suites about migrations themselves, start-up or restore ask for an empty database (the default).
   */
  migrated?: boolean;
}

const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');
/** Any advisory-lock key of our own; serialises building the template across jest workers. */
const TEMPLATE_LOCK_KEY = 7_150_001;

/** The template's name says which migrations it holds: a changed or new migration makes a new one. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(resolve(MIGRATIONS_DIR, file)))
      .update('\0');
  }
  return `tdc_template_${hash.digest('hex').slice(0, 16)}`;
}

let templateReady: Promise<string> | undefined;

/**
 * The migrated template on the test server, built once by whichever worker comes first (the others
 * wait on the lock). It is built under a temporary name and renamed when complete, so that a run cut
 * off half-way never leaves a half-migrated template; templates of older migrations are dropped (the
 * two newest kept).
 */
function migratedTemplate(): Promise<string> {
  templateReady ??= admin(async (c) => {
    const name = templateName();
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return name;
      // Other migrations' templates, newest first (by oid): the two newest are kept, so that two
      // checkouts testing at once (a branch and main) do not drop each other's in turn; older ones and
      // half-built ones go. A concurrent run still copying one keeps it (the DROP fails).
      const stale = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'tdc\\_template\\_%' ORDER BY oid DESC OFFSET 2`,
      );
      for (const { datname } of stale.rows) {
        await c
          .query(`ALTER DATABASE ${datname} IS_TEMPLATE false`)
          .then(() => c.query(`DROP DATABASE ${datname}`))
          .catch(() => undefined);
      }
      const building = `${name}_building`;
      await c.query(`DROP DATABASE IF EXISTS ${building}`); // a run cut off while building it (we hold the lock)
      await c.query(`CREATE DATABASE ${building}`);
      const { runMigrations } = await import('#libs/core');
      const { dataSourceOptions } = await import('#libs/platform');
      await runMigrations(dataSourceOptions(serverUrl(building).toString()));
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      await c.query(`ALTER DATABASE ${name} IS_TEMPLATE true`);
      return name;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return templateReady;
}

/**
 * CREATE DATABASE … TEMPLATE. A concurrent run on the same server with other migrations (another
 * checkout) drops this run's template as stale: then it is built again, once.
 */
async function createFromTemplate(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const template = await migratedTemplate();
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '3D000' || attempt > 1) throw e;
      templateReady = undefined;
    }
  }
}

function serverUrl(database: string): URL {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `tdc_test_${uniqueSuffix()}`;
  await ensureAppRole();
  if (options.migrated) await createFromTemplate(name);
  else await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = serverUrl(name);
  const appUrl = new URL(url);
  appUrl.username = TEST_APP_ROLE;
  appUrl.password = '';
  return {
    url: url.toString(),
    appUrl: appUrl.toString(),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
