// Stored certificate files no row points at (an issue rolled back after writing its file, a write a
// crash cut short) are removed by the worker's sweep once they are older than the grace period.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { StoredFileSweeper } from '#libs/certificates';
import { approvedVerification, certificateWorld, issueState } from './support/certificates.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const DAY = 24 * 3600 * 1000;

describe('the stored-file sweep', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ worker: true, env: { STORED_FILE_GRACE_MS: String(DAY) } });
  });
  afterAll(() => sys?.close());

  function storedFile(root: string, ageMs: number, partial = false): string {
    const digest = randomBytes(32).toString('hex');
    const key = partial ? `${digest.slice(0, 2)}/.${randomUUID()}.tmp` : `${digest.slice(0, 2)}/${digest}.pdf`;
    mkdirSync(join(root, digest.slice(0, 2)), { recursive: true });
    writeFileSync(join(root, key), '%PDF-1.7 never committed');
    const when = new Date(Date.now() - ageMs);
    utimesSync(join(root, key), when, when);
    return key;
  }

  it('removes old orphans and partial files, keeps young ones and every file a certificate points at', async () => {
    const w = await certificateWorld(sys);
    const approved = await approvedVerification(w);
    const issued = await issueState(w, approved.revisionId);
    expect(issued.status).toBe('issued');
    const root = join(sys.env.DATA_DIR, 'certificates');
    const [kept]: { storage_key: string }[] = await sys.app
      .get(DataSource)
      .query('SELECT storage_key FROM certificate');
    // The certificate's own file, made old: still referenced, so never removed.
    const old = new Date(Date.now() - 10 * DAY);
    utimesSync(join(root, kept!.storage_key), old, old);
    const oldOrphan = storedFile(root, 2 * DAY);
    const oldPartial = storedFile(root, 2 * DAY, true);
    const youngOrphan = storedFile(root, 60 * 1000);

    const report = await sys.worker!.get(StoredFileSweeper).sweep();

    expect(report.removed.sort()).toEqual([oldOrphan, oldPartial].sort());
    expect(existsSync(join(root, oldOrphan))).toBe(false);
    expect(existsSync(join(root, oldPartial))).toBe(false);
    expect(existsSync(join(root, youngOrphan))).toBe(true);
    expect(existsSync(join(root, kept!.storage_key))).toBe(true);
    // The certificate still downloads.
    const pdf = await sys.http().get(`/public/certificates/${encodeURIComponent(issued.certificate!.number)}`);
    expect(pdf.status).toBe(200);
  }, 120000);
});
