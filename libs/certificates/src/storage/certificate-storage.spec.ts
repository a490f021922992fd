import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCertificateStorage, storageKeyFor, StoredFileMissingError } from './certificate-storage.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('LocalCertificateStorage', () => {
  let dir: string;
  let storage: LocalCertificateStorage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'certificate-storage-'));
    storage = new LocalCertificateStorage(join(dir, 'certificates'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a file under its content address and reads it back', async () => {
    const bytes = Buffer.from('%PDF-1.7 signed certificate');
    const key = storageKeyFor(sha(bytes));
    expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.pdf$/);
    await storage.put(key, bytes);
    expect(await storage.get(key)).toEqual(bytes);
    // Again: a no-op, and no temporary file is left behind.
    await storage.put(key, bytes);
    expect(readdirSync(join(dir, 'certificates', key.slice(0, 2)))).toEqual([key.slice(3)]);
  });

  it('says when a file is missing', async () => {
    await expect(storage.get(storageKeyFor('0'.repeat(64)))).rejects.toBeInstanceOf(StoredFileMissingError);
  });

  it('refuses keys that are not content addresses (no path traversal)', async () => {
    for (const key of ['../x.pdf', 'ab/../../etc/passwd', '/etc/passwd', 'ab/cd.pdf']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    }
    expect(() => storageKeyFor('not a digest')).toThrow();
  });
});
