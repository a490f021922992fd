import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import pg from 'pg';

/**
 * The role the application's privileges are granted to (migration 1795452000000): SELECT/INSERT/
 * UPDATE/DELETE on ordinary tables, INSERT/SELECT only on append-only ones, USAGE on sequences,
 * nothing owned. The application logs in as this role, or as a role that is a member of it.
 */
export const APP_ROLE = 'tdc_app';

/** Role attributes that let a role bypass table privileges or triggers: the application role has none. */
const NO_PRIVILEGED_ATTRIBUTES = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

/** A random password made of URL-safe characters, so that it can sit in a connection URL as is. */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads a generated secret from `file`, creating it (mode 0600, directory 0700) at first use. */
export async function readOrCreateSecret(file: string, create: () => string = generatePassword): Promise<string> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, create() + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await chmod(file, 0o600);
  const value = (await readFile(file, 'utf8')).trim();
  if (!value) throw new Error(`${file} is empty: delete it to have a new secret generated`);
  return value;
}

/**
 * Creates `role` (LOGIN, none of the attributes that bypass privileges) or brings an existing one to
 * those attributes and `password`. Needs a superuser or CREATEROLE connection.
 */
export async function ensureLoginRole(client: pg.Client, role: string, password: string): Promise<void> {
  const name = client.escapeIdentifier(role);
  const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = found.rowCount === 0 ? 'CREATE' : 'ALTER';
  await client.query(
    `${verb} ROLE ${name} WITH LOGIN ${NO_PRIVILEGED_ATTRIBUTES} PASSWORD ${client.escapeLiteral(password)}`,
  );
}

/**
 * What makes the application's connection able to rewrite history, as one line each: superuser,
 * BYPASSRLS or REPLICATION, owning a table (an owner may DISABLE TRIGGER), or lacking the
 * application role's grants. Empty when the connection is as unprivileged as it should be.
 */
export async function appRoleProblems(appUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      role: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolreplication: boolean;
      owned: string | null;
      member: boolean;
    }>(
      `SELECT r.rolname AS role, r.rolsuper, r.rolbypassrls, r.rolreplication,
              (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE pg_has_role(r.oid, c.relowner, 'USAGE') AND c.relkind IN ('r', 'p')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_temp%'
                  AND n.nspname NOT LIKE 'pg_toast%') AS owned,
              EXISTS (SELECT 1 FROM pg_roles a WHERE a.rolname = $1 AND pg_has_role(r.oid, a.oid, 'USAGE')) AS member
         FROM pg_roles r WHERE r.rolname = current_user`,
      [APP_ROLE],
    );
    const r = rows[0]!;
    const problems: string[] = [];
    if (r.rolsuper) problems.push(`role ${r.role} is a superuser`);
    if (r.rolbypassrls) problems.push(`role ${r.role} has BYPASSRLS`);
    if (r.rolreplication) problems.push(`role ${r.role} has REPLICATION`);
    if (r.owned) problems.push(`role ${r.role} owns tables (${r.owned}) and could disable their triggers`);
    if (!r.member) problems.push(`role ${r.role} is not ${APP_ROLE} nor a member of it, so it lacks the grants`);
    return problems;
  } finally {
    await client.end();
  }
}
