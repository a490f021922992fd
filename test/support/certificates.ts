import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { CERTIFICATE_STORAGE, type CertificateIssueView, type CertificateStorage } from '#libs/certificates';
import { jobId, Outbox, Tx } from '#libs/core';
import { sha256 } from '#libs/documents';
import { addDays, todayInVietnam } from '#libs/registry';
import {
  authorise,
  benchItem,
  createInstrument,
  createInstrumentType,
  createOrganization,
  createStandardWithCertificate,
  fuelDispenserTypeBody,
  staffSession,
  type StaffSession,
} from './factories.js';
import { as, ok, type Body } from './http.js';
import { ROOT, startScript, type RunningProcess } from './processes.js';
import { eventually, type TestSystem } from './system.js';

/**
 * The whole chain a certificate comes from, through the HTTP API as the centre's staff use it: a
 * request item is submitted, accepted, scheduled and received; the technician records a periodic
 * verification of a fuel dispenser; a reviewer approves it — which queues `certificate.issue`.
 */
export interface CertificateWorld {
  sys: TestSystem;
  admin: StaffSession;
  technician: StaffSession;
  reviewer: StaffSession;
  fuelType: Body;
  template: Body;
}

export interface Approved {
  organizationId: string;
  instrumentId: string;
  requestId: string;
  itemId: string;
  resultId: string;
  revisionId: string;
  revision: number;
  measuredOn: string;
}

/** Staff, the fuel dispenser type, authorisations since 2019, a proving can calibrated then and now, the template. */
export async function certificateWorld(
  sys: TestSystem,
  o: { fuelType?: Parameters<typeof fuelDispenserTypeBody>[0] } = {},
): Promise<CertificateWorld> {
  const admin = await staffSession(sys, ['admin']);
  const technician = await staffSession(sys, ['technician']);
  const reviewer = await staffSession(sys, ['reviewer']);
  const fuelType = await createInstrumentType(sys, admin, fuelDispenserTypeBody(o.fuelType));
  const grant = { instrumentTypeId: fuelType.id, service: 'verification_periodic', validFrom: '2019-01-01' };
  await authorise(sys, admin, technician, [{ ...grant, activity: 'perform' }]);
  await authorise(sys, admin, reviewer, [{ ...grant, activity: 'approve' }]);
  const today = todayInVietnam();
  const { standard: can } = await createStandardWithCertificate(
    sys,
    admin,
    { name: 'Bình chuẩn kim loại 20 L', quantity: 'volume', unit: 'L', rangeMin: '0', rangeMax: '20' },
    {
      calibrationDate: addDays(today, -100),
      dueDate: addDays(today, 265),
      values: [{ nominal: '20', value: '20.002', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
    },
  );
  // Its certificate of 2020, for verifications dated then (the expired certificates).
  ok(
    await as(sys, admin).post(`/standards/${can.id}/calibrations`, {
      issuingLab: 'Viện Đo lường Việt Nam (VMI)',
      certificateNumber: `V07.2019.${Date.now()}`,
      calibrationDate: '2019-12-01',
      dueDate: '2020-12-01',
      externalReference: { kind: 'national_standard', name: 'Chuẩn quốc gia dung tích — VMI' },
      values: [{ nominal: '20', value: '20.002', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
    }),
    'calibration of 2019',
  );
  const template = ok(
    await as(sys, admin).post('/calibration-templates', {
      instrumentTypeId: fuelType.id,
      name: 'Cột đo xăng dầu — kiểm định định kỳ',
      services: ['verification_periodic'],
      procedureCode: 'ĐLVN 10',
      unit: 'L',
      points: [
        { nominal: '20', readings: 3 },
        { nominal: '20', readings: 3 },
      ],
      components: [
        { kind: 'type_a_readings', name: 'repeatability' },
        { kind: 'reference_standard', name: 'proving can' },
        { kind: 'type_b_resolution', name: 'resolution' },
      ],
      standardIds: [can.id],
      environmentLimits: { temperature: { min: '5', max: '40' } },
    }),
    'fuel template',
  );
  return { sys, admin, technician, reviewer, fuelType, template };
}

const PASSING = [
  { nominal: '20', referenceValue: '20.000', readings: ['20.04', '20.06', '20.05'] },
  { nominal: '20', referenceValue: '19.998', readings: ['20.03', '20.02', '20.04'] },
];
const FAILING = [
  { nominal: '20', referenceValue: '20.000', readings: ['20.12', '20.13', '20.11'] },
  { nominal: '20', referenceValue: '20.000', readings: ['20.05', '20.05', '20.06'] },
];

/**
 * A fuel dispenser verified and the result approved (the certificate job is then queued); with
 * `approve: false`, only submitted for review.
 * `measuredOn` in the past: the item is recorded as received then (the data this test creates).
 */
export async function approvedVerification(
  w: CertificateWorld,
  o: { organizationId?: string; pass?: boolean; measuredOn?: string; approve?: boolean } = {},
): Promise<Approved> {
  const organizationId = o.organizationId ?? (await createOrganization(w.sys)).id;
  const dispenser = await createInstrument(w.sys, w.admin, organizationId, w.fuelType.id, {
    resolution: '0.01',
    accuracyClass: '0.5',
    manufacturer: 'Tatsuno',
    model: 'SUNNY-2',
  });
  const item = await benchItem(w.sys, w.admin, {
    organizationId,
    instrumentId: dispenser.id,
    service: 'verification_periodic',
    technician: w.technician,
  });
  const measuredOn = o.measuredOn ?? todayInVietnam();
  if (measuredOn < todayInVietnam()) {
    await w.sys.app
      .get(DataSource)
      .query(`UPDATE request_item SET received_at = $2::date - interval '1 day' WHERE id = $1`, [
        item.itemId,
        measuredOn,
      ]);
  }
  const result = await verify(w, item.itemId, { ...o, measuredOn });
  return {
    organizationId,
    instrumentId: dispenser.id,
    requestId: item.requestId,
    itemId: item.itemId,
    resultId: result.resultId,
    revisionId: result.revisionId,
    revision: 1,
    measuredOn,
  };
}

/** The technician records the verification of a received item and submits it; the reviewer approves it (unless not). */
export async function verify(
  w: CertificateWorld,
  itemId: string,
  o: { pass?: boolean; measuredOn?: string; approve?: boolean } = {},
): Promise<{ resultId: string; revisionId: string }> {
  const result = ok(
    await as(w.sys, w.technician).post('/results', {
      requestItemId: itemId,
      templateId: w.template.id,
      measuredOn: o.measuredOn ?? todayInVietnam(),
      place: 'Cửa hàng xăng dầu số 5, Nha Trang (tại nơi sử dụng)',
      environment: { temperature: '29.5' },
      points: o.pass === false ? FAILING : PASSING,
    }),
    'record result',
  );
  ok(await as(w.sys, w.technician).post(`/results/${result.id}/submit`, { revision: 1 }), 'submit');
  if (o.approve !== false) ok(await approve(w, result.id, 1), 'approve');
  return { resultId: result.id, revisionId: result.revision.id };
}

/** The reviewer approves a submitted revision (which queues its certificate). */
export function approve(w: CertificateWorld, resultId: string, revision: number) {
  return as(w.sys, w.reviewer).post(`/results/${resultId}/approve`, { revision });
}

/** A correction of an approved result (same date and outcome), submitted and approved: revision n+1. */
export async function approvedCorrection(w: CertificateWorld, a: Approved, reason: string): Promise<Approved> {
  const revised = ok(
    await as(w.sys, w.technician).post(`/results/${a.resultId}/revisions`, {
      reason,
      environment: { temperature: '30.5' },
    }),
    'revise',
  );
  const revision = a.revision + 1;
  ok(await as(w.sys, w.technician).post(`/results/${a.resultId}/submit`, { revision }), 'submit correction');
  ok(await as(w.sys, w.reviewer).post(`/results/${a.resultId}/approve`, { revision }), 'approve correction');
  return { ...a, revision, revisionId: revised.revision.id };
}

/** Waits until the queue is done with a revision's certificate (issued, failed or waiting for an amendment). */
export async function issueState(w: CertificateWorld, resultRevisionId: string): Promise<CertificateIssueView> {
  return eventually(async () => {
    const res = await as(w.sys, w.technician).get(`/certificate-issues/${resultRevisionId}`);
    if (res.status !== 200) throw new Error(`issue state answered ${res.status}: ${JSON.stringify(res.body)}`);
    const view = res.body as CertificateIssueView;
    return ['queued', 'running', 'not_requested'].includes(view.status) ? undefined : view;
  }, 30000);
}

/** What approval does for a certificate, for a revision id of the test's choosing (e.g. one that does not exist). */
export async function requestIssue(sys: TestSystem, resultRevisionId: string): Promise<void> {
  const outbox = sys.app.get(Outbox);
  await sys.app
    .get(DataSource)
    .transaction((m) =>
      outbox.add(new Tx(m), 'certificate.issue', { resultRevisionId }, jobId('certificate', resultRevisionId)),
    );
  await outbox.flush();
}

/** The Debian tools that look at a PDF from outside (poppler-utils); absent → the assertion is skipped, saying so. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function withPdf<T>(pdf: Buffer, run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'certificates-e2e-'));
  try {
    const path = join(dir, 'certificate.pdf');
    writeFileSync(path, pdf);
    return run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of the PDF, whitespace collapsed (pdftotext). */
export function pdfText(pdf: Buffer): string {
  return withPdf(pdf, (path) => {
    const r = spawnSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
    return r.stdout.replace(/\s+/g, ' ');
  });
}

/**
 * Every certificate's stored file is the one its row names (SHA-256), and prints the row's own number
 * and stamp serial (with pdftotext when installed): what a document drawn ahead of its number, and
 * kept only when that number was taken, must never get wrong.
 */
export async function expectFilesPrintTheirNumbers(sys: TestSystem): Promise<void> {
  const storage = sys.app.get<CertificateStorage>(CERTIFICATE_STORAGE);
  const rows: { number: string; sha256: string; storage_key: string; serial: string | null }[] = await sys.app
    .get(DataSource)
    .query(
      `SELECT c.number, c.sha256, c.storage_key, s.serial
       FROM certificate c LEFT JOIN verification_stamp s ON s.certificate_id = c.id`,
    );
  const text = hasTool('pdftotext');
  if (!text) console.warn('pdftotext is not installed (poppler-utils): checking the files by hash only');
  for (const row of rows) {
    const file = await storage.get(row.storage_key);
    const printed = text ? pdfText(file) : '';
    expect({
      number: row.number,
      sha256: sha256(file),
      ...(text ? { printed: printed.includes(row.number) } : {}),
    }).toEqual({
      number: row.number,
      sha256: row.sha256,
      ...(text ? { printed: true } : {}),
    });
    if (text && row.serial)
      expect({ number: row.number, stamp: printed.includes(row.serial) }).toEqual({ number: row.number, stamp: true });
  }
}

/** What pdfsig says (it exits 0 whether or not the signature is valid: read its text). */
export function pdfsig(pdf: Buffer): string {
  return withPdf(pdf, (path) => {
    const r = spawnSync('pdfsig', [path], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`;
  });
}

/** supertest parser that keeps a binary body as a Buffer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- superagent types the raw response as its own Response
export function binary(res: any, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * A worker process (test/support/certificate-worker.mjs) on the test system's database, Redis, queue
 * prefix and data directory, as `npm run start:worker` runs it: the scale-out and crash specs start
 * one or more beside an API-only system.
 */
export function startCertificateWorker(sys: TestSystem): RunningProcess {
  return startScript(resolve(ROOT, 'test/support/certificate-worker.mjs'), {
    DATABASE_URL: sys.db.url,
    REDIS_URL: sys.env.REDIS_URL!,
    DATA_DIR: sys.env.DATA_DIR,
    RUN_MIGRATIONS: 'false',
    WORKER_CONCURRENCY: '4',
    // A killed worker's jobs come back after ≈ 10 s, not the default ≈ 60 s.
    QUEUE_LOCK_DURATION_MS: '5000',
    LOG_LEVEL: 'warn',
    TEST_QUEUE_PREFIX: String(sys.runtime.backend.options.prefix),
  });
}
