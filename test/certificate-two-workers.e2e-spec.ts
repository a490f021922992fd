// Scale-out: two worker processes on one PostgreSQL and one Redis take one batch of approved
// results. Every approved revision gets exactly one certificate, numbers and stamp serials stay
// gapless across both processes, each item and instrument names its number once, and the audit
// trail (written by both, just before each commit) is one intact chain with one issue entry each;
// every stored file prints its own certificate's number and stamp serial.
import { DataSource } from 'typeorm';
import { AuditTrail } from '#libs/audit';
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

const BATCH = 24;

describe('certificate issue with two worker processes', () => {
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

  it('issues every certificate exactly once, with gapless numbers across both processes', async () => {
    const db = sys.app.get(DataSource);
    const count = async (): Promise<number> =>
      Number((await db.query(`SELECT count(*)::int AS n FROM certificate`))[0].n);
    // Approved while no worker runs: the batch waits on the queue for both workers at once.
    const w = await certificateWorld(sys);
    const approvals: Approved[] = [];
    for (let i = 0; i < BATCH; i++) approvals.push(await approvedVerification(w, { pass: i % 6 !== 5 }));
    const workers = [worker(), worker()];
    await Promise.all(workers.map((p) => waitForOutput(p, /worker started/)));
    await eventually(async () => ((await count()) === BATCH ? true : undefined), 120000, 250);
    // Both still running: neither crashed; nothing more is issued afterwards.
    expect(workers.map((p) => p.hasExited())).toEqual([false, false]);

    const rows: {
      id: string;
      result_revision_id: string;
      kind: string;
      sequence: number;
      number: string;
      request_item_id: string;
      instrument_id: string;
    }[] = await db.query(
      `SELECT id, result_revision_id, kind, sequence, number, request_item_id, instrument_id FROM certificate`,
    );
    expect(rows).toHaveLength(BATCH);
    expect(new Set(rows.map((r) => r.result_revision_id))).toEqual(new Set(approvals.map((a) => a.revisionId)));
    const passes = approvals.filter((_, i) => i % 6 !== 5).length;
    const series: { kind: string; last: number }[] = await db.query(`SELECT kind, last FROM certificate_series`);
    for (const [kind, n] of [
      ['verification', passes],
      ['verification_failure', BATCH - passes],
    ] as const) {
      const ofKind = rows.filter((r) => r.kind === kind);
      expect(ofKind).toHaveLength(n);
      expect(missingSequences(ofKind.map((r) => r.sequence))).toEqual([]);
      expect(series.find((s) => s.kind === kind)?.last).toBe(n);
    }
    const stamps: { sequence: number }[] = await db.query(`SELECT sequence FROM verification_stamp`);
    expect(stamps).toHaveLength(passes);
    expect(missingSequences(stamps.map((s) => s.sequence))).toEqual([]);

    const items: { status: string }[] = await db.query(`SELECT status FROM request_item WHERE id = ANY($1::uuid[])`, [
      rows.map((r) => r.request_item_id),
    ]);
    expect(items.map((i) => i.status)).toEqual(Array(BATCH).fill('certificate_issued'));
    const history: { certificate_number: string }[] = await db.query(
      `SELECT certificate_number FROM instrument_service_record WHERE instrument_id = ANY($1::uuid[])`,
      [rows.map((r) => r.instrument_id)],
    );
    expect(history.map((h) => h.certificate_number).sort()).toEqual(rows.map((r) => r.number).sort());

    const issued: { entity_id: string }[] = await db.query(
      `SELECT entity_id FROM audit_event WHERE entity = 'certificate' AND action = 'issue'`,
    );
    expect(issued.map((e) => e.entity_id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(await sys.app.get(AuditTrail).verify()).toMatchObject({ valid: true, firstBroken: null });
    // Each process draws documents ahead with the numbers it expects; the other takes some of them.
    await expectFilesPrintTheirNumbers(sys);
  }, 300000);
});
