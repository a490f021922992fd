import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DATABASE_FOLDER, type BackupManifest } from './manifest.js';
import { loadOrder } from './load-order.js';

/** Rebuilt by the migration runner on restore, never copied. */
const MIGRATIONS_TABLE = 'typeorm_migrations';

type DatabasePart = Pick<BackupManifest, 'migrations' | 'tables' | 'sequences'>;
type TableEntry = BackupManifest['tables'][number];

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'tdc-lims-backup' });
  await client.connect();
  return client;
}

async function userTables(client: pg.Client): Promise<Map<string, string[]>> {
  // Generated columns are left out: COPY cannot write them and they are recomputed on load.
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
        AND c.table_name <> $1
      ORDER BY c.table_name, c.ordinal_position`,
    [MIGRATIONS_TABLE],
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  return tables;
}

function copyTarget(client: pg.Client, table: string, columns: string[]): string {
  return `${client.escapeIdentifier(table)} (${columns.map((c) => client.escapeIdentifier(c)).join(', ')})`;
}

/**
 * Writes every table of the application's schema (text COPY, one file per table) and the sequence
 * positions, all read in ONE repeatable-read snapshot: the archive is the database as it was at one
 * instant, while the system keeps running. COPY is version-independent, which is why this and not
 * pg_dump (see the library README).
 */
export async function dumpDatabase(url: string, folder: string): Promise<DatabasePart> {
  const client = await connect(url);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (
      await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)
    ).rows.map((r) => r.name);
    await mkdir(join(folder, DATABASE_FOLDER), { recursive: true });
    const tables: TableEntry[] = [];
    for (const [name, columns] of await userTables(client)) {
      const file = `${DATABASE_FOLDER}/${name}.tsv`;
      const stream = client.query(copyTo(`COPY ${copyTarget(client, name, columns)} TO STDOUT`));
      await pipeline(stream, createWriteStream(join(folder, file), { mode: 0o600 }));
      tables.push({ name, rows: stream.rowCount, file, columns });
    }
    const sequences = (
      await client.query<{ name: string; last_value: string | null }>(
        `SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`,
      )
    ).rows
      .filter((s) => s.last_value !== null)
      .map((s) => ({ name: s.name, lastValue: s.last_value!, isCalled: true }));
    await client.query('COMMIT');
    return { migrations, tables, sequences };
  } finally {
    await client.end();
  }
}

/** Refuses a database that already holds any application table: restore never merges. */
export async function assertEmptyDatabase(url: string): Promise<void> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    if (rows[0]!.n !== '0') {
      throw new Error(`the target database is not empty (${rows[0]!.n} tables): restore only into an empty database`);
    }
  } finally {
    await client.end();
  }
}

async function foreignKeys(client: pg.Client): Promise<{ child: string; parent: string }[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint c
       JOIN pg_class ch ON ch.oid = c.conrelid
       JOIN pg_class pa ON pa.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  return rows;
}

/**
 * Loads the archived rows into a database whose schema was just migrated to the archive's version,
 * in one transaction: all or nothing. Tables are loaded parents first, so every foreign key is
 * checked; the tables' own triggers (append-only guards, audit hashing) are switched off for the
 * load only, because the rows are restored as they were, not written anew. Needs the owner role.
 */
export async function loadDatabase(
  url: string,
  folder: string,
  tables: readonly TableEntry[],
  sequences: BackupManifest['sequences'],
): Promise<void> {
  const client = await connect(url);
  try {
    await client.query('BEGIN');
    const present = await userTables(client);
    for (const t of tables) {
      const columns = present.get(t.name);
      if (!columns) throw new Error(`the archive holds table ${t.name}, which its schema version does not have`);
      const missing = t.columns.filter((c) => !columns.includes(c));
      if (missing.length) throw new Error(`table ${t.name}: the archive's columns ${missing.join(', ')} do not exist`);
    }
    const byName = new Map(tables.map((t) => [t.name, t]));
    const order = loadOrder([...byName.keys()], await foreignKeys(client));
    const quoted = order.map((t) => client.escapeIdentifier(t));
    for (const q of quoted) await client.query(`ALTER TABLE ${q} DISABLE TRIGGER USER`);
    // Migrations may have seeded rows; the archive's rows replace them.
    if (quoted.length) await client.query(`TRUNCATE ${quoted.join(', ')}`);
    for (const name of order) {
      const t = byName.get(name)!;
      const stream = client.query(copyFrom(`COPY ${copyTarget(client, name, t.columns)} FROM STDIN`));
      await pipeline(createReadStream(join(folder, t.file)), stream);
      if (stream.rowCount !== t.rows)
        throw new Error(`table ${name}: loaded ${stream.rowCount} rows, the manifest says ${t.rows}`);
    }
    for (const q of quoted) await client.query(`ALTER TABLE ${q} ENABLE TRIGGER USER`);
    for (const s of sequences) {
      await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
        client.escapeIdentifier(s.name),
        s.lastValue,
        s.isCalled,
      ]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}
