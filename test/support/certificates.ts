import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CERTIFICATE_SOURCE,
  CertificateSourceError,
  type CertificateContent,
  type CertificateDraft,
  type CertificateSource,
} from '#libs/certificates';
import { jobId, Outbox } from '#libs/core';
import type { TestSystem } from './system.js';

/**
 * A stand-in for the result workflow's CertificateSource until libs/calibration provides the real
 * one: drafts are registered in memory by the test, exactly as approval would make them readable.
 */
export class TestCertificateSource implements CertificateSource {
  private readonly drafts = new Map<string, CertificateDraft>();

  add(draft: CertificateDraft): CertificateDraft {
    this.drafts.set(draft.resultRevisionId, draft);
    return draft;
  }

  async load(resultRevisionId: string): Promise<CertificateDraft> {
    const draft = this.drafts.get(resultRevisionId);
    if (!draft)
      throw new CertificateSourceError(resultRevisionId, 'not_found', `No approved revision ${resultRevisionId}`);
    return structuredClone(draft);
  }
}

/** A global module providing CERTIFICATE_SOURCE, for startTestSystem({ imports }). */
export function certificateSourceModule(source: CertificateSource): DynamicModule {
  @Global()
  @Module({})
  class TestCertificateSourceModule {}
  return {
    module: TestCertificateSourceModule,
    providers: [{ provide: CERTIFICATE_SOURCE, useValue: source }],
    exports: [CERTIFICATE_SOURCE],
  };
}

/** What approval does for the certificate: the outbox row `certificate.issue`, committed, then flushed. */
export async function requestIssue(sys: TestSystem, resultRevisionId: string): Promise<void> {
  const outbox = sys.app.get(Outbox);
  await sys.app
    .get(DataSource)
    .transaction((m) =>
      outbox.add(m, 'certificate.issue', { resultRevisionId }, jobId('certificate', resultRevisionId)),
    );
  await outbox.flush();
}

export function content(overrides: Partial<CertificateContent> = {}): CertificateContent {
  return {
    customer: { name: 'Công ty TNHH Xăng dầu Ấp Mới', address: '12 Trần Phú, Nha Trang, Khánh Hòa' },
    item: {
      typeName: 'Cột đo xăng dầu',
      typeNameEn: 'Fuel dispenser',
      manufacturer: 'Tatsuno',
      model: 'SUNNY-2',
      serial: `TS-${randomUUID().slice(0, 8)}`,
      owner: 'Cửa hàng xăng dầu Ấp Mới',
    },
    measurementDates: ['2026-01-05'],
    placeOfMeasurement: 'Tại nơi sử dụng',
    method: { code: 'ĐLVN 10:2017', title: 'Cột đo xăng dầu — Quy trình kiểm định' },
    environment: { temperature: { value: '27,5', unit: '°C' } },
    standards: [
      {
        code: 'BC-20',
        name: 'Bình chuẩn kim loại 20 L',
        certificateNumber: 'V07.123.25',
        issuedBy: 'Viện Đo lường Việt Nam (VMI)',
        dueDate: '2027-01-15',
      },
    ],
    results: [
      {
        unit: '%',
        rows: [
          { label: 'Qmax', nominal: '50', error: '0,12', mpe: '±0,5', decision: 'pass' },
          { label: 'Qmin', nominal: '5', error: '−0,21', mpe: '±0,5', decision: 'pass' },
        ],
      },
    ],
    decisionRule: { rule: 'simple' },
    conformity: { decision: 'pass' },
    authorisedSignatory: { name: 'Trần Thị Ngọc Hương', title: 'Phó Giám đốc' },
    technician: { name: 'Lê Quốc Đạt' },
    ...overrides,
  };
}

export interface DraftInput {
  organizationId: string;
  instrumentId: string | null;
  service?: CertificateDraft['service'];
  outcome?: CertificateDraft['outcome'];
  measurementDate?: string;
  validUntil?: string | null;
  resultId?: string;
  requestItemId?: string | null;
  content?: Partial<CertificateContent>;
}

/** A draft as approval of a verification (default: periodic, passed) would give it. */
export function draft(input: DraftInput): CertificateDraft {
  const measurementDate = input.measurementDate ?? '2026-01-05';
  const outcome = input.outcome === undefined ? 'pass' : input.outcome;
  const service = input.service ?? 'verification_periodic';
  const base = content({ measurementDates: [measurementDate] });
  return {
    resultRevisionId: randomUUID(),
    resultId: input.resultId ?? randomUUID(),
    organizationId: input.organizationId,
    instrumentId: input.instrumentId,
    requestItemId: input.requestItemId ?? null,
    service,
    outcome,
    measurementDate,
    validUntil: input.validUntil ?? null,
    content: {
      ...base,
      ...(outcome ? { conformity: { decision: outcome } } : { conformity: undefined, decisionRule: undefined }),
      ...input.content,
    },
  };
}

/** A calibration certificate's draft: errors with U and k, no statement of conformity. */
export function calibrationDraft(input: DraftInput): CertificateDraft {
  return draft({
    ...input,
    service: 'calibration',
    outcome: null,
    content: {
      item: {
        typeName: 'Đồng hồ đo áp suất',
        typeNameEn: 'Pressure gauge',
        manufacturer: 'WIKA',
        serial: `P-${randomUUID().slice(0, 8)}`,
      },
      method: { code: 'ĐLVN 76:2001' },
      results: [
        {
          unit: 'bar',
          rows: [
            {
              nominal: '10',
              reference: '10,002',
              indicated: '10,01',
              error: '0,008',
              expandedUncertainty: '0,012',
              coverageFactor: '2',
            },
          ],
        },
      ],
      uncertainty: { coverageProbability: '95' },
      ...input.content,
    },
  });
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
