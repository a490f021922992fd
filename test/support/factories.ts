import { randomBytes, randomInt } from 'node:crypto';
import { systemActor } from '#libs/audit';
import { ApiKeyService, staffPrincipal, UserService, type StaffPrincipal } from '#libs/auth';
import type { StaffRole } from '#libs/core';
import {
  addDays,
  InstrumentService,
  InstrumentTypeService,
  OrganizationService,
  StandardService,
  todayInVietnam,
  type CreateCalibrationDto,
  type CreateInstrumentDto,
  type CreateInstrumentTypeDto,
  type CreateOrganizationDto,
  type CreateStandardDto,
  type OrganizationView,
} from '#libs/registry';
import { as, ok, type Body } from './http.js';
import type { TestSystem } from './system.js';

/**
 * The test data of every spec, made fresh by each test (never a shared seed): plain body builders,
 * then records made through the services (people, organizations) or over HTTP as staff would.
 */

let counter = 0;
const next = (): number => ++counter;
const suffix = (): string => randomBytes(5).toString('hex');

/** Who the audit trail names for records a test sets up through the services (not over HTTP). */
export const TEST_SETUP = systemActor('test setup');

export const today = (): string => todayInVietnam();
export const inDays = (n: number): string => addDays(todayInVietnam(), n);

// ——— Bodies ———

/** A tax code no other test organization is likely to have: 10 random digits, no leading zero. */
export function taxCode(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}

export function organizationBody(overrides: Partial<CreateOrganizationDto> = {}): CreateOrganizationDto {
  return {
    name: `Công ty TNHH Thử nghiệm ${next()}-${suffix()}`,
    taxCode: taxCode(),
    streetAddress: '12 Trần Phú',
    province: 'Khánh Hòa',
    district: 'Nha Trang',
    ...overrides,
  };
}

export function instrumentTypeBody(overrides: Partial<CreateInstrumentTypeDto> = {}): CreateInstrumentTypeDto {
  const n = next();
  const body: CreateInstrumentTypeDto = {
    code: `TEST_TYPE_${n}_${randomInt(1e6)}`,
    nameVi: `Phương tiện đo thử ${n}`,
    nameEn: `Test instrument ${n}`,
    measuredQuantity: 'volume',
    unit: 'L',
    services: ['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration'],
    // Ready for verification: a procedure, a cycle and the centre's own MPE rule.
    procedures: [{ code: 'ĐLVN 10', version: '2017' }],
    mpeRule: { kind: 'percent_of_reading', p: 0.5 },
    cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
    ...overrides,
  };
  // A testing-only type has nothing for an MPE to serve.
  if (overrides.mpeRule === undefined && body.services.every((s) => s === 'testing')) delete body.mpeRule;
  return body;
}

/** The taximeter rule: 12 months until 2024-10-14, 18 months from 2024-10-15 (TT 03/2024/TT-BKHCN). */
export function taximeterTypeBody(overrides: Partial<CreateInstrumentTypeDto> = {}): CreateInstrumentTypeDto {
  return instrumentTypeBody({
    nameVi: 'Taximet',
    nameEn: 'Taximeter',
    measuredQuantity: 'distance/time (fare)',
    unit: 'km',
    cycles: [
      { cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN', dataQuality: 'uncertain' },
      { cycleMonths: 18, effectiveFrom: '2024-10-15', legalBasis: 'TT 03/2024/TT-BKHCN' },
    ],
    ...overrides,
  });
}

/** Áp kế lò xo: MPE = class % of the span (ĐLVN 08:2011). */
export function pressureGaugeTypeBody(overrides: Partial<CreateInstrumentTypeDto> = {}): CreateInstrumentTypeDto {
  return instrumentTypeBody({
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
    ...overrides,
  });
}

/** Cột đo xăng dầu: MPE ±0.5 % of the delivered volume (ĐLVN 10:2017), 12-month cycle. */
export function fuelDispenserTypeBody(overrides: Partial<CreateInstrumentTypeDto> = {}): CreateInstrumentTypeDto {
  return instrumentTypeBody({
    nameVi: 'Cột đo xăng dầu',
    nameEn: 'Fuel dispenser',
    measuredQuantity: 'volume',
    unit: 'L',
    services: ['verification_initial', 'verification_periodic', 'verification_after_repair'],
    procedures: [{ code: 'ĐLVN 10', version: '2017' }],
    mpeRule: { kind: 'percent_of_reading', p: 0.5 },
    cycles: [{ cycleMonths: 12, effectiveFrom: '2013-11-15', legalBasis: 'TT 23/2013/TT-BKHCN' }],
    ...overrides,
  });
}

export function instrumentBody(
  ownerId: string,
  instrumentTypeId: string,
  overrides: Partial<CreateInstrumentDto> = {},
): CreateInstrumentDto {
  return {
    ownerId,
    instrumentTypeId,
    manufacturer: 'Tatsuno',
    model: 'SUNNY-2',
    serialNumber: `SN-${next()}-${randomInt(1e9)}`,
    accuracyClass: '0.5',
    rangeMin: '5',
    rangeMax: '60',
    rangeUnit: 'L/min',
    resolution: '0.01',
    ...overrides,
  };
}

/** A new instrument described in a request item (not yet registered: no owner, no resolution). */
export function requestInstrumentBody(instrumentTypeId: string, overrides: Record<string, unknown> = {}) {
  return {
    instrumentTypeId,
    manufacturer: 'Tatsuno',
    model: 'SUNNY-2',
    serialNumber: `TS-${randomBytes(3).toString('hex')}-${next()}`,
    accuracyClass: '0.5',
    rangeMin: '5',
    rangeMax: '60',
    rangeUnit: 'L/min',
    ...overrides,
  };
}

export function standardBody(overrides: Partial<CreateStandardDto> = {}): CreateStandardDto {
  const n = next();
  return {
    code: `STD-${n}-${randomInt(1e6)}`,
    name: `Bình chuẩn kim loại ${n}`,
    level: 'working',
    quantity: 'volume',
    unit: 'L',
    rangeMin: '0',
    rangeMax: '20',
    accuracyClass: '0.05',
    custodianSection: 'Phòng Đo lường Dung tích',
    ...overrides,
  };
}

export function calibrationBody(overrides: Partial<CreateCalibrationDto> = {}): CreateCalibrationDto {
  return {
    issuingLab: 'Viện Đo lường Việt Nam (VMI)',
    certificateNumber: `V07.${next()}.${randomInt(1e6)}`,
    calibrationDate: '2024-03-01',
    dueDate: '2025-03-01',
    externalReference: { kind: 'national_standard', name: 'Chuẩn quốc gia dung tích — VMI' },
    values: [{ nominal: '20', value: '20.0012', unit: 'L', expandedUncertainty: '0.0016', coverageFactor: '2' }],
    ...overrides,
  };
}

// ——— People and businesses (through the services) ———

export interface StaffSession {
  token: string;
  userId: string;
  username: string;
  /** Who this person is to a service called directly (what the audit trail names). */
  principal: StaffPrincipal;
}

let clients = 0;
/**
 * A client address of its own for a simulated caller, from 198.18.0.0/15 (RFC 2544, benchmarking):
 * only ever a header value (the test system trusts X-Forwarded-For from loopback); nothing is sent there.
 */
export function clientAddress(): string {
  clients = (clients + 1) % 131_072;
  return `198.${18 + (clients >> 16)}.${(clients >> 8) & 255}.${clients & 255}`;
}

/** An active staff user with these roles, made through UserService and logged in over HTTP. */
export async function staffSession(sys: TestSystem, roles: StaffRole[], username?: string): Promise<StaffSession> {
  const name = username ?? `${roles[0] ?? 'staff'}.${suffix()}`;
  const password = randomBytes(18).toString('base64url');
  const user = await sys.app
    .get(UserService)
    .create({ username: name, fullName: `Test ${name}`, roles, password }, TEST_SETUP);
  // Each from its own address, as staff at their own desks: the per-address login limit is no test's concern.
  const res = await sys
    .http()
    .post('/auth/login')
    .set('X-Forwarded-For', clientAddress())
    .send({ username: name, password });
  if (res.status !== 200) throw new Error(`login of ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    token: res.body.accessToken as string,
    userId: user.id,
    username: user.username,
    principal: staffPrincipal(user),
  };
}

/** Who issues the keys businessKey() makes: one reception account per test system. */
const issuers = new WeakMap<TestSystem, Promise<StaffPrincipal>>();

/** An API key of the organization, made through ApiKeyService: the raw key for the X-Api-Key header. */
export async function businessKey(sys: TestSystem, organizationId: string): Promise<string> {
  let issuer = issuers.get(sys);
  if (!issuer) {
    issuer = sys.app
      .get(UserService)
      .create(
        {
          username: `key-issuer.${suffix()}`,
          fullName: 'Test key issuer',
          roles: ['reception'],
          password: randomBytes(18).toString('base64url'),
        },
        TEST_SETUP,
      )
      .then((u) => staffPrincipal(u));
    issuers.set(sys, issuer);
  }
  const created = await sys.app
    .get(ApiKeyService)
    .create(organizationId, { name: `test key ${suffix()}` }, await issuer);
  return created.key;
}

/** An organization, made through OrganizationService. */
export async function createOrganization(
  sys: TestSystem,
  overrides: Partial<CreateOrganizationDto> = {},
): Promise<OrganizationView> {
  return sys.app.get(OrganizationService).create(organizationBody(overrides), TEST_SETUP);
}

/** A customer: an organization and an API key of its own (`as(sys, customer)` calls as that business). */
export async function createCustomer(
  sys: TestSystem,
  overrides: Partial<CreateOrganizationDto> = {},
): Promise<{ id: string; key: string }> {
  const org = await createOrganization(sys, overrides);
  return { id: org.id, key: await businessKey(sys, org.id) };
}

export interface Grant {
  instrumentTypeId: string | null;
  service: string;
  activity: 'perform' | 'approve';
  validFrom?: string;
  validUntil?: string;
  reference?: string;
}

/** Personnel authorisations granted by the admin over HTTP (valid from 2024-01-01 unless given). */
export async function authorise(
  sys: TestSystem,
  admin: StaffSession,
  user: StaffSession,
  grants: Grant[],
): Promise<void> {
  for (const g of grants) {
    ok(
      await as(sys, admin).post(`/users/${user.userId}/authorisations`, { validFrom: '2024-01-01', ...g }),
      `authorise ${user.username} to ${g.activity} ${g.service}`,
    );
  }
}

/** A technician authorised (from yesterday unless given) to perform each service on its type. */
export async function createTechnician(
  sys: TestSystem,
  admin: StaffSession,
  grants: Omit<Grant, 'activity'>[],
): Promise<StaffSession> {
  const tech = await staffSession(sys, ['technician']);
  await authorise(
    sys,
    admin,
    tech,
    grants.map((g) => ({ validFrom: inDays(-1), reference: 'QĐ 12/QĐ-TĐC', ...g, activity: 'perform' as const })),
  );
  return tech;
}

// ——— The registry over HTTP, as staff ———

export async function createInstrumentType(
  sys: TestSystem,
  by: StaffSession,
  body: CreateInstrumentTypeDto = instrumentTypeBody(),
): Promise<Body> {
  return ok(await as(sys, by).post('/instrument-types', body), `create instrument type ${body.code}`);
}

export async function createInstrument(
  sys: TestSystem,
  by: StaffSession,
  ownerId: string,
  typeId: string,
  overrides: Partial<CreateInstrumentDto> = {},
): Promise<Body> {
  return ok(await as(sys, by).post('/instruments', instrumentBody(ownerId, typeId, overrides)), 'create instrument');
}

/** A standard with one calibration certificate (values with U and k). */
export async function createStandardWithCertificate(
  sys: TestSystem,
  by: StaffSession,
  standard: Partial<CreateStandardDto> = {},
  certificate: Partial<CreateCalibrationDto> = {},
): Promise<{ standard: Body; certificate: Body }> {
  const s = ok(await as(sys, by).post('/standards', standardBody(standard)), 'create standard');
  const c = ok(
    await as(sys, by).post(`/standards/${s.id}/calibrations`, calibrationBody(certificate)),
    'record standard calibration',
  );
  return { standard: s, certificate: c };
}

/** A standard usable today: calibrated a month ago, due in 11 months, unless given. */
export async function createUsableStandard(
  sys: TestSystem,
  by: StaffSession,
  overrides: Partial<CreateStandardDto> = {},
  calibration: { calibrationDate?: string; dueDate?: string } = {},
): Promise<Body> {
  const { standard } = await createStandardWithCertificate(sys, by, overrides, {
    calibrationDate: calibration.calibrationDate ?? inDays(-30),
    dueDate: calibration.dueDate ?? inDays(335),
  });
  return standard;
}

/** Direct service access for integration specs (no HTTP, no auth), with the same bodies. */
export function registry(sys: TestSystem) {
  const organizations = sys.app.get(OrganizationService);
  const types = sys.app.get(InstrumentTypeService);
  const instruments = sys.app.get(InstrumentService);
  const standards = sys.app.get(StandardService);
  return {
    organizations,
    types,
    instruments,
    standards,
    organization: async (o: Partial<CreateOrganizationDto> = {}) => createOrganization(sys, o),
    type: async (o: Partial<CreateInstrumentTypeDto> = {}) => types.create(instrumentTypeBody(o), TEST_SETUP),
    taximeterType: async (o: Partial<CreateInstrumentTypeDto> = {}) => types.create(taximeterTypeBody(o), TEST_SETUP),
    instrument: async (ownerId: string, typeId: string, o: Partial<CreateInstrumentDto> = {}) =>
      instruments.create(instrumentBody(ownerId, typeId, o), TEST_SETUP),
    standard: async (o: Partial<CreateStandardDto> = {}) => standards.create(standardBody(o), TEST_SETUP),
  };
}

// ——— Service requests over HTTP ———

export interface BenchItemOptions {
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

/** A request item brought to the bench: submitted, accepted, scheduled today, received (by `reception`). */
export async function benchItem(
  sys: TestSystem,
  reception: StaffSession,
  o: BenchItemOptions,
): Promise<{ requestId: string; itemId: string; labelId: string }> {
  const desk = as(sys, reception);
  const conformity = o.decisionRule ? { conformityStatementRequested: true, decisionRule: o.decisionRule } : {};
  const request = ok(
    await desk.post('/requests', {
      organizationId: o.organizationId,
      place: 'lab',
      items: [{ instrumentId: o.instrumentId, service: o.service, ...conformity }],
    }),
    'submit request',
  );
  const itemId = request.items[0].id as string;
  return toBench(sys, reception, { ...o, requestId: request.id as string, itemId });
}

/** A submitted request's (only) item accepted, scheduled today and received (by `reception`). */
export async function toBench(
  sys: TestSystem,
  reception: StaffSession,
  o: Pick<BenchItemOptions, 'technician' | 'receive' | 'start'> & { requestId: string; itemId: string },
): Promise<{ requestId: string; itemId: string; labelId: string }> {
  const desk = as(sys, reception);
  const accepted = ok(await desk.post(`/requests/${o.requestId}/accept`, {}), 'accept request');
  if (accepted.accepted !== 1)
    throw new Error(`contract review refused the item: ${JSON.stringify(accepted.rejected)}`);
  const base = `/requests/${o.requestId}/items/${o.itemId}`;
  ok(await desk.post(`${base}/schedule`, { technicianId: o.technician.userId, date: today() }), 'schedule');
  const labelId = `TĐC-${suffix()}`;
  if (o.receive !== false) {
    ok(await desk.post(`${base}/receive`, { labelId, condition: 'Nguyên niêm phong' }), 'receive');
    if (o.start) ok(await as(sys, o.technician).post(`${base}/start`, {}), 'start');
  }
  return { requestId: o.requestId, itemId: o.itemId, labelId };
}

export async function itemStatus(
  sys: TestSystem,
  who: StaffSession,
  item: { requestId: string; itemId: string },
): Promise<string> {
  return ok(await as(sys, who).get(`/requests/${item.requestId}/items/${item.itemId}`), 'item').status as string;
}

/** A lab request of `count` new fuel-type instruments for periodic verification, serials `${prefix}-1…`. */
export async function requestOfNewInstruments(
  sys: TestSystem,
  by: StaffSession,
  o: { organizationId: string; instrumentTypeId: string; count: number; serialPrefix: string },
): Promise<Body> {
  return ok(
    await as(sys, by).post('/requests', {
      organizationId: o.organizationId,
      place: 'lab',
      items: Array.from({ length: o.count }, (_, i) => ({
        instrument: requestInstrumentBody(o.instrumentTypeId, { serialNumber: `${o.serialPrefix}-${i + 1}` }),
        service: 'verification_periodic',
      })),
    }),
    `a request of ${o.count} items`,
  );
}
