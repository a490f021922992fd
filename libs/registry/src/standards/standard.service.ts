import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type Page,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { addDays, todayInVietnam } from '../common/dates.js';
import type {
  CalibrationSummary,
  CalibrationView,
  CheckView,
  CreateCalibrationDto,
  CreateCheckDto,
  CreateStandardDto,
  StandardDueItem,
  StandardQuery,
  StandardRef,
  StandardsDuePage,
  StandardsDueQuery,
  StandardStatusView,
  StandardView,
  TraceabilityLinkView,
  TraceabilityView,
  UpdateStandardDto,
} from './dto/standard.dto.js';
import {
  MeasurementStandard,
  StandardCalibration,
  StandardCalibrationValue,
  StandardCheck,
} from './standard.entity.js';
import { standardStatusOn } from './standard-status.js';
import { StandardRepository } from './standard.repository.js';
import { certificateFileView } from './standard-certificate-file.service.js';

/** Far longer than any real chain (province → VMI is 2–4 links); only a guard. */
const MAX_CHAIN = 30;

const ref = (s: MeasurementStandard): StandardRef => ({ id: s.id, code: s.code, name: s.name, level: s.level });

const summary = (c: StandardCalibration): CalibrationSummary => ({
  id: c.id,
  certificateNumber: c.certificateNumber,
  issuingLab: c.issuingLab,
  calibrationDate: c.calibrationDate,
  dueDate: c.dueDate,
  certificateFile: c.certificateFileSha256
    ? certificateFileView(c.standardId, c.id, {
        sha256: c.certificateFileSha256,
        size: c.certificateFileSize ?? 0,
        fileName: c.certificateFileName,
      })
    : null,
});

function toCalibrationView(c: StandardCalibration): CalibrationView {
  return {
    ...summary(c),
    standardId: c.standardId,
    traceableTo: c.traceableToStandardId
      ? { kind: 'standard', ...(c.traceableToStandard ? { standard: ref(c.traceableToStandard) } : {}) }
      : { kind: c.externalReferenceKind!, name: c.externalReferenceName! },
    values: [...(c.values ?? [])]
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((v) => ({
        nominal: v.nominal,
        value: v.value,
        unit: v.unit,
        expandedUncertainty: v.expandedUncertainty,
        coverageFactor: v.coverageFactor,
      })),
    notes: c.notes,
    recordedBy: c.recordedBy,
    createdAt: c.createdAt.toISOString(),
  };
}

function toCheckView(k: StandardCheck): CheckView {
  return {
    id: k.id,
    standardId: k.standardId,
    checkDate: k.checkDate,
    performedBy: k.performedBy,
    passed: k.passed,
    notes: k.notes,
    recordedBy: k.recordedBy,
    createdAt: k.createdAt.toISOString(),
  };
}

function toStandardView(s: MeasurementStandard, latest: StandardCalibration | null): StandardView {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    level: s.level,
    quantity: s.quantity,
    unit: s.unit,
    rangeMin: s.rangeMin,
    rangeMax: s.rangeMax,
    accuracyClass: s.accuracyClass,
    uncertainty: s.uncertainty,
    coverageFactor: s.coverageFactor,
    manufacturer: s.manufacturer,
    model: s.model,
    serialNumber: s.serialNumber,
    custodianSection: s.custodianSection,
    status: s.status,
    latestCalibration: latest ? summary(latest) : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

const staffId = (p: AuditActor): string | null => (p.kind === 'staff' ? p.userId : null);

/** The centre's measurement standards (chuẩn đo lường), their calibrations, intermediate checks and traceability. */
@Injectable()
export class StandardService {
  constructor(
    @InjectRepository(MeasurementStandard) private readonly standards: Repository<MeasurementStandard>,
    @InjectRepository(StandardCalibration) private readonly calibrations: Repository<StandardCalibration>,
    @InjectRepository(StandardCheck) private readonly checks: Repository<StandardCheck>,
    private readonly repository: StandardRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateStandardDto, actor: AuditActor): Promise<StandardView> {
    const entity = this.standards.create({
      code: dto.code,
      name: dto.name,
      level: dto.level,
      quantity: dto.quantity,
      unit: dto.unit,
      rangeMin: dto.rangeMin ?? null,
      rangeMax: dto.rangeMax ?? null,
      accuracyClass: dto.accuracyClass ?? null,
      uncertainty: dto.uncertainty ?? null,
      coverageFactor: dto.coverageFactor ?? null,
      manufacturer: dto.manufacturer ?? null,
      model: dto.model ?? null,
      serialNumber: dto.serialNumber ?? null,
      custodianSection: dto.custodianSection ?? null,
      status: dto.status ?? 'in_service',
    });
    this.checkRange(entity);
    return this.uow.run(async (tx) => {
      const after = toStandardView(await this.saveUnique(tx, entity), null);
      await this.audit.record(tx, {
        actor,
        entity: 'measurement_standard',
        entityId: after.id,
        action: 'create',
        after,
      });
      return after;
    });
  }

  async list(query: StandardQuery): Promise<Page<StandardView>> {
    const rows = await this.repository.list(query);
    const latest = await this.latestCalibrations(rows.map((r) => r.id));
    return toPage(
      rows,
      query.limit,
      (s) => [s.code, s.id],
      (s) => toStandardView(s, latest.get(s.id) ?? null),
    );
  }

  async get(id: string): Promise<StandardView> {
    const s = await this.find(id);
    return toStandardView(s, (await this.latestCalibrations([id])).get(id) ?? null);
  }

  /**
   * The standards that measure these quantities (lower-cased, trimmed), by code: the candidates a
   * contract review checks. In the caller's transaction `tx` when given.
   */
  ofQuantities(tx: Tx | undefined, quantities: readonly string[]): Promise<MeasurementStandard[]> {
    return this.repository.ofQuantities(tx, quantities);
  }

  /**
   * For reverse traceability (libs/notices): the date of a check or calibration of the standard, with
   * a check's verdict (`passed`; null for a calibration); null when the id is not one of its records.
   */
  evidence(
    standardId: string,
    kind: 'intermediate_check' | 'calibration',
    id: string,
  ): Promise<{ date: string; passed: boolean | null } | null> {
    return this.repository.evidence(standardId, kind, id);
  }

  /** The last good check of the standard before `date`: its latest calibration or passed intermediate check. */
  lastGoodBefore(standardId: string, date: string): Promise<string | null> {
    return this.repository.lastGoodBefore(standardId, date);
  }

  async find(id: string): Promise<MeasurementStandard> {
    return this.load(this.standards.manager, id);
  }

  /** The standards with these ids (missing ids are left out), in the caller's transaction `tx` when given. */
  findMany(tx: Tx | undefined, ids: readonly string[]): Promise<MeasurementStandard[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return (tx?.manager ?? this.standards.manager).getRepository(MeasurementStandard).findBy({ id: In([...ids]) });
  }

  /** The certificate values of these standard calibrations, by ordinal. */
  calibrationValues(calibrationIds: readonly string[]): Promise<StandardCalibrationValue[]> {
    if (calibrationIds.length === 0) return Promise.resolve([]);
    return this.standards.manager
      .getRepository(StandardCalibrationValue)
      .find({ where: { calibrationId: In([...calibrationIds]) }, order: { ordinal: 'ASC' } });
  }

  private async load(m: EntityManager, id: string): Promise<MeasurementStandard> {
    const found = await m.getRepository(MeasurementStandard).findOneBy({ id });
    if (!found) throw new NotFoundError('standard', id);
    return found;
  }

  async update(id: string, dto: UpdateStandardDto, actor: AuditActor): Promise<StandardView> {
    return this.uow.run(async (tx) => {
      const entity = await tx.manager
        .getRepository(MeasurementStandard)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw new NotFoundError('standard', id);
      const latest = (await this.latestCalibrations([id], tx.manager)).get(id) ?? null;
      const before = toStandardView(entity, latest);
      Object.assign(entity, dto);
      this.checkRange(entity);
      const after = toStandardView(await this.saveUnique(tx, entity), latest);
      await this.audit.record(tx, {
        actor,
        entity: 'measurement_standard',
        entityId: id,
        action: 'update',
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Records a calibration certificate of the standard and its traceability link. A link to another
   * standard of the centre that would close a cycle in the graph (A traceable to B traceable … to A,
   * through any certificate, past or present) is refused with 409.
   */
  async addCalibration(standardId: string, dto: CreateCalibrationDto, actor: AuditActor): Promise<CalibrationView> {
    checkCalibrationDto(dto);
    return this.uow.run(async (tx) => {
      await this.load(tx.manager, standardId);
      if (dto.traceableToStandardId !== undefined) await this.checkParent(tx, standardId, dto.traceableToStandardId);
      const id = await this.insertCalibration(tx.manager, standardId, dto, actor);
      const after = toCalibrationView(await this.loadCalibration(id, tx.manager));
      await this.audit.record(tx, { actor, entity: 'standard_calibration', entityId: id, action: 'create', after });
      return after;
    });
  }

  /** The parent exists and is not traceable to the standard; under a lock, so two links cannot make a cycle together. */
  private async checkParent(tx: Tx, standardId: string, parentId: string): Promise<void> {
    await this.repository.lockTraceability(tx);
    const parent = await tx.manager.getRepository(MeasurementStandard).findOneBy({ id: parentId });
    if (!parent) {
      throw new UnprocessableError(
        'standard.unknown_parent',
        'The standard this calibration is traceable to does not exist',
        {
          errors: [{ field: 'traceableToStandardId', message: 'no standard has this id' }],
        },
      );
    }
    if (await this.repository.reaches(tx, parent.id, standardId)) {
      throw new ConflictError(
        'standard.traceability_cycle',
        `Standard ${parent.code} is itself traceable to this standard (or is this standard): the link would close a cycle`,
        { errors: [{ field: 'traceableToStandardId', message: 'this link would close a traceability cycle' }] },
      );
    }
  }

  /** The certificate (409 when its number is already recorded for the standard) and its values; returns its id. */
  private async insertCalibration(
    m: EntityManager,
    standardId: string,
    dto: CreateCalibrationDto,
    principal: AuditActor,
  ): Promise<string> {
    let saved: StandardCalibration;
    try {
      saved = await m.getRepository(StandardCalibration).save(
        m.getRepository(StandardCalibration).create({
          standardId,
          issuingLab: dto.issuingLab,
          certificateNumber: dto.certificateNumber,
          calibrationDate: dto.calibrationDate,
          dueDate: dto.dueDate,
          traceableToStandardId: dto.traceableToStandardId ?? null,
          externalReferenceKind: dto.externalReference?.kind ?? null,
          externalReferenceName: dto.externalReference?.name ?? null,
          notes: dto.notes ?? null,
          recordedBy: staffId(principal),
        }),
      );
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_standard_calibration_number') {
        throw new ConflictError(
          'standard.certificate_exists',
          `Certificate ${dto.certificateNumber} is already recorded for this standard`,
          {
            errors: [
              { field: 'certificateNumber', message: 'certificateNumber is already recorded for this standard' },
            ],
          },
        );
      }
      throw e;
    }
    await m.getRepository(StandardCalibrationValue).insert(
      dto.values.map((v, ordinal) => ({
        calibrationId: saved.id,
        ordinal,
        nominal: v.nominal,
        value: v.value ?? null,
        unit: v.unit,
        expandedUncertainty: v.expandedUncertainty,
        coverageFactor: v.coverageFactor,
      })),
    );
    return saved.id;
  }

  async listCalibrations(
    standardId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<CalibrationView>> {
    await this.find(standardId);
    const rows = await this.repository.calibrations(standardId, query);
    return toPage(rows, query.limit, (c) => [c.calibrationDate, c.id], toCalibrationView);
  }

  async addCheck(standardId: string, dto: CreateCheckDto, actor: AuditActor): Promise<CheckView> {
    return this.uow.run(async (tx) => {
      await this.load(tx.manager, standardId);
      const saved = await tx.manager.getRepository(StandardCheck).save(
        this.checks.create({
          standardId,
          checkDate: dto.checkDate,
          performedBy: dto.performedBy,
          passed: dto.passed,
          notes: dto.notes ?? null,
          recordedBy: staffId(actor),
        }),
      );
      const after = toCheckView(saved);
      await this.audit.record(tx, { actor, entity: 'standard_check', entityId: saved.id, action: 'create', after });
      return after;
    });
  }

  async listChecks(standardId: string, query: { limit: number; cursor?: string }): Promise<Page<CheckView>> {
    await this.find(standardId);
    const rows = await this.repository.checks(standardId, query);
    return toPage(rows, query.limit, (k) => [k.checkDate, k.id], toCheckView);
  }

  /**
   * Whether the standard may be used on `date`, and why not. The calibration library calls this and
   * refuses results made with an unusable standard.
   */
  async standardStatus(standardId: string, date: string = todayInVietnam()): Promise<StandardStatusView> {
    const standard = await this.find(standardId);
    const [calibrations, checks] = await Promise.all([
      this.calibrations.find({ where: { standardId }, order: { calibrationDate: 'ASC', createdAt: 'ASC' } }),
      this.checks.find({ where: { standardId }, order: { checkDate: 'ASC', createdAt: 'ASC' } }),
    ]);
    const s = standardStatusOn({ status: standard.status, calibrations, checks }, date);
    return {
      standardId,
      at: date,
      usable: s.usable,
      reasons: s.reasons,
      status: standard.status,
      calibration: s.calibration ? summary(s.calibration) : null,
      lastCheck: s.lastCheck ? toCheckView(s.lastCheck) : null,
    };
  }

  /**
   * The chain of calibrations from this standard up to where it leaves the centre. Each link is
   * judged on the date it was relied on: the first on `at` (is the standard in calibration when it is
   * used?), each next one on the calibration date of the link below (was the parent in calibration
   * when it calibrated the child?). That is what makes a result traceable; a parent's later lapse
   * does not break a chain that was whole when the child was calibrated.
   */
  async traceability(standardId: string, at: string = todayInVietnam()): Promise<TraceabilityView> {
    let current = await this.find(standardId);
    let evaluatedAt = at;
    const links: TraceabilityLinkView[] = [];
    let end: TraceabilityView['end'] = null;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      const cert = await this.repository.calibrationOn(current.id, evaluatedAt);
      links.push({
        standard: ref(current),
        evaluatedAt,
        valid: !!cert && cert.dueDate >= evaluatedAt,
        certificate: cert ? toCalibrationView(cert) : null,
      });
      if (!cert) break;
      if (!cert.traceableToStandard) {
        end = { kind: cert.externalReferenceKind!, name: cert.externalReferenceName! };
        break;
      }
      current = cert.traceableToStandard;
      evaluatedAt = cert.calibrationDate;
    }
    return {
      standardId,
      at,
      links,
      end,
      reachesNationalStandard: end?.kind === 'national_standard',
      valid: end !== null && links.every((l) => l.valid),
    };
  }

  /** Standards (not retired) whose latest calibration falls due by asOf + within days, or that were never calibrated (listed first). */
  async due(query: StandardsDueQuery): Promise<StandardsDuePage> {
    const asOf = query.asOf ?? todayInVietnam();
    const until = addDays(asOf, query.within);
    const rows = await this.repository.due({ ...query, until, asOf });
    const page = toPage(
      rows,
      query.limit,
      (r) => [r.sort_key, r.id],
      (r): StandardDueItem => ({
        standard: { id: r.id, code: r.code, name: r.name, level: r.level },
        dueDate: r.due_date,
        daysUntilDue: r.days_until_due,
        overdue: r.days_until_due === null || r.days_until_due < 0,
        certificateNumber: r.certificate_number,
        custodianSection: r.custodian_section,
      }),
    );
    return { ...page, asOf, dueOnOrBefore: until };
  }

  private async loadCalibration(id: string, m: EntityManager): Promise<StandardCalibration> {
    return m
      .getRepository(StandardCalibration)
      .findOneOrFail({ where: { id }, relations: { values: true, traceableToStandard: true } });
  }

  private async latestCalibrations(
    standardIds: string[],
    m: EntityManager = this.calibrations.manager,
  ): Promise<Map<string, StandardCalibration>> {
    const out = new Map<string, StandardCalibration>();
    if (!standardIds.length) return out;
    const rows = await m.getRepository(StandardCalibration).find({
      where: { standardId: In(standardIds) },
      order: { calibrationDate: 'ASC', createdAt: 'ASC' },
    });
    for (const r of rows) out.set(r.standardId, r);
    return out;
  }

  private checkRange(s: MeasurementStandard): void {
    if (s.rangeMin !== null && s.rangeMax !== null && Number(s.rangeMin) >= Number(s.rangeMax)) {
      throw new InvalidInputError([{ field: 'rangeMax', message: 'rangeMax must be greater than rangeMin' }]);
    }
  }

  private async saveUnique(tx: Tx, entity: MeasurementStandard): Promise<MeasurementStandard> {
    try {
      return await tx.manager.getRepository(MeasurementStandard).save(entity);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_measurement_standard_code') {
        throw new ConflictError('standard.code_taken', `A standard with code ${entity.code} already exists`, {
          errors: [{ field: 'code', message: 'code is already in use' }],
        });
      }
      throw e;
    }
  }
}

/** Traceable either to a standard of the centre or to an external reference, and due after it was calibrated. */
function checkCalibrationDto(dto: CreateCalibrationDto): void {
  if ((dto.traceableToStandardId !== undefined) === (dto.externalReference !== undefined)) {
    throw new InvalidInputError([
      {
        field: 'traceableToStandardId',
        message:
          'give either traceableToStandardId (a standard of the centre) or externalReference, not both and not neither',
      },
    ]);
  }
  if (dto.dueDate < dto.calibrationDate) {
    throw new InvalidInputError([{ field: 'dueDate', message: 'dueDate must not be before calibrationDate' }]);
  }
}
