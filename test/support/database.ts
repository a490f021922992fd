import { randomBytes } from 'node:crypto';
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

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tdc_test_${uniqueSuffix()}`;
  await ensureAppRole();
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
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
