import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as tar from 'tar';
import { assertEmptyDatabase, dumpDatabase, loadDatabase } from './database-archive.js';
import {
  CLUSTER_CREDENTIAL,
  DATABASE_FOLDER,
  FILE_FOLDERS,
  isManifest,
  MANIFEST_FILE,
  type BackupManifest,
  type FileFolder,
} from './manifest.js';

/** Where the database is and where each carried folder lives on this installation. */
export interface BackupLocation {
  databaseUrl: string;
  folders: Record<FileFolder, string>;
}

/** Rebuilds the schema at exactly the archive's migrations, then (after the load) the rest. */
export interface SchemaMigrator {
  /** The migration names this code knows. */
  known(): string[];
  run(databaseUrl: string, only?: ReadonlySet<string>): Promise<void>;
  /** Takes a database this restore migrated back to empty, so that a failed restore can be retried. */
  revertAll(databaseUrl: string): Promise<void>;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * A partly written file (the storage's `.<uuid>.tmp`) is not part of any record, and the embedded
 * cluster's credentials are not carried (CLUSTER_CREDENTIAL).
 */
const carried = (source: string): boolean =>
  !/\/\.[^/]+\.tmp$/.test(source) && !CLUSTER_CREDENTIAL.test(basename(source));

/**
 * `npm run backup`: one archive (tar.gz, mode 0600: it holds the generated secrets) with the
 * database at one instant, the stored certificate files and the generated secrets, and a manifest
 * giving each file's SHA-256. The database is read first: every certificate file a row of that
 * snapshot points to was written before its row committed, so it is on disk when the files are
 * copied. A file written after the snapshot is carried too, harmlessly (no row points to it).
 */
export async function writeBackup(from: BackupLocation, archivePath: string): Promise<BackupManifest> {
  const staging = await mkdtemp(join(tmpdir(), 'tdc-backup-'));
  try {
    const database = await dumpDatabase(from.databaseUrl, staging);
    for (const name of FILE_FOLDERS) {
      const source = from.folders[name];
      if (existsSync(source)) await cp(source, join(staging, 'files', name), { recursive: true, filter: carried });
    }
    const files = [];
    for (const path of await listFiles(staging)) {
      files.push({ path, sha256: await sha256(join(staging, path)), bytes: (await stat(join(staging, path))).size });
    }
    const manifest: BackupManifest = {
      format: 'tdc-lims-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      ...database,
      files,
    };
    await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    await mkdir(dirname(archivePath), { recursive: true });
    const partial = `${archivePath}.partial`;
    await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, [
      MANIFEST_FILE,
      ...files.map((f) => f.path),
    ]);
    await chmod(partial, 0o600);
    await rename(partial, archivePath);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Unpacks an archive and checks it against its manifest: nothing missing, nothing extra, every hash. */
export async function openBackup(archivePath: string, into: string): Promise<BackupManifest> {
  await tar.extract({ file: archivePath, cwd: into, strict: true });
  const manifest: unknown = JSON.parse(await readFile(join(into, MANIFEST_FILE), 'utf8'));
  if (!isManifest(manifest)) throw new Error(`${archivePath} is not a TĐC LIMS backup (no valid ${MANIFEST_FILE})`);
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = (await listFiles(into)).filter((p) => p !== MANIFEST_FILE && !listed.has(p));
  if (extra.length) throw new Error(`the archive holds files its manifest does not list: ${extra.join(', ')}`);
  for (const f of manifest.files) {
    const path = join(into, f.path);
    if (!existsSync(path)) throw new Error(`the archive lacks ${f.path}, which its manifest lists`);
    if ((await sha256(path)) !== f.sha256) throw new Error(`${f.path} does not match its SHA-256 in the manifest`);
  }
  for (const t of manifest.tables) {
    if (!listed.has(t.file) || !t.file.startsWith(`${DATABASE_FOLDER}/`))
      throw new Error(`table ${t.name}: no data file`);
  }
  return manifest;
}

/** Empty, or holding only the credentials of the embedded cluster this restore just created. */
async function assertEmptyFolder(path: string): Promise<void> {
  if (existsSync(path) && (await readdir(path)).some((name) => !CLUSTER_CREDENTIAL.test(name))) {
    throw new Error(`${path} is not empty: restore only into an empty DATA_DIR / storage folder`);
  }
}

/**
 * `npm run restore`: into an empty database and empty folders only, never merging. The schema is
 * migrated to the archive's version, the rows loaded in one transaction, then the newer
 * migrations of this code run on top, as at any upgrade; then the files are copied. On failure,
 * the files this restore wrote are removed again.
 */
export async function restoreBackup(
  archivePath: string,
  to: BackupLocation,
  migrator: SchemaMigrator,
): Promise<BackupManifest> {
  const staging = await mkdtemp(join(tmpdir(), 'tdc-restore-'));
  try {
    const manifest = await openBackup(archivePath, staging);
    const known = new Set(migrator.known());
    const unknown = manifest.migrations.filter((m) => !known.has(m));
    if (unknown.length)
      throw new Error(`the archive was made by a newer version (migrations unknown here: ${unknown.join(', ')})`);
    for (const name of FILE_FOLDERS) await assertEmptyFolder(to.folders[name]);
    await assertEmptyDatabase(to.databaseUrl);
    try {
      await migrator.run(to.databaseUrl, new Set(manifest.migrations));
      await loadDatabase(to.databaseUrl, staging, manifest.tables, manifest.sequences);
      await migrator.run(to.databaseUrl);
      await restoreFolders(staging, to.folders);
    } catch (e) {
      await migrator.revertAll(to.databaseUrl);
      throw e;
    }
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function restoreFolders(staging: string, folders: Record<FileFolder, string>): Promise<void> {
  const written: string[] = [];
  try {
    for (const name of FILE_FOLDERS) {
      const source = join(staging, 'files', name);
      if (!existsSync(source)) continue;
      written.push(...(await listFiles(source)).map((file) => join(folders[name], file)));
      await cp(source, folders[name], { recursive: true, errorOnExist: true, force: false });
      if (name !== 'certificates') await restrictToOwner(folders[name]);
    }
  } catch (e) {
    for (const path of written) await rm(path, { force: true });
    throw e;
  }
}

/** Secrets and the signing identity are readable by their owner only, as when they were generated. */
async function restrictToOwner(folder: string): Promise<void> {
  await chmod(folder, 0o700);
  for (const file of await listFiles(folder)) await chmod(join(folder, file), 0o600);
}
