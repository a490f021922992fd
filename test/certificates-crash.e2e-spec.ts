// A worker killed (SIGKILL) in the middle of a batch of certificate issues, then another started:
// every approved revision ends with exactly one certificate, numbers and stamp serials stay gapless,
// every stored file matches its recorded hash and prints its own number and stamp serial, every
// request item and instrument names its number.
import { DataSource } from 'typeorm';
import { missingSequences } from '#libs/certificates';
import {
  approvedVerification,
  certificateWorld,
  expectFilesPrintTheirNumbers,
  startCertificateWorker,
  type Approved,
} from './support/certificates.js';
import { stopAll, waitForOutput, type RunningProcess } from './support/processes.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';

const BATCH = 30;

describe('certificate issue survives a worker killed mid-batch', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    // The API only: the workers are separate processes, started below.
    sys = await startTestSystem();
  });
  afterAll(async () => {
    await stopAll();
    await sys?.close();
  });

  const worker = (): RunningProcess => startCertificateWorker(sys);

  const count = async (): Promise<number> =>
    Number((await sys.app.get(DataSource).query(`SELECT count(*)::int AS n FROM certificate`))[0].n);

  it('issues every certificate exactly once, gapless, after a SIGKILL', async () => {
    // Approved while no worker runs: the certificate jobs wait on the queue.
    const w = await certificateWorld(sys);
    const approvals: Approved[] = [];
    for (let i = 0; i < BATCH; i++) approvals.push(await approvedVerification(w, { pass: i % 5 !== 4 }));

    const first = worker();
    await waitForOutput(first, /worker started/);
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

    // Another worker takes over (the jobs the dead one held come back once their locks expire).
    const second = worker();
    await waitForOutput(second, /worker started/);
    await eventually(async () => ((await count()) === BATCH ? true : undefined), 120000, 250);

    const db = sys.app.get(DataSource);
    const rows: {
      result_revision_id: string;
      kind: string;
      sequence: number;
      number: string;
      sha256: string;
      storage_key: string;
      request_item_id: string;
      instrument_id: string;
    }[] = await db.query(
      `SELECT result_revision_id, kind, sequence, number, sha256, storage_key, request_item_id, instrument_id FROM certificate`,
    );
    expect(rows).toHaveLength(BATCH);
    expect(new Set(rows.map((r) => r.result_revision_id))).toEqual(new Set(approvals.map((a) => a.revisionId)));
    // No gap in either series (certificates for passes, notices for failures), and no number taken by
    // the killed worker's open transactions was lost.
    const passes = approvals.filter((_, i) => i % 5 !== 4).length;
    const series: { kind: string; last: number }[] = await db.query(`SELECT kind, last FROM certificate_series`);
    for (const [kind, count] of [
      ['verification', passes],
      ['verification_failure', BATCH - passes],
    ] as const) {
      const ofKind = rows.filter((r) => r.kind === kind);
      expect(ofKind).toHaveLength(count);
      expect(missingSequences(ofKind.map((r) => r.sequence))).toEqual([]);
      expect(series.find((s) => s.kind === kind)?.last).toBe(count);
    }
    const stamps: { sequence: number }[] = await db.query(`SELECT sequence FROM verification_stamp`);
    expect(stamps).toHaveLength(passes);
    expect(missingSequences(stamps.map((s) => s.sequence))).toEqual([]);
    expect(series.find((s) => s.kind === 'stamp')?.last).toBe(stamps.length);

    // Every stored file is its row's, and prints that row's number and stamp serial.
    await expectFilesPrintTheirNumbers(sys);
    // The item moved and the instrument's history names the number, once each.
    const items: { status: string }[] = await db.query(`SELECT status FROM request_item WHERE id = ANY($1::uuid[])`, [
      rows.map((r) => r.request_item_id),
    ]);
    expect(items.every((i) => i.status === 'certificate_issued')).toBe(true);
    const history: { certificate_number: string }[] = await db.query(
      `SELECT certificate_number FROM instrument_service_record WHERE instrument_id = ANY($1::uuid[])`,
      [rows.map((r) => r.instrument_id)],
    );
    expect(history.map((h) => h.certificate_number).sort()).toEqual(rows.map((r) => r.number).sort());
  }, 300000);
});
