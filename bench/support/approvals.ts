// Approved results for the certificate benchmarks, made the way the centre makes them: over HTTP, a
// request item submitted, accepted, scheduled and received, a periodic verification of a fuel
// dispenser recorded, submitted and approved by another person (which queues certificate.issue).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { systemActor } from '#libs/audit';
import { UserService } from '#libs/auth';
import type { StaffRole } from '#libs/core';
import { addDays, todayInVietnam } from '#libs/registry';

type Json = Record<string, unknown> & { id: string };

interface Session {
  token: string;
  userId: string;
}

export interface Approval {
  resultRevisionId: string;
  instrumentId: string;
  organizationId: string;
}

export class ApprovalFactory {
  private constructor(
    private readonly base: string,
    private readonly admin: Session,
    private readonly technician: Session,
    private readonly reviewer: Session,
    private readonly typeId: string,
    private readonly templateId: string,
    private readonly organizationId: string,
  ) {}

  /** Staff, a fuel dispenser type with a 12-month cycle, authorisations, a proving can, a template, a customer. */
  static async create(app: INestApplication): Promise<ApprovalFactory> {
    const server = app.getHttpServer();
    if (!server.listening) await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const session = async (roles: StaffRole[]): Promise<Session> => {
      const username = `${roles[0]}.${randomBytes(4).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      const user = await app
        .get(UserService)
        .create({ username, fullName: `Bench ${username}`, roles, password }, systemActor('bench set-up'));
      const res = await call<{ accessToken: string }>(base, 'POST', '/auth/login', undefined, { username, password });
      return { token: res.accessToken, userId: user.id };
    };
    const admin = await session(['admin']);
    const technician = await session(['technician']);
    const reviewer = await session(['reviewer']);
    const today = todayInVietnam();
    const type = await call<Json>(base, 'POST', '/instrument-types', admin, {
      code: `BENCH_FUEL_${randomBytes(4).toString('hex').toUpperCase()}`,
      nameVi: 'Cột đo xăng dầu',
      nameEn: 'Fuel dispenser',
      measuredQuantity: 'volume',
      unit: 'L',
      services: ['verification_periodic'],
      procedures: [{ code: 'ĐLVN 10', version: '2017' }],
      mpeRule: { kind: 'percent_of_reading', p: 0.5 },
      cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
    });
    const grant = { instrumentTypeId: type.id, service: 'verification_periodic', validFrom: '2024-01-01' };
    await call(base, 'POST', `/users/${technician.userId}/authorisations`, admin, { ...grant, activity: 'perform' });
    await call(base, 'POST', `/users/${reviewer.userId}/authorisations`, admin, { ...grant, activity: 'approve' });
    const can = await call<Json>(base, 'POST', '/standards', admin, {
      code: `BC-${randomBytes(3).toString('hex')}`,
      name: 'Bình chuẩn kim loại 20 L',
      level: 'working',
      quantity: 'volume',
      unit: 'L',
      rangeMin: '0',
      rangeMax: '20',
      accuracyClass: '0.05',
      custodianSection: 'Phòng Đo lường Dung tích',
    });
    await call(base, 'POST', `/standards/${can.id}/calibrations`, admin, {
      issuingLab: 'Viện Đo lường Việt Nam (VMI)',
      certificateNumber: `V07.${randomBytes(3).toString('hex')}`,
      calibrationDate: addDays(today, -100),
      dueDate: addDays(today, 265),
      externalReference: { kind: 'national_standard', name: 'Chuẩn quốc gia dung tích — VMI' },
      values: [{ nominal: '20', value: '20.002', unit: 'L', expandedUncertainty: '0.004', coverageFactor: '2' }],
    });
    const template = await call<Json>(base, 'POST', '/calibration-templates', admin, {
      instrumentTypeId: type.id,
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
    });
    const organization = await call<Json>(base, 'POST', '/organizations', admin, {
      name: 'Công ty TNHH Xăng dầu Ấp Mới',
      taxCode: String(Date.now()).slice(-10),
      streetAddress: 'Quốc lộ 1A, xã Tịnh Ấn Tây',
      province: 'Quảng Ngãi',
    });
    return new ApprovalFactory(base, admin, technician, reviewer, type.id, template.id, organization.id);
  }

  /** One more approved periodic verification (a new dispenser, a new request). */
  async approve(): Promise<Approval> {
    const { base, admin, technician, reviewer } = this;
    const instrument = await call<Json>(base, 'POST', '/instruments', admin, {
      ownerId: this.organizationId,
      instrumentTypeId: this.typeId,
      manufacturer: 'Tatsuno',
      model: 'SUNNY-NX',
      serialNumber: `TS-${randomBytes(5).toString('hex')}`,
      accuracyClass: '0.5',
      resolution: '0.01',
      rangeMin: '5',
      rangeMax: '50',
      rangeUnit: 'L/min',
    });
    const request = await call<Json & { items: { id: string }[] }>(base, 'POST', '/requests', admin, {
      organizationId: this.organizationId,
      place: 'lab',
      items: [{ instrumentId: instrument.id, service: 'verification_periodic' }],
    });
    const item = `/requests/${request.id}/items/${request.items[0]!.id}`;
    const accepted = await call<{ accepted: number }>(base, 'POST', `/requests/${request.id}/accept`, admin, {});
    if (accepted.accepted !== 1) throw new Error(`contract review refused the item: ${JSON.stringify(accepted)}`);
    await call(base, 'POST', `${item}/schedule`, admin, { technicianId: technician.userId, date: todayInVietnam() });
    await call(base, 'POST', `${item}/receive`, admin, {
      labelId: `TĐC-${randomBytes(5).toString('hex')}`,
      condition: 'Nguyên niêm phong',
    });
    const result = await call<Json & { revision: { id: string } }>(base, 'POST', '/results', technician, {
      requestItemId: request.items[0]!.id,
      templateId: this.templateId,
      measuredOn: todayInVietnam(),
      place: 'Cửa hàng xăng dầu Ấp Mới (tại nơi sử dụng)',
      environment: { temperature: '29.5' },
      points: [
        { nominal: '20', referenceValue: '20.000', readings: ['20.04', '20.06', '20.05'] },
        { nominal: '20', referenceValue: '19.998', readings: ['20.03', '20.02', '20.04'] },
      ],
    });
    await call(base, 'POST', `/results/${result.id}/submit`, technician, { revision: 1 });
    await call(base, 'POST', `/results/${result.id}/approve`, reviewer, { revision: 1 });
    return { resultRevisionId: result.revision.id, instrumentId: instrument.id, organizationId: this.organizationId };
  }
}

async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  as: Session | undefined,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(as ? { Authorization: `Bearer ${as.token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
