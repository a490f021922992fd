import { randomBytes } from 'node:crypto';
import { addDays, todayInVietnam, type CreateInstrumentTypeDto, type CreateStandardDto } from '#libs/registry';
import { calibrationBody, instrumentTypeBody, standardBody } from './registry.js';
import type { TestSystem } from './system.js';

/** Small helpers for request e2e tests: everything through the real HTTP endpoints, as staff would do it. */

export const today = (): string => todayInVietnam();
export const inDays = (n: number): string => addDays(todayInVietnam(), n);

export function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

export function apiKey(key: string): [string, string] {
  return ['X-Api-Key', key];
}

export async function expectStatus<T = Record<string, unknown>>(
  res: Promise<{ status: number; body: unknown }> | { status: number; body: unknown },
  status: number,
): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** An instrument type created by the admin over HTTP. */
export async function createType(
  sys: TestSystem,
  adminToken: string,
  overrides: Partial<CreateInstrumentTypeDto> = {},
): Promise<{ id: string; code: string }> {
  return expectStatus(
    sys
      .http()
      .post('/instrument-types')
      .set(...bearer(adminToken))
      .send(instrumentTypeBody(overrides)),
    201,
  );
}

/** A measurement standard with a calibration valid from a month ago for 11 months more (usable today). */
export async function createUsableStandard(
  sys: TestSystem,
  adminToken: string,
  overrides: Partial<CreateStandardDto> = {},
  calibration: { calibrationDate?: string; dueDate?: string } = {},
): Promise<{ id: string; code: string }> {
  const standard = await expectStatus<{ id: string; code: string }>(
    sys
      .http()
      .post('/standards')
      .set(...bearer(adminToken))
      .send(standardBody(overrides)),
    201,
  );
  await expectStatus(
    sys
      .http()
      .post(`/standards/${standard.id}/calibrations`)
      .set(...bearer(adminToken))
      .send(
        calibrationBody({
          calibrationDate: calibration.calibrationDate ?? inDays(-30),
          dueDate: calibration.dueDate ?? inDays(335),
        }),
      ),
    201,
  );
  return standard;
}

/** A technician account created by the admin, logged in, and authorised to perform `service` on the type from yesterday. */
export async function createTechnician(
  sys: TestSystem,
  adminToken: string,
  authorisations: { instrumentTypeId: string | null; service: string; validFrom?: string; validUntil?: string }[],
): Promise<{ id: string; token: string; username: string }> {
  const username = `tech.${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const user = await expectStatus<{ id: string }>(
    sys
      .http()
      .post('/users')
      .set(...bearer(adminToken))
      .send({ username, fullName: `Kỹ thuật viên ${username}`, roles: ['technician'], password }),
    201,
  );
  for (const a of authorisations) {
    await expectStatus(
      sys
        .http()
        .post(`/users/${user.id}/authorisations`)
        .set(...bearer(adminToken))
        .send({
          instrumentTypeId: a.instrumentTypeId,
          service: a.service,
          activity: 'perform',
          validFrom: a.validFrom ?? inDays(-1),
          ...(a.validUntil ? { validUntil: a.validUntil } : {}),
          reference: 'QĐ 12/QĐ-TĐC',
        }),
      201,
    );
  }
  const login = await expectStatus<{ accessToken: string }>(
    sys.http().post('/auth/login').send({ username, password }),
    200,
  );
  return { id: user.id, token: login.accessToken, username };
}

/** A customer organization and a business API key for it, both over HTTP by reception. */
export async function createCustomer(
  sys: TestSystem,
  receptionToken: string,
  name = `Cửa hàng xăng dầu ${randomBytes(3).toString('hex')}`,
): Promise<{ id: string; key: string }> {
  const org = await expectStatus<{ id: string }>(
    sys
      .http()
      .post('/organizations')
      .set(...bearer(receptionToken))
      .send({
        name,
        taxCode: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)),
        streetAddress: '215 Lê Hồng Phong',
        province: 'Khánh Hòa',
        district: 'Nha Trang',
      }),
    201,
  );
  const key = await expectStatus<{ key: string }>(
    sys
      .http()
      .post(`/organizations/${org.id}/api-keys`)
      .set(...bearer(receptionToken))
      .send({ name: 'ERP' }),
    201,
  );
  return { id: org.id, key: key.key };
}

let serial = 0;
/** A new instrument description for a request item. */
export function newInstrument(instrumentTypeId: string, overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    instrumentTypeId,
    manufacturer: 'Tatsuno',
    model: 'SUNNY-2',
    serialNumber: `TS-${randomBytes(3).toString('hex')}-${serial}`,
    accuracyClass: '0.5',
    rangeMin: '5',
    rangeMax: '60',
    rangeUnit: 'L/min',
    ...overrides,
  };
}
