// A worker killed (SIGKILL) in the middle of a batch of certificate issues, then another started:
// every approved revision ends with exactly one certificate, numbers and stamp serials stay gapless,
// every stored file matches its recorded hash.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import {
  CERTIFICATE_STORAGE,
  missingSequences,
  type CertificateDraft,
  type CertificateStorage,
} from '#libs/certificates';
import { sha256 } from '#libs/documents';
import { addDays, todayInVietnam } from '#libs/registry';
import {
  calibrationDraft,
  certificateSourceModule,
  draft,
  requestIssue,
  TestCertificateSource,
} from './support/certificates.js';
import { ROOT, startScript, stopAll, waitForOutput, type RunningProcess } from './support/processes.js';
import { registry } from './support/registry.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

const BATCH = 36;

describe('certificate issue survives a worker killed mid-batch', () => {
  const source = new TestCertificateSource();
  let sys: TestSystem;
  let draftsFile: string;

  beforeAll(async () => {
    // The API only: the workers are separate processes started below.
    sys = await startTestSystem({ imports: [certificateSourceModule(source)] });
    draftsFile = join(sys.env.DATA_DIR, 'drafts.json');
  });
  afterAll(async () => {
    await stopAll();
    await sys?.close();
  });

  function worker(): RunningProcess {
    return startScript(resolve(ROOT, 'test/support/certificate-worker.mjs'), {
      DATABASE_URL: sys.db.url,
      REDIS_URL: sys.env.REDIS_URL!,
      DATA_DIR: sys.env.DATA_DIR,
      RUN_MIGRATIONS: 'false',
      WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'warn',
      TEST_QUEUE_PREFIX: String(sys.runtime.backend.options.prefix),
      CERTIFICATE_TEST_DRAFTS: draftsFile,
    });
  }

  const count = async (): Promise<number> =>
    Number((await sys.app.get(DataSource).query(`SELECT count(*)::int AS n FROM certificate`))[0].n);

  it('issues every certificate exactly once, gapless, after a SIGKILL', async () => {
    const r = registry(sys);
    const type = await r.type();
    const measured = addDays(todayInVietnam(), -2);
    const drafts: CertificateDraft[] = [];
    for (let i = 0; i < BATCH; i++) {
      const org = await r.organization();
      const instrument = await r.instrument(org.id, type.id);
      const input = { organizationId: org.id, instrumentId: instrument.id, measurementDate: measured };
      drafts.push(source.add(i % 3 === 2 ? calibrationDraft(input) : draft(input)));
    }
    writeFileSync(draftsFile, JSON.stringify(Object.fromEntries(drafts.map((d) => [d.resultRevisionId, d]))));

    const first = worker();
    await waitForOutput(first, /worker started/);
    for (const d of drafts) await requestIssue(sys, d.resultRevisionId);

    // Kill it while it is issuing: some certificates committed, others in flight or still queued.
    const atKill = await eventually(
      async () => {
        const n = await count();
        return n >= 3 ? n : undefined;
      },
      60000,
      10,
    );
    process.kill(-first.child.pid!, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(atKill).toBeLessThan(BATCH);

    // Another worker takes over (jobs the dead one held come back once their locks expire).
    const second = worker();
    await waitForOutput(second, /worker started/);
    await eventually(async () => ((await count()) === BATCH ? true : undefined), 120000, 250);

    const db = sys.app.get(DataSource);
    const perRevision: { result_revision_id: string; n: number }[] = await db.query(
      `SELECT result_revision_id, count(*)::int AS n FROM certificate GROUP BY result_revision_id`,
    );
    expect(perRevision).toHaveLength(BATCH);
    expect(perRevision.every((r) => r.n === 1)).toBe(true);
    expect(new Set(perRevision.map((r) => r.result_revision_id))).toEqual(
      new Set(drafts.map((d) => d.resultRevisionId)),
    );

    const rows: { kind: string; year: number; sequence: number; sha256: string; storage_key: string }[] =
      await db.query(`SELECT kind, year, sequence, sha256, storage_key FROM certificate`);
    const series: { kind: string; year: number; last: number }[] = await db.query(
      `SELECT kind, year, last FROM certificate_series`,
    );
    const stamps: { sequence: number }[] = await db.query(`SELECT sequence FROM verification_stamp`);
    for (const kind of ['verification', 'calibration']) {
      const sequences = rows.filter((x) => x.kind === kind).map((x) => x.sequence);
      // No gap, and no number taken by the killed worker's open transactions was lost.
      expect({ kind, missing: missingSequences(sequences) }).toEqual({ kind, missing: [] });
      expect(series.find((s) => s.kind === kind)?.last).toBe(sequences.length);
    }
    expect(missingSequences(stamps.map((s) => s.sequence))).toEqual([]);
    expect(stamps).toHaveLength(rows.filter((x) => x.kind === 'verification').length);
    expect(series.find((s) => s.kind === 'stamp')?.last).toBe(stamps.length);

    const storage = sys.app.get<CertificateStorage>(CERTIFICATE_STORAGE);
    for (const row of rows) expect(sha256(await storage.get(row.storage_key))).toBe(row.sha256);
  }, 240000);
});
