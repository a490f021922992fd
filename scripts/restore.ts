// npm run restore -- <archive.tar.gz>
// Restores a backup into an EMPTY installation: the database of DATABASE_URL (no tables yet), or,
// without it, a new embedded database under an empty DATA_DIR; and the certificate and secret folders
// (which must be empty). Every file is checked against the manifest's SHA-256 before anything is written.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '#libs/core';
import { installationFolders, openInstallationDatabase, restoreBackup, schemaMigrator } from '#libs/platform';

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new Error('usage: npm run restore -- <archive.tar.gz>');
  const archive = resolve(positionals[0]!);
  const env = loadEnv(process.env);
  const database = await openInstallationDatabase(env, (line) => console.error(line));
  try {
    const manifest = await restoreBackup(
      archive,
      { databaseUrl: database.migrationUrl, folders: installationFolders(env) },
      schemaMigrator,
    );
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`restored ${archive} (made ${manifest.createdAt}): ${manifest.tables.length} tables, ${rows} rows`);
  } finally {
    await database.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`restore: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
