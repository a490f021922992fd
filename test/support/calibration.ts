import { randomBytes } from 'node:crypto';
import type { StaffRole } from '#libs/core';
import { todayInVietnam, type CreateInstrumentTypeDto } from '#libs/registry';
import { calibrationBody, instrumentBody, instrumentTypeBody, organizationBody, standardBody } from './registry.js';
import { staffSession, type StaffSession } from './auth.js';
import type { TestSystem } from './system.js';

/** A response body: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API under test
export type Body = any;

/** Small factories for calibration e2e specs: everything through the HTTP API, as the centre's staff would. */

export const bearer = (s: StaffSession): { Authorization: string } => ({ Authorization: `Bearer ${s.token}` });

export interface Api {
  post(path: string, body: unknown, as: StaffSession): Promise<{ status: number; body: Body }>;
  get(path: string, as: StaffSession): Promise<{ status: number; body: Body }>;
  patch(path: string, body: unknown, as: StaffSession): Promise<{ status: number; body: Body }>;
}

export function api(sys: TestSystem): Api {
  return {
    post: async (path, body, as) =>
      sys
        .http()
        .post(path)
        .set(bearer(as))
        .send(body as object),
    get: async (path, as) => sys.http().get(path).set(bearer(as)),
    patch: async (path, body, as) =>
      sys
        .http()
        .patch(path)
        .set(bearer(as))
        .send(body as object),
  };
}

/** Fails loudly with the problem details when a setup call does not answer 2xx. */
export function ok<T extends { status: number; body: Body }>(res: T, what: string): Body {
  if (res.status < 200 || res.status >= 300)
    throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function staff(sys: TestSystem, roles: StaffRole[]): Promise<StaffSession> {
  return staffSession(sys, roles);
}

export interface Grant {
  instrumentTypeId: string;
  service: string;
  activity: 'perform' | 'approve';
  validFrom?: string;
}

export async function authorise(
  sys: TestSystem,
  admin: StaffSession,
  user: StaffSession,
  grants: Grant[],
): Promise<void> {
  for (const g of grants) {
    ok(
      await api(sys).post(`/users/${user.userId}/authorisations`, { validFrom: '2024-01-01', ...g }, admin),
      `authorise ${user.username} to ${g.activity} ${g.service}`,
    );
  }
}

/** Áp kế lò xo: MPE = class % of the span (ĐLVN 08:2011). */
export async function pressureGaugeType(sys: TestSystem, admin: StaffSession): Promise<Body> {
  return ok(
    await api(sys).post(
      '/instrument-types',
      instrumentTypeBody({
        nameVi: 'Áp kế kiểu lò xo',
        nameEn: 'Spring (Bourdon) pressure gauge',
        measuredQuantity: 'pressure',
        unit: 'MPa',
        services: ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration'],
        procedures: [{ code: 'ĐLVN 08', version: '2011' }],
        mpeRule: {
          kind: 'by_accuracy_class',
          classes: {
            '1': { kind: 'percent_of_full_scale', p: 1 },
            '1.6': { kind: 'percent_of_full_scale', p: 1.6 },
            '2.5': { kind: 'percent_of_full_scale', p: 2.5 },
          },
        },
        cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
      }),
      admin,
    ),
    'create pressure gauge type',
  );
}

/** Cột đo xăng dầu: MPE ±0.5 % of the delivered volume (ĐLVN 10:2017), 12-month cycle. */
export async function fuelDispenserType(
  sys: TestSystem,
  admin: StaffSession,
  overrides: Partial<CreateInstrumentTypeDto> = {},
): Promise<Body> {
  return ok(
    await api(sys).post(
      '/instrument-types',
      instrumentTypeBody({
        nameVi: 'Cột đo xăng dầu',
        nameEn: 'Fuel dispenser',
        measuredQuantity: 'volume',
        unit: 'L',
        services: ['verification_initial', 'verification_periodic', 'verification_after_repair'],
        procedures: [{ code: 'ĐLVN 10', version: '2017' }],
        mpeRule: { kind: 'percent_of_reading', p: 0.5 },
        cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
        ...overrides,
      }),
      admin,
    ),
    'create fuel dispenser type',
  );
}

export async function organization(sys: TestSystem, admin: StaffSession): Promise<Body> {
  return ok(await api(sys).post('/organizations', organizationBody(), admin), 'create organization');
}

export async function instrument(
  sys: TestSystem,
  admin: StaffSession,
  ownerId: string,
  typeId: string,
  overrides: Record<string, unknown>,
): Promise<Body> {
  return ok(
    await api(sys).post('/instruments', instrumentBody(ownerId, typeId, overrides), admin),
    'create instrument',
  );
}

/** A standard with one calibration certificate (values with U and k). */
export async function standardWithCertificate(
  sys: TestSystem,
  admin: StaffSession,
  standard: Record<string, unknown>,
  certificate: Record<string, unknown>,
): Promise<{ standard: Body; certificate: Body }> {
  const s = ok(await api(sys).post('/standards', standardBody(standard), admin), 'create standard');
  const c = ok(
    await api(sys).post(`/standards/${s.id}/calibrations`, calibrationBody(certificate), admin),
    'record standard calibration',
  );
  return { standard: s, certificate: c };
}

export interface ItemOptions {
  organizationId: string;
  instrumentId: string;
  service: string;
  /** Calibration: the customer asks for a statement of conformity under this rule. */
  decisionRule?: 'simple' | 'guarded';
  /** Scheduled for this technician (authorised to perform it). */
  technician: StaffSession;
  /** Stop before receipt (the item is only scheduled). */
  receive?: boolean;
  /** Start the work (in_progress) after receipt, as the scheduled technician. */
  start?: boolean;
}

/** A request item brought to the bench through the requests API: submitted, accepted, scheduled today, received. */
export async function benchItem(
  sys: TestSystem,
  reception: StaffSession,
  o: ItemOptions,
): Promise<{ requestId: string; itemId: string; labelId: string }> {
  const http = api(sys);
  const request = ok(
    await http.post(
      '/requests',
      {
        organizationId: o.organizationId,
        place: 'lab',
        items: [
          {
            instrumentId: o.instrumentId,
            service: o.service,
            ...(o.decisionRule ? { conformityStatementRequested: true, decisionRule: o.decisionRule } : {}),
          },
        ],
      },
      reception,
    ),
    'submit request',
  );
  const itemId = request.items[0].id as string;
  const accepted = ok(await http.post(`/requests/${request.id}/accept`, {}, reception), 'accept request');
  if (accepted.accepted !== 1)
    throw new Error(`contract review refused the item: ${JSON.stringify(accepted.rejected)}`);
  const base = `/requests/${request.id}/items/${itemId}`;
  ok(
    await http.post(`${base}/schedule`, { technicianId: o.technician.userId, date: todayInVietnam() }, reception),
    'schedule',
  );
  const labelId = `TĐC-${randomBytes(5).toString('hex')}`;
  if (o.receive !== false) {
    ok(await http.post(`${base}/receive`, { labelId, condition: 'Nguyên niêm phong' }, reception), 'receive');
    if (o.start) ok(await http.post(`${base}/start`, {}, o.technician), 'start');
  }
  return { requestId: request.id, itemId, labelId };
}

export async function itemStatus(
  sys: TestSystem,
  as: StaffSession,
  item: { requestId: string; itemId: string },
): Promise<string> {
  return ok(await api(sys).get(`/requests/${item.requestId}/items/${item.itemId}`, as), 'item').status as string;
}
