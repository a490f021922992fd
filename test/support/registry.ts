import { randomInt } from 'node:crypto';
import {
  InstrumentService,
  InstrumentTypeService,
  OrganizationService,
  StandardService,
  type CreateCalibrationDto,
  type CreateInstrumentDto,
  type CreateInstrumentTypeDto,
  type CreateOrganizationDto,
  type CreateStandardDto,
} from '#libs/registry';
import type { TestSystem } from './system.js';

/** Small factories for registry test data, through the services (integration tests) or as request bodies (e2e). */

let counter = 0;
const next = (): number => ++counter;

/** A tax code no other test in this process has used. */
export function uniqueTaxCode(): string {
  return `${String(randomInt(10 ** 9)).padStart(9, '0')}${next() % 10}`;
}

export function organizationBody(overrides: Partial<CreateOrganizationDto> = {}): CreateOrganizationDto {
  return {
    name: `Công ty TNHH Thử nghiệm ${next()}`,
    taxCode: uniqueTaxCode(),
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
    // Ready for verification (issue 9): a procedure, a cycle and the centre's own MPE rule.
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

/** Direct service access for integration specs (no HTTP, no auth). */
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
    organization: async (o: Partial<CreateOrganizationDto> = {}) => organizations.create(organizationBody(o)),
    type: async (o: Partial<CreateInstrumentTypeDto> = {}) => types.create(instrumentTypeBody(o)),
    taximeterType: async (o: Partial<CreateInstrumentTypeDto> = {}) => types.create(taximeterTypeBody(o)),
    instrument: async (ownerId: string, typeId: string, o: Partial<CreateInstrumentDto> = {}) =>
      instruments.create(instrumentBody(ownerId, typeId, o)),
    standard: async (o: Partial<CreateStandardDto> = {}) => standards.create(standardBody(o)),
  };
}
