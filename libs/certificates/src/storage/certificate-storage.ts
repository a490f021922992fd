import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where signed certificate files live. Keys are content addresses (the file's SHA-256), so a file
 * is never overwritten by a different one: a retried issue that rendered new bytes gets a new key,
 * and what a committed certificate row points at never changes.
 */
export interface CertificateStorage {
  /** Stores the bytes under the key, durably, before it returns; storing the same key again is a no-op. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The stored bytes; throws StoredFileMissingError when there are none. */
  get(key: string): Promise<Buffer>;
  /** Human-readable location for start-up logs. */
  describe(): string;
  /**
   * Every stored file (and every partly written one a crash left behind), with when it was last
   * written or re-put: what the orphan sweep looks at.
   */
  list(): AsyncIterable<StoredFile>;
  /** Removes a stored file (or a partial one); removing one that is gone is a no-op. */
  remove(key: string): Promise<void>;
}

export interface StoredFile {
  key: string;
  /** A temporary file of a write that never finished: no row can point at it. */
  partial: boolean;
  modifiedAt: Date;
}

export const CERTIFICATE_STORAGE = Symbol('CERTIFICATE_STORAGE');

export class StoredFileMissingError extends Error {
  constructor(readonly key: string) {
    super(`stored certificate file ${key} is missing`);
    this.name = 'StoredFileMissingError';
  }
}

/** `ab/abcdef….pdf`: 256 folders keep directories small. */
export function storageKeyFor(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return `${sha256.slice(0, 2)}/${sha256}.pdf`;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}\.pdf$/;
const PARTIAL = /^[0-9a-f]{2}\/\.[0-9a-f-]{36}\.tmp$/;

/**
 * A local directory (default DATA_DIR/certificates; CERTIFICATE_STORAGE_DIR). Each file is written
 * under a temporary name, fsynced, renamed into place and its directory fsynced: a crash leaves
 * either no file or the whole file, never half of one under the final name.
 */
export class LocalCertificateStorage implements CertificateStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(): string {
    return `certificate files in ${this.root}`;
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
    const full = join(this.root, key);
    if (!full.startsWith(this.root + sep)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
    return full;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key);
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isFile() && existing.size === bytes.length) {
      // Same key, same bytes: kept, but marked as just written, so the orphan sweep's grace period
      // starts again for an issue that re-puts a file whose earlier row was rolled back.
      const now = new Date();
      await utimes(target, now, now);
      return;
    }
    const folder = dirname(target);
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.${randomUUID()}.tmp`);
    try {
      const file = await open(temporary, 'wx', 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, target);
    } catch (e) {
      await rm(temporary, { force: true });
      throw e;
    }
    await syncDirectory(folder);
  }

  async *list(): AsyncIterable<StoredFile> {
    const folders = await readdir(this.root, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    for (const folder of folders.filter((f) => f.isDirectory() && /^[0-9a-f]{2}$/.test(f.name)).map((f) => f.name)) {
      for (const name of await readdir(join(this.root, folder))) {
        const key = `${folder}/${name}`;
        const partial = PARTIAL.test(key);
        if (!partial && !KEY.test(key)) continue;
        const info = await stat(join(this.root, key)).catch(() => undefined);
        if (info?.isFile()) yield { key, partial, modifiedAt: info.mtime };
      }
    }
  }

  async remove(key: string): Promise<void> {
    if (!KEY.test(key) && !PARTIAL.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
    await rm(join(this.root, key), { force: true });
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StoredFileMissingError(key);
      throw e;
    }
  }
}

/** Makes a rename durable; some file systems refuse to open a directory for fsync, which is then skipped. */
async function syncDirectory(path: string): Promise<void> {
  let dir;
  try {
    dir = await open(path, 'r');
    await dir.sync();
  } catch {
    // best effort
  } finally {
    await dir?.close();
  }
}
