import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import { AuditTrail, toRecordTable, type AuditActor, type AuditEntry } from '#libs/audit';
import {
  ConflictError,
  insertMany,
  InvalidInputError,
  NotFoundError,
  organizationScope,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type FieldError,
  type Page,
  type Principal,
  sameDimension,
  type MatchMode,
  type RankedRow,
  type SearchTerms,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { AdminUnitService, type AddressUnits } from '../admin-units/admin-unit.service.js';
import { addDays, todayInVietnam } from '../common/dates.js';
import { isVerification, InstrumentType, type ServiceKind } from '../instrument-types/instrument-type.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import type {
  CreateInstrumentDto,
  DueItemView,
  DuePage,
  DueQuery,
  InstrumentQuery,
  InstrumentView,
  PlaceOfUseDto,
  ServiceRecordView,
  UpdateInstrumentDto,
} from './dto/instrument.dto.js';
import { Instrument, InstrumentServiceRecord } from './instrument.entity.js';
import {
  identityKey,
  InstrumentRepository,
  type DueRow,
  type InstrumentSummary,
  type RecordWrite,
  type RegisteredInstrument,
} from './instrument.repository.js';

export type { InstrumentSummary, RegisteredInstrument } from './instrument.repository.js';

/** What the calibration workflow (or staff loading the books) reports about one service. */
export interface ServiceOutcome {
  service: ServiceKind;
  /** Date performed, YYYY-MM-DD. */
  date: string;
  /** Required for a verification; null/absent for a calibration without a statement of conformity. */
  passed?: boolean | null;
  certificateNumber?: string | null;
}

/** The instrument's due date and the verification it was computed from. */
export interface DueState {
  nextDueDate: string | null;
  lastVerification: { date: string; passed: boolean } | null;
}

export interface RecordOutcomeOptions {
  origin?: 'import' | 'approval';
  recordedBy?: string | null;
}

export function toInstrumentView(i: Instrument): InstrumentView {
  return { ...instrumentFields(i), createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString() };
}

/**
 * The view without the row's timestamps: also what the audit trail keeps of an instrument before and
 * after a change (the entry has its own time; a bulk registration knows no row's).
 */
function instrumentFields(i: Instrument): Omit<InstrumentView, 'createdAt' | 'updatedAt'> {
  return {
    id: i.id,
    owner: { id: i.ownerId, name: i.owner?.name ?? '' },
    instrumentType: {
      id: i.instrumentTypeId,
      code: i.instrumentType?.code ?? '',
      nameVi: i.instrumentType?.nameVi ?? '',
      unit: i.instrumentType?.unit ?? '',
    },
    manufacturer: i.manufacturer,
    model: i.model,
    serialNumber: i.serialNumber,
    labelCode: i.labelCode,
    accuracyClass: i.accuracyClass,
    rangeMin: i.rangeMin,
    rangeMax: i.rangeMax,
    rangeUnit: i.rangeUnit,
    resolution: i.resolution,
    resolutionUnit: i.resolutionUnit,
    scaleInterval: i.scaleInterval,
    placeOfUse: {
      siteName: i.siteName,
      streetAddress: i.streetAddress,
      province: i.province,
      district: i.placeDistrict,
      ward: i.ward,
      provinceId: i.placeProvinceUnitId ?? null,
      communeId: i.placeCommuneUnitId ?? null,
    },
    district: i.district,
    provinceId: i.provinceUnitId ?? null,
    communeId: i.communeUnitId ?? null,
    status: i.status,
    lastService: i.lastService
      ? {
          service: i.lastService,
          date: i.lastServiceDate!,
          result: i.lastResult,
          certificateNumber: i.lastCertificateNumber,
        }
      : null,
    lastVerification: i.lastVerificationDate
      ? { date: i.lastVerificationDate, passed: i.lastVerificationPassed === true }
      : null,
    // ?? null: a row a bulk registration built in memory has no due state yet.
    verificationRevokedOn: i.lastVerificationRevokedOn ?? null,
    nextDueDate: i.nextDueDate ?? null,
    calibrationIntervalMonths: i.calibrationIntervalMonths ?? null,
    lastCalibrationDate: i.lastCalibrationDate ?? null,
    nextCalibrationDate: i.nextCalibrationDate ?? null,
  };
}

function toRecordView(r: InstrumentServiceRecord): ServiceRecordView {
  return {
    id: r.id,
    service: r.service,
    date: r.performedOn,
    result: r.result,
    certificateNumber: r.certificateNumber,
    revokedOn: r.revokedOn,
    origin: r.origin,
    recordedBy: r.recordedBy,
    createdAt: r.createdAt.toISOString(),
  };
}

function placeColumns(
  place: PlaceOfUseDto | null | undefined,
): Pick<Instrument, 'siteName' | 'streetAddress' | 'province' | 'placeDistrict' | 'ward'> {
  return {
    siteName: place?.siteName ?? null,
    streetAddress: place?.streetAddress ?? null,
    province: place?.province ?? null,
    placeDistrict: place?.district ?? null,
    ward: place?.ward ?? null,
  };
}

/**
 * The address a recall visit goes to: the place of use's units when it names any, else the owner's
 * (copied, like `district`; a later change of the owner's address is not propagated).
 */
function recallUnits(
  place: AddressUnits,
  owner: Pick<Organization, 'provinceUnitId' | 'communeUnitId'> | undefined,
): Pick<Instrument, 'provinceUnitId' | 'communeUnitId'> {
  const own = place.provinceUnitId || place.communeUnitId;
  return {
    provinceUnitId: own ? place.provinceUnitId : (owner?.provinceUnitId ?? null),
    communeUnitId: own ? place.communeUnitId : (owner?.communeUnitId ?? null),
  };
}

/** The columns of a new instrument, as create() and createMany() both store it (`units`: the place's, resolved). */
function newInstrumentColumns(
  dto: Omit<CreateInstrumentDto, 'ownerId'>,
  owner: Organization,
  type: InstrumentType,
  units: AddressUnits,
): Partial<Instrument> {
  const rangeMin = dto.rangeMin ?? null;
  const rangeMax = dto.rangeMax ?? null;
  const place = placeColumns(dto.placeOfUse);
  return {
    ownerId: owner.id,
    instrumentTypeId: type.id,
    manufacturer: dto.manufacturer,
    model: dto.model ?? null,
    serialNumber: dto.serialNumber,
    accuracyClass: dto.accuracyClass ?? null,
    rangeMin,
    rangeMax,
    rangeUnit: dto.rangeUnit ?? (rangeMin !== null || rangeMax !== null ? type.unit : null),
    resolution: dto.resolution ?? null,
    resolutionUnit:
      dto.resolutionUnit ??
      (dto.resolution != null || dto.scaleInterval != null ? defaultResolutionUnit(dto, type) : null),
    scaleInterval: dto.scaleInterval ?? null,
    ...place,
    district: place.placeDistrict ?? owner.district,
    placeProvinceUnitId: units.provinceUnitId,
    placeCommuneUnitId: units.communeUnitId,
    ...recallUnits(units, owner),
    status: dto.status ?? 'in_service',
  };
}

/**
 * Quantities carry units: the resolution (and e) of an instrument is a step of what its type measures
 * (g on a type in kg is fine, L/min is not). The range may be of another quantity (a fuel dispenser's
 * flow rate in L/min for a type in L); an MPE that needs it in the reading's unit says so with the result.
 */
export function unitProblems(
  fields: { resolutionUnit?: string | null },
  type: InstrumentType,
  prefix = '',
): FieldError[] {
  const unit = fields.resolutionUnit;
  if (!unit || sameDimension(unit, type.unit)) return [];
  return [
    {
      field: `${prefix}resolutionUnit`,
      message: `${unit} does not measure what ${type.code} measures (${type.unit}); use a unit convertible to ${type.unit}`,
    },
  ];
}

/** The resolution's unit when none is given: the range's when it measures the same, else the type's. */
function defaultResolutionUnit(dto: { rangeUnit?: string | null }, type: InstrumentType): string {
  return dto.rangeUnit && sameDimension(dto.rangeUnit, type.unit) ? dto.rangeUnit : type.unit;
}

function refuseUnits(problems: FieldError[]): void {
  if (problems.length)
    throw new UnprocessableError('instrument.unit_mismatch', problems.map((p) => p.message).join('; '), {
      errors: problems,
    });
}

function checkRange(rangeMin: string | null, rangeMax: string | null): void {
  if (rangeMin !== null && rangeMax !== null && Number(rangeMin) >= Number(rangeMax)) {
    throw new InvalidInputError([{ field: 'rangeMax', message: 'rangeMax must be greater than rangeMin' }]);
  }
}

/**
 * The one audit entry of a bulk registration (a service request's new instruments): a batch entry
 * (libs/audit README) like an import's. Its id is the batch's own; `after.requestId` names the
 * request that registered them when there is one, `after.recordIds` every instrument (GET /audit?
 * entity=instrument&id=… finds the entry by any of them, narrowed to that instrument) and
 * `after.records` each as registered (ids, not labels; no empty field), the owner once, as a
 * RecordTable. One entry instead of one per instrument: at 10,000 instruments the per-instrument
 * entries were the POST's longest statement (≈ 600 ms through the hash chain and four indexes;
 * bench/README.md, requests-10k), and the chain covers the same content.
 */
function registrationEntry(actor: AuditActor, rows: BulkRow[], requestId: string | null): AuditEntry {
  return batchEntry(actor, 'create', rows, { requestId });
}

/**
 * The one audit entry of a spreadsheet import (libs/audit README: a batch entry): its id is the
 * import's, `after.file` the uploaded file's SHA-256 and size, `after.recordIds` names every
 * instrument it created (GET /audit?entity=instrument&id=… finds the entry by any of them) and
 * `after.records` holds each as registered (no empty field), the owner once, as a RecordTable (the
 * fields all rows share once, the others one array each): the hash chain covers what was created,
 * at a sixth of the bytes of one object per instrument (bench/README.md, instrument-import).
 */
function importEntry(actor: AuditActor, rows: BulkRow[], source: ImportSource): AuditEntry {
  return batchEntry(actor, 'import', rows, { format: source.format, rows: source.rows, file: source.file });
}

/**
 * A batch entry (libs/audit README) for new instruments of one owner: its own id, the owner, what
 * the caller says of the batch (`about`), every instrument's id and each as registered, as a RecordTable.
 */
function batchEntry(actor: AuditActor, action: string, rows: BulkRow[], about: Record<string, unknown>): AuditEntry {
  return {
    actor,
    entity: 'instrument',
    entityId: randomUUID(),
    action,
    after: {
      ownerId: rows[0]?.ownerId ?? null,
      ...about,
      recordIds: rows.map((r) => r.id),
      records: toRecordTable(rows, ['id', 'ownerId']),
    },
  };
}

/** The file an import read (for its audit entry). */
export interface ImportSource {
  format: string;
  rows: number;
  /** The uploaded bytes' SHA-256 (hex) and length: which file it was, for whoever holds a copy. */
  file: { sha256: string; bytes: number };
}

/** An address without administrative units. */
const NO_UNITS: AddressUnits = { provinceUnitId: null, communeUnitId: null };

/** The problems of a bulk registration by kind; each refused with its own status and code. */
export interface BulkProblems {
  references: FieldError[];
  /** Place-of-use units unknown, retired or not nested (422 address.bad_unit). */
  places: FieldError[];
  ranges: FieldError[];
  units: FieldError[];
  duplicates: FieldError[];
}

/** A checked new instrument row, ready for insertChecked(). */
export type BulkRow = Partial<Instrument> & NewInstrument;

/** createMany()'s refusals in their order: unknown references (422), ranges (400), units (422), address units (422), duplicates (409). */
function refuseBulkProblems(p: BulkProblems): void {
  if (p.references.length)
    throw new UnprocessableError(
      'instrument.bad_reference',
      'The instrument refers to an unknown or deactivated record',
      { errors: p.references },
    );
  if (p.ranges.length) throw new InvalidInputError(p.ranges);
  refuseUnits(p.units);
  if (p.places.length)
    throw new UnprocessableError('address.bad_unit', p.places.map((e) => e.message).join('; '), {
      errors: p.places,
    });
  if (p.duplicates.length)
    throw new ConflictError('instrument.duplicate', 'Some of these instruments are already registered or repeated', {
      errors: p.duplicates,
    });
}

/** What createMany() returns for each new instrument. */
export type NewInstrument = Pick<
  Instrument,
  'id' | 'ownerId' | 'instrumentTypeId' | 'manufacturer' | 'model' | 'serialNumber'
>;

/** Instruments (phương tiện đo) of the centre's customers, their service history and the due list. */
@Injectable()
export class InstrumentService {
  constructor(
    @InjectRepository(Instrument) private readonly instruments: Repository<Instrument>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: InstrumentRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly units: AdminUnitService,
  ) {}

  /** Instruments by serial number or the centre's label code, ignoring case and diacritics (staff search). */
  search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    return this.repository.search(terms, limit, mode);
  }

  /** A business registers only for itself: its organization replaces whatever ownerId it sent. */
  async create(dto: CreateInstrumentDto, principal: AuditActor): Promise<InstrumentView> {
    const ownerId = (principal.kind === 'business' ? principal.organizationId : undefined) ?? dto.ownerId;
    if (!ownerId) throw new InvalidInputError([{ field: 'ownerId', message: 'ownerId is required' }]);
    const problems: FieldError[] = [];
    const owner = await this.dataSource.getRepository(Organization).findOneBy({ id: ownerId });
    if (!owner) problems.push({ field: 'ownerId', message: 'no organization has this id' });
    else if (!owner.active) problems.push({ field: 'ownerId', message: 'the organization is deactivated' });
    const type = await this.dataSource.getRepository(InstrumentType).findOneBy({ id: dto.instrumentTypeId });
    if (!type) problems.push({ field: 'instrumentTypeId', message: 'no instrument type has this id' });
    if (problems.length)
      throw new UnprocessableError(
        'instrument.bad_reference',
        'The instrument refers to an unknown or deactivated record',
        { errors: problems },
      );
    checkRange(dto.rangeMin ?? null, dto.rangeMax ?? null);
    refuseUnits(unitProblems(dto, type!));
    const units = await this.units.resolveAddress(undefined, dto.placeOfUse ?? {}, 'placeOfUse.');
    const entity = this.instruments.create(newInstrumentColumns(dto, owner!, type!, units));
    return this.uow.run(async (tx) => {
      const saved = await this.saveUnique(tx, entity);
      const after = await this.find(tx, saved.id);
      await this.audit.record(tx, {
        actor: principal,
        entity: 'instrument',
        entityId: saved.id,
        action: 'create',
        after: instrumentFields(after),
      });
      return toInstrumentView(after);
    });
  }

  /**
   * Registers many new instruments of one owner inside the caller's transaction (a service request
   * registers its new instruments so): create()'s rules, checked for all of them before anything is
   * written, errors naming `field(i)` + the field (e.g. `items[3].instrument.serialNumber`); then
   * multi-row INSERTs in chunks (insertMany), not one save() per instrument, and one audit entry by
   * `actor` naming them all (a batch entry; `requestId`, the service request registering them, is in
   * it). Returns the new rows in the order given.
   */
  async createMany(
    tx: Tx,
    actor: AuditActor,
    ownerId: string,
    dtos: Omit<CreateInstrumentDto, 'ownerId'>[],
    {
      field = (i) => `[${i}]`,
      requestId = null,
    }: { field?: (index: number) => string; requestId?: string | null } = {},
  ): Promise<NewInstrument[]> {
    if (dtos.length === 0) return [];
    const { problems, rows } = await this.checkMany(tx, ownerId, dtos, field);
    refuseBulkProblems(problems);
    await this.insertChecked(tx, actor, rows, requestId);
    return rows.map((r) => ({
      id: r.id,
      ownerId: r.ownerId,
      instrumentTypeId: r.instrumentTypeId,
      manufacturer: r.manufacturer,
      model: r.model,
      serialNumber: r.serialNumber,
    }));
  }

  /**
   * create()'s rules for many new instruments of one owner, all of them checked and every problem
   * collected (nothing thrown, nothing written): what createMany() refuses and a spreadsheet import's
   * dry run reports row by row. Rows are built for the instruments whose owner and type exist.
   */
  async checkMany(
    tx: Tx,
    ownerId: string,
    dtos: Omit<CreateInstrumentDto, 'ownerId'>[],
    field: (index: number) => string = (i) => `[${i}]`,
  ): Promise<{ problems: BulkProblems; rows: BulkRow[] }> {
    const manager = tx.manager;
    const problems: BulkProblems = { references: [], places: [], ranges: [], units: [], duplicates: [] };
    const owner = await manager.getRepository(Organization).findOneBy({ id: ownerId });
    if (!owner) problems.references.push({ field: 'ownerId', message: 'no organization has this id' });
    else if (!owner.active) problems.references.push({ field: 'ownerId', message: 'the organization is deactivated' });
    const typeIds = [...new Set(dtos.map((d) => d.instrumentTypeId))];
    const types = new Map(
      (typeIds.length ? await manager.getRepository(InstrumentType).findBy({ id: In(typeIds) }) : []).map((t) => [
        t.id,
        t,
      ]),
    );
    const indexes: number[] = [];
    dtos.forEach((d, i) => {
      const type = types.get(d.instrumentTypeId);
      if (!type)
        problems.references.push({ field: `${field(i)}.instrumentTypeId`, message: 'no instrument type has this id' });
      if (d.rangeMin != null && d.rangeMax != null && Number(d.rangeMin) >= Number(d.rangeMax))
        problems.ranges.push({ field: `${field(i)}.rangeMax`, message: 'rangeMax must be greater than rangeMin' });
      if (!type) return;
      problems.units.push(...unitProblems(d, type, `${field(i)}.`));
      if (owner) indexes.push(i);
    });
    const places = await this.resolvePlaces(
      tx,
      indexes.map((i) => dtos[i]!),
      (n) => field(indexes[n]!),
      problems.places,
    );
    const rows = indexes.map(
      (i, n) =>
        ({
          id: randomUUID(),
          ...newInstrumentColumns(dtos[i]!, owner!, types.get(dtos[i]!.instrumentTypeId)!, places[n]!),
        }) as BulkRow,
    );
    problems.duplicates = await this.duplicateProblems(tx, ownerId, rows, (n) => field(indexes[n]!));
    return { problems, rows };
  }

  /** Multi-row INSERTs in chunks (insertMany) of checked rows, audited by one entry naming them all. */
  async insertChecked(tx: Tx, actor: AuditActor, rows: BulkRow[], requestId: string | null): Promise<void> {
    await this.insertRows(tx, rows);
    if (rows.length) await this.audit.record(tx, registrationEntry(actor, rows, requestId));
  }

  /** Checked rows of a spreadsheet import (insertMany), audited by one entry naming them all. */
  async insertImported(tx: Tx, actor: AuditActor, rows: BulkRow[], source: ImportSource): Promise<void> {
    await this.insertRows(tx, rows);
    if (rows.length) await this.audit.record(tx, importEntry(actor, rows, source));
  }

  private async insertRows(tx: Tx, rows: BulkRow[]): Promise<void> {
    try {
      await insertMany(tx.manager, Instrument, rows);
    } catch (e) {
      // Another transaction registered one of them meanwhile.
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_instrument_identity')
        throw new ConflictError('instrument.duplicate', 'One of the instruments was registered meanwhile; retry');
      throw e;
    }
  }

  /** Each instrument's place-of-use units, checked (problems collected); one lookup per distinct pair (a batch rarely names many). */
  private async resolvePlaces(
    tx: Tx,
    dtos: Omit<CreateInstrumentDto, 'ownerId'>[],
    field: (index: number) => string,
    problems: FieldError[],
  ): Promise<AddressUnits[]> {
    const seen = new Map<string, { units: AddressUnits; errors: FieldError[] }>();
    const out: AddressUnits[] = [];
    for (const [i, d] of dtos.entries()) {
      const place = { provinceId: d.placeOfUse?.provinceId ?? null, communeId: d.placeOfUse?.communeId ?? null };
      const key = `${place.provinceId}/${place.communeId}`;
      if (!place.provinceId && !place.communeId) {
        out.push(NO_UNITS);
        continue;
      }
      if (!seen.has(key)) seen.set(key, await this.checkedPlace(tx, place));
      const { units, errors } = seen.get(key)!;
      problems.push(...errors.map((e) => ({ ...e, field: `${field(i)}.placeOfUse.${e.field}` })));
      out.push(units);
    }
    return out;
  }

  /** One place's units, or the problems of an unknown, retired or misplaced unit (the place then has none). */
  private async checkedPlace(
    tx: Tx,
    place: { provinceId: string | null; communeId: string | null },
  ): Promise<{ units: AddressUnits; errors: FieldError[] }> {
    try {
      return { units: await this.units.resolveAddress(tx, place), errors: [] };
    } catch (e) {
      if (!(e instanceof UnprocessableError)) throw e;
      return { units: NO_UNITS, errors: e.details.errors ?? [] };
    }
  }

  /** The same identity (owner, type, manufacturer, serial) twice in the batch, or already registered. */
  private async duplicateProblems(
    tx: Tx,
    ownerId: string,
    rows: NewInstrument[],
    field: (index: number) => string,
  ): Promise<FieldError[]> {
    if (rows.length === 0) return [];
    const existing = await this.repository.registeredIdentities(tx, ownerId, rows);
    const seen = new Map<string, number>();
    const errors: FieldError[] = [];
    rows.forEach((r, i) => {
      const key = identityKey(r.instrumentTypeId, r.manufacturer, r.serialNumber);
      if (existing.has(key))
        errors.push({
          field: `${field(i)}.serialNumber`,
          message: 'serialNumber is already registered for this owner, type and manufacturer',
        });
      else if (seen.has(key))
        errors.push({
          field: `${field(i)}.serialNumber`,
          message: `the same instrument (type, manufacturer, serial number) is given at ${field(seen.get(key)!)}`,
        });
      else seen.set(key, i);
    });
    return errors;
  }

  async list(query: InstrumentQuery, principal?: Principal): Promise<Page<InstrumentView>> {
    const rows = await this.repository.list({ ...query, scope: organizationScope(principal) });
    return toPage(rows, query.limit, (i) => [i.serialNumber, i.id], toInstrumentView);
  }

  async get(id: string, principal?: Principal): Promise<InstrumentView> {
    return toInstrumentView(await this.find(undefined, id, principal));
  }

  /**
   * For other libraries that show instruments next to their own rows (request items, results): each
   * instrument's identity, type and owner, by id, in one query. Ids with no instrument are absent.
   */
  summaries(ids: readonly string[]): Promise<Map<string, InstrumentSummary>> {
    return this.repository.summaries(ids);
  }

  /** The owner's instruments among these ids (others are left out), in the caller's transaction. */
  registeredOf(tx: Tx, ownerId: string, ids: readonly string[]): Promise<RegisteredInstrument[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repository.registeredOf(tx, ownerId, ids);
  }

  /** Another organization's instrument answers 404, exactly like a missing one. */
  async find(tx: Tx | undefined, id: string, principal?: Principal): Promise<Instrument> {
    const scope = organizationScope(principal);
    const found = await (tx?.manager.getRepository(Instrument) ?? this.instruments).findOne({
      where: scope ? { id, ownerId: scope } : { id },
      relations: { owner: true, instrumentType: true },
    });
    if (!found) throw new NotFoundError('instrument', id);
    return found;
  }

  async update(id: string, dto: UpdateInstrumentDto, actor: AuditActor): Promise<InstrumentView> {
    return this.uow.run(async (tx) => {
      if (!(await this.repository.lock(tx, id))) throw new NotFoundError('instrument', id);
      const entity = await this.find(tx, id);
      const before = instrumentFields(entity);
      await this.applyUpdate(tx, entity, dto);
      const after = await this.find(tx, id);
      await this.audit.record(tx, {
        actor,
        entity: 'instrument',
        entityId: id,
        action: 'update',
        before,
        after: instrumentFields(after),
      });
      return toInstrumentView(after);
    });
  }

  private async applyUpdate(tx: Tx, entity: Instrument, dto: UpdateInstrumentDto): Promise<void> {
    if (entity.status === 'scrapped' && dto.status && dto.status !== 'scrapped') {
      throw new ConflictError(
        'instrument.scrapped',
        'A scrapped instrument cannot be put back into service; register a new one',
      );
    }
    const { placeOfUse, ...fields } = dto;
    Object.assign(entity, fields);
    if (placeOfUse !== undefined) {
      const units = await this.units.resolveAddress(tx, placeOfUse ?? {}, 'placeOfUse.');
      Object.assign(entity, placeColumns(placeOfUse), recallUnits(units, entity.owner), {
        placeProvinceUnitId: units.provinceUnitId,
        placeCommuneUnitId: units.communeUnitId,
      });
      entity.district = entity.placeDistrict ?? entity.owner?.district ?? null;
    }
    checkRange(entity.rangeMin, entity.rangeMax);
    refuseUnits(unitProblems(dto, entity.instrumentType!));
    delete entity.owner;
    delete entity.instrumentType;
    await this.saveUnique(tx, entity);
    if (dto.calibrationIntervalMonths !== undefined) await this.repository.refreshNextCalibration(tx, entity.id);
  }

  /**
   * Records one service the instrument received and recomputes its last service and next due date
   * from the whole history (so books may be loaded in any order). The calibration library calls this
   * when a result is approved, inside its own transaction (`tx`; without one, in a transaction of
   * its own). A service already recorded is refused (409 `instrument.history_duplicate`).
   */
  async recordOutcome(
    tx: Tx | undefined,
    instrumentId: string,
    outcome: ServiceOutcome,
    options: RecordOutcomeOptions = {},
  ): Promise<InstrumentView> {
    return this.uow.run(tx, async (tx) => {
      await this.recordService(tx, instrumentId, outcome, {
        onDuplicate: 'refuse',
        origin: options.origin ?? 'approval',
        recordedBy: options.recordedBy ?? null,
      });
      return toInstrumentView(await this.find(tx, instrumentId));
    });
  }

  /**
   * A past service from the centre's books, entered by staff (POST /instruments/:id/history): recorded
   * like an approval's (recordOutcome) and audited with the instrument before and after.
   */
  async recordPastService(instrumentId: string, outcome: ServiceOutcome, actor: AuditActor): Promise<InstrumentView> {
    return this.uow.run(async (tx) => {
      if (!(await this.repository.lock(tx, instrumentId))) throw new NotFoundError('instrument', instrumentId);
      const before = instrumentFields(await this.find(tx, instrumentId));
      await this.recordOutcome(tx, instrumentId, outcome, {
        origin: 'import',
        recordedBy: actor.kind === 'staff' ? actor.userId : null,
      });
      const after = await this.find(tx, instrumentId);
      await this.audit.record(tx, {
        actor,
        entity: 'instrument',
        entityId: instrumentId,
        action: 'record_service',
        before,
        after: { ...instrumentFields(after), recorded: outcome },
      });
      return toInstrumentView(after);
    });
  }

  /**
   * The issue of a certificate, in its transaction: records the service unless approval already
   * did (one record either way; the next due date is computed once), and returns what the
   * certificate prints about the instrument's due date. A record whose certificate was revoked is
   * reinstated (its `revoked_on` cleared): the new certificate reports that service again. The
   * number is attached afterwards (attachCertificateNumber), once taken: its series stays locked for
   * as short a time as possible. Lean on purpose (a few statements, no entity loading): it runs once
   * per certificate issued.
   */
  async recordCertificate(
    tx: Tx,
    instrumentId: string,
    outcome: ServiceOutcome,
    recordedBy: string | null = null,
  ): Promise<DueState> {
    const { changed, dueState } = await this.recordService(
      tx,
      instrumentId,
      { ...outcome, certificateNumber: null },
      {
        onDuplicate: 'reinstate',
        origin: 'approval',
        recordedBy,
      },
    );
    // Usually approval recorded the service already: the state read with the lock still holds.
    return changed ? this.repository.dueState(tx, instrumentId) : dueState;
  }

  /**
   * The one home of recording a service (instrument, service, date) — for recordOutcome (approval,
   * books loaded by staff) and recordCertificate (issuing) — in the caller's transaction: locks the
   * instrument (concurrent recordings for one instrument each see the others' rows), checks the
   * outcome, inserts the record and recomputes the instrument's due state when the history changed.
   * The two use cases differ only when the record exists already, hence `onDuplicate`:
   * - `refuse`: 409 `instrument.history_duplicate` (a second report of the same service is a mistake);
   * - `reinstate`: nothing to insert, the record is kept (approval recorded it); if its certificate
   *   was revoked, `revoked_on` is cleared (a new certificate reports it again) and the due state recomputed.
   */
  private async recordService(
    tx: Tx,
    instrumentId: string,
    outcome: ServiceOutcome,
    options: RecordWrite,
  ): Promise<{ changed: boolean; dueState: DueState }> {
    await this.checkOutcomeOf(tx, instrumentId, outcome);
    // The lock and the record in one statement; the due state as the lock found it.
    const locked = await this.repository.lockAndWriteServiceRecord(tx, instrumentId, outcome, options);
    if (!locked) throw new NotFoundError('instrument', instrumentId);
    const { written, dueState } = locked;
    if (!written && options.onDuplicate === 'refuse') {
      throw new ConflictError(
        'instrument.history_duplicate',
        `This instrument already has a ${outcome.service} on ${outcome.date}`,
        { errors: [{ field: 'date', message: `a ${outcome.service} on ${outcome.date} is already recorded` }] },
      );
    }
    // Inserted, or a new certificate for a service whose certificate was revoked: recompute.
    if (written) await this.repository.refreshFromHistory(tx, instrumentId);
    return { changed: written, dueState };
  }

  /** checkOutcome, after telling an unknown instrument (404) apart, as when the lock came first. */
  private async checkOutcomeOf(tx: Tx, instrumentId: string, outcome: ServiceOutcome): Promise<void> {
    try {
      this.checkOutcome(outcome);
    } catch (e) {
      if (!(await this.repository.lock(tx, instrumentId))) throw new NotFoundError('instrument', instrumentId);
      throw e;
    }
  }

  /**
   * Puts a certificate number on the record of (instrument, service, date), and on the instrument
   * when that record is its last service (an amendment's new number replaces the old one). One
   * statement, in the caller's transaction.
   */
  async attachCertificateNumber(
    tx: Tx,
    instrumentId: string,
    service: ServiceKind,
    date: string,
    certificateNumber: string,
  ): Promise<void> {
    await this.repository.attachCertificateNumber(tx, instrumentId, service, date, certificateNumber);
  }

  /**
   * The certificate that reported (instrument, service, date) was revoked on `revokedOn`: the record
   * keeps the date and the instrument's due state is recomputed (next-due.ts), in the caller's
   * transaction. Returns the instrument's next due date afterwards, or undefined when no such record
   * exists (e.g. a test report on a sample).
   */
  async recordRevocation(
    tx: Tx,
    instrumentId: string,
    service: ServiceKind,
    date: string,
    revokedOn: string,
  ): Promise<{ nextDueDate: string | null } | undefined> {
    if (!(await this.repository.lock(tx, instrumentId))) return undefined;
    if (!(await this.repository.markRecordRevoked(tx, instrumentId, service, date, revokedOn))) return undefined;
    await this.repository.refreshFromHistory(tx, instrumentId);
    return { nextDueDate: await this.repository.nextDueDate(tx, instrumentId) };
  }

  async history(
    id: string,
    query: { limit: number; cursor?: string },
    principal?: Principal,
  ): Promise<Page<ServiceRecordView>> {
    await this.find(undefined, id, principal);
    const rows = await this.repository.history(id, query);
    return toPage(rows, query.limit, (r) => [r.performedOn, r.id], toRecordView);
  }

  /**
   * The recall list: instruments in service whose next due date is on or before asOf + within days
   * (overdue ones included), by due date then id. Each filter has its own partial index ending in
   * (next_due_date, id), so a page is one index range scan however large the registry.
   */
  async due(query: DueQuery, principal?: Principal): Promise<DuePage> {
    const asOf = query.asOf ?? todayInVietnam();
    const until = addDays(asOf, query.within);
    const rows = await this.repository.due({ ...query, until, asOf, scope: organizationScope(principal) });
    const page = toPage(
      rows,
      query.limit,
      (r) => [r.next_due_date, r.id],
      (r: DueRow): DueItemView => ({
        id: r.id,
        nextDueDate: r.next_due_date,
        daysUntilDue: r.days_until_due,
        // Revoked: unverified now, not merely due (the due date is the revocation date).
        overdue: r.days_until_due < 0 || (query.service !== 'calibration' && r.last_verification_revoked_on !== null),
        owner: { id: r.owner_id, name: r.owner_name },
        instrumentType: { id: r.instrument_type_id, code: r.type_code, nameVi: r.type_name_vi, unit: r.type_unit },
        manufacturer: r.manufacturer,
        model: r.model,
        serialNumber: r.serial_number,
        siteName: r.site_name,
        streetAddress: r.street_address,
        district: r.district,
        province: r.province_unit_id ? { id: r.province_unit_id, name: r.province_name! } : null,
        commune: r.commune_unit_id ? { id: r.commune_unit_id, name: r.commune_name! } : null,
        lastVerificationDate: r.last_verification_date,
        lastCertificateNumber: r.last_certificate_number,
        verificationRevokedOn: r.last_verification_revoked_on,
        service: query.service ?? 'verification',
        lastCalibrationDate: r.last_calibration_date,
      }),
    );
    return { ...page, dueOnOrBefore: until, asOf };
  }

  private checkOutcome(o: ServiceOutcome): void {
    if (isVerification(o.service) && typeof o.passed !== 'boolean') {
      throw new InvalidInputError([
        { field: 'passed', message: 'passed must be true or false (a verification always has a result)' },
      ]);
    }
    if (o.date > todayInVietnam()) {
      throw new UnprocessableError(
        'instrument.outcome_in_future',
        `A service cannot be recorded for ${o.date}, a date still to come`,
        {
          errors: [{ field: 'date', message: 'date must not be in the future' }],
        },
      );
    }
  }

  private async saveUnique(tx: Tx, entity: Instrument): Promise<Instrument> {
    try {
      return await tx.manager.getRepository(Instrument).save(entity);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_instrument_identity') {
        throw new ConflictError(
          'instrument.duplicate',
          `This owner already has a ${entity.manufacturer} instrument of this type with serial number ${entity.serialNumber}`,
          {
            errors: [
              {
                field: 'serialNumber',
                message: 'serialNumber is already registered for this owner, type and manufacturer',
              },
            ],
          },
        );
      }
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_instrument_label_code') {
        throw new ConflictError(
          'instrument.label_code_taken',
          `Another instrument has label code ${entity.labelCode}`,
          {
            errors: [{ field: 'labelCode', message: 'labelCode is already given to another instrument' }],
          },
        );
      }
      throw e;
    }
  }
}
