// npm run backup [-- --output <file.tar.gz>]
// One consistent archive of this installation: the database (DATABASE_URL, or the embedded one under
// DATA_DIR, running or not), the stored certificate files and the generated secrets, with a manifest
// of SHA-256 digests. The archive holds secrets: it is written with mode 0600; keep it as such.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '#libs/core';
import { installationFolders, openInstallationDatabase, writeBackup } from '#libs/platform';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { output: { type: 'string', short: 'o' } }, strict: true });
  const env = loadEnv(process.env);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
  const output = resolve(values.output ?? `tdc-lims-backup-${stamp}.tar.gz`);
  const database = await openInstallationDatabase(env, (line) => console.error(line));
  try {
    const manifest = await writeBackup(
      { databaseUrl: database.migrationUrl, folders: installationFolders(env) },
      output,
    );
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    const files = manifest.files.filter((f) => f.path.startsWith('files/')).length;
    console.log(`backup written to ${output}: ${manifest.tables.length} tables, ${rows} rows, ${files} files`);
  } finally {
    await database.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`backup: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
