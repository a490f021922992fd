import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { todayInVietnam } from '../common/dates.js';
import { InstrumentRepository } from '../instruments/instrument.repository.js';
import { InstrumentTypeRepository } from './instrument-type.repository.js';
import { runCatalogueSeed, type SeedReport } from './catalogue-seed.js';
import type {
  ConfirmMpeRuleDto,
  MpeRuleView,
  CreateCycleDto,
  CreateInstrumentTypeDto,
  CycleInForceView,
  CycleView,
  InstrumentTypeQuery,
  InstrumentTypeView,
  UpdateInstrumentTypeDto,
} from './dto/instrument-type.dto.js';
import { InstrumentType, InstrumentTypeCycle, type ServiceKind } from './instrument-type.entity.js';
import { checkMpeRule, type MpeRule } from './mpe.js';
import { InstrumentTypeMpeRule, isUsableMpeRule, MPE_SERVICES } from './mpe-rule.entity.js';
import { cycleOn, serviceReadiness, typeReadiness, type ServiceReadiness } from './readiness.js';

export { cycleOn };

export function toCycleView(c: InstrumentTypeCycle): CycleView {
  return {
    id: c.id,
    cycleMonths: c.cycleMonths,
    effectiveFrom: c.effectiveFrom,
    legalBasis: c.legalBasis,
    note: c.note,
    dataQuality: c.dataQuality,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
  };
}

export function toMpeRuleView(r: InstrumentTypeMpeRule): MpeRuleView {
  return {
    id: r.id,
    services: r.services,
    rule: r.rule,
    multiplier: r.multiplier,
    sourceDocument: r.sourceDocument,
    sourceClause: r.sourceClause,
    sourceNote: r.sourceNote,
    confidence: r.confidence,
    usable: isUsableMpeRule(r),
    confirmation:
      r.confirmedAt && r.confirmedBy && r.confirmedAgainst
        ? { by: r.confirmedBy, at: r.confirmedAt.toISOString(), against: r.confirmedAgainst }
        : null,
    seedKey: r.seedKey,
  };
}

function toTypeView(
  t: InstrumentType,
  cycles: InstrumentTypeCycle[],
  rules: InstrumentTypeMpeRule[],
  today: string,
): InstrumentTypeView {
  const current = cycleOn(cycles, today);
  const { readyForVerification, readiness } = typeReadiness(t, cycles, rules, today);
  return {
    id: t.id,
    code: t.code,
    nameVi: t.nameVi,
    nameEn: t.nameEn,
    measuredQuantity: t.measuredQuantity,
    unit: t.unit,
    services: t.services,
    typeApprovalRequired: t.typeApprovalRequired,
    procedures: t.procedures,
    mpeRule: rules.find((r) => r.confidence === 'CENTRE')?.rule ?? null,
    mpeRules: rules.map(toMpeRuleView),
    capabilityDivisor: t.capabilityDivisor,
    capabilityEnforced: t.capabilityEnforced,
    readyForVerification,
    readiness,
    active: t.active,
    dataQuality: t.dataQuality,
    sourceNote: t.sourceNote,
    currentCycle: current ? toCycleView(current) : null,
    cycles: cycles.map(toCycleView),
    staffEditedAt: t.staffEditedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/**
 * The centre's own rule (entered through the API by an admin, who answers for it): it applies to
 * every service of the type that an MPE serves and overrides the seeded rules. null removes it.
 */
async function setCentreRule(tx: Tx, type: InstrumentType, rule: MpeRule | null): Promise<void> {
  const repo = tx.manager.getRepository(InstrumentTypeMpeRule);
  await repo.delete({ instrumentTypeId: type.id, confidence: 'CENTRE' });
  if (rule === null) return;
  const services = type.services.filter((s) => MPE_SERVICES.includes(s));
  if (!services.length) {
    throw new InvalidInputError([
      { field: 'mpeRule', message: 'the type offers no verification or calibration for an MPE rule to serve' },
    ]);
  }
  await repo.insert({
    instrumentTypeId: type.id,
    services,
    rule,
    multiplier: '1',
    sourceDocument: 'entered by the centre',
    sourceClause: null,
    sourceNote: null,
    confidence: 'CENTRE',
    confirmedAt: null,
    confirmedBy: null,
    confirmedAgainst: null,
    seedKey: null,
  });
}

function staffId(principal?: AuditActor): string | null {
  return principal?.kind === 'staff' ? principal.userId : null;
}

function assertMpeRule(rule: unknown): void {
  if (rule === undefined || rule === null) return;
  const errors = checkMpeRule(rule);
  if (errors.length) throw new InvalidInputError(errors, 'The MPE rule is not valid');
}

function cycleConflict(effectiveFrom: string): never {
  throw new ConflictError(
    'instrument_type.cycle_exists',
    `A cycle effective from ${effectiveFrom} already exists; history is not edited — add a row with another date`,
    {
      errors: [{ field: 'effectiveFrom', message: `a cycle effective from ${effectiveFrom} already exists` }],
    },
  );
}

/** The catalogue of instrument types and their verification-cycle history. */
@Injectable()
export class InstrumentTypeService {
  constructor(
    @InjectRepository(InstrumentType) private readonly types: Repository<InstrumentType>,
    @InjectRepository(InstrumentTypeCycle) private readonly cycles: Repository<InstrumentTypeCycle>,
    @InjectRepository(InstrumentTypeMpeRule) private readonly rules: Repository<InstrumentTypeMpeRule>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly instrumentRows: InstrumentRepository,
    private readonly repository: InstrumentTypeRepository,
  ) {}

  async create(dto: CreateInstrumentTypeDto, actor: AuditActor): Promise<InstrumentTypeView> {
    assertMpeRule(dto.mpeRule);
    const dates = (dto.cycles ?? []).map((c) => c.effectiveFrom);
    const dup = dates.findIndex((d, i) => dates.indexOf(d) !== i);
    if (dup >= 0)
      throw new InvalidInputError([
        { field: `cycles[${dup}].effectiveFrom`, message: 'two cycles have the same effective date' },
      ]);
    return this.uow.run(async (tx) => {
      const { cycles, mpeRule, ...fields } = dto;
      const type = tx.manager.getRepository(InstrumentType).create({
        ...fields,
        procedures: fields.procedures ?? [],
        sourceNote: fields.sourceNote ?? null,
        staffEditedAt: new Date(),
      });
      const saved = await this.saveUnique(tx, type);
      for (const c of cycles ?? [])
        await tx.manager.getRepository(InstrumentTypeCycle).save(this.newCycle(saved.id, c, actor));
      if (mpeRule) await setCentreRule(tx, saved, mpeRule);
      const after = await this.viewIn(tx.manager, saved.id);
      await this.audit.record(tx, { actor, entity: 'instrument_type', entityId: saved.id, action: 'create', after });
      return after;
    });
  }

  async list(query: InstrumentTypeQuery): Promise<Page<InstrumentTypeView>> {
    const rows = await this.repository.list(query);
    const ids = rows.map((r) => r.id);
    const [cycles, rules] = await Promise.all([this.cyclesOf(ids), this.rulesOf(ids)]);
    const today = todayInVietnam();
    return toPage(
      rows,
      query.limit,
      (t) => [t.code, t.id],
      (t) => toTypeView(t, cycles.get(t.id) ?? [], rules.get(t.id) ?? [], today),
    );
  }

  async get(id: string): Promise<InstrumentTypeView> {
    const type = await this.find(id);
    const [cycles, rules] = await Promise.all([this.cyclesOf([id]), this.rulesOf([id])]);
    return toTypeView(type, cycles.get(id) ?? [], rules.get(id) ?? [], todayInVietnam());
  }

  /** The type's view as `m` (a use case's transaction) sees it: what its audit entries show before and after. */
  private async viewIn(m: EntityManager, id: string, type?: InstrumentType): Promise<InstrumentTypeView> {
    type ??= await this.load(m, id);
    const cycles = await m
      .getRepository(InstrumentTypeCycle)
      .find({ where: { instrumentTypeId: id }, order: { effectiveFrom: 'ASC' } });
    return toTypeView(type, cycles, await this.rulesIn(m, id), todayInVietnam());
  }

  /** The MPE rules of a type (the centre's and the seeded ones), oldest first. */
  async mpeRules(typeId: string): Promise<InstrumentTypeMpeRule[]> {
    return this.rulesIn(this.rules.manager, typeId);
  }

  private async rulesIn(m: EntityManager, typeId: string): Promise<InstrumentTypeMpeRule[]> {
    return m.getRepository(InstrumentTypeMpeRule).find({
      where: { instrumentTypeId: typeId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Whether a service can be done for a type on a date, and what is missing (contract review,
   * approval); in the caller's transaction when given.
   */
  async readiness(tx: Tx | undefined, typeId: string, service: ServiceKind, date: string): Promise<ServiceReadiness> {
    const manager = tx?.manager ?? this.types.manager;
    const type = await this.load(manager, typeId);
    const cycles = await manager.getRepository(InstrumentTypeCycle).find({
      where: { instrumentTypeId: typeId },
      order: { effectiveFrom: 'ASC' },
    });
    return serviceReadiness(type, cycles, await this.rulesIn(manager, typeId), service, date);
  }

  /**
   * An admin (the quality manager) confirms a SECONDARY or UNCERTAIN rule against a document; from
   * then on it gives verdicts. Who, when and which document are kept on the rule and in the audit trail.
   */
  async confirmMpeRule(
    typeId: string,
    ruleId: string,
    dto: ConfirmMpeRuleDto,
    principal: Principal,
  ): Promise<InstrumentTypeView> {
    if (principal.kind !== 'staff') throw new ForbiddenError('access.denied', 'Only an admin confirms MPE rules');
    await this.uow.run(async (tx) => {
      const rule = await tx.manager
        .getRepository(InstrumentTypeMpeRule)
        .findOne({ where: { id: ruleId, instrumentTypeId: typeId }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw new NotFoundError('mpe_rule', ruleId);
      if (rule.confirmedAt)
        throw new ConflictError(
          'mpe_rule.already_confirmed',
          `This rule was confirmed on ${rule.confirmedAt.toISOString()} against ${rule.confirmedAgainst}`,
        );
      if (rule.confidence === 'VERIFIED' || rule.confidence === 'CENTRE')
        throw new ConflictError(
          'mpe_rule.confirmation_not_needed',
          `A ${rule.confidence} rule gives verdicts without confirmation`,
        );
      const confirmedAt = new Date();
      await tx.manager
        .getRepository(InstrumentTypeMpeRule)
        .update({ id: rule.id }, { confirmedAt, confirmedBy: principal.userId, confirmedAgainst: dto.document });
      await this.audit.record(tx, {
        actor: principal,
        entity: 'mpe_rule',
        entityId: rule.id,
        action: 'confirm',
        before: { confidence: rule.confidence, confirmed: false },
        after: {
          instrumentTypeId: typeId,
          confidence: rule.confidence,
          confirmed: true,
          against: dto.document,
          services: rule.services,
          rule: rule.rule,
          multiplier: rule.multiplier,
        },
        reason: dto.note ?? null,
      });
    });
    return this.get(typeId);
  }

  async find(id: string): Promise<InstrumentType> {
    return this.load(this.types.manager, id);
  }

  /** The types with these ids (missing ids are left out), in the caller's transaction `tx` when given. */
  async findMany(tx: Tx | undefined, ids: readonly string[]): Promise<InstrumentType[]> {
    if (ids.length === 0) return [];
    return (tx?.manager ?? this.types.manager).getRepository(InstrumentType).findBy({ id: In([...new Set(ids)]) });
  }

  private async load(m: EntityManager, id: string): Promise<InstrumentType> {
    const found = await m.getRepository(InstrumentType).findOneBy({ id });
    if (!found) throw new NotFoundError('instrument_type', id);
    return found;
  }

  /** A staff correction: the row is marked so that re-running the seed does not undo it. */
  async update(id: string, dto: UpdateInstrumentTypeDto, actor: AuditActor): Promise<InstrumentTypeView> {
    assertMpeRule(dto.mpeRule);
    const { mpeRule, ...fields } = dto;
    return this.uow.run(async (tx) => {
      const type = await tx.manager
        .getRepository(InstrumentType)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!type) throw new NotFoundError('instrument_type', id);
      const before = await this.viewIn(tx.manager, id, type);
      Object.assign(type, fields, { staffEditedAt: new Date() });
      await this.saveUnique(tx, type);
      if (mpeRule !== undefined) await setCentreRule(tx, type, mpeRule);
      const after = await this.viewIn(tx.manager, id);
      await this.audit.record(tx, { actor, entity: 'instrument_type', entityId: id, action: 'update', before, after });
      return after;
    });
  }

  /**
   * Adds a period to the cycle history (never edits one). Instruments whose last verification falls
   * in the new period get their next due date recomputed in the same transaction.
   */
  async addCycle(
    id: string,
    dto: CreateCycleDto,
    actor: AuditActor,
  ): Promise<CycleView & { instrumentsRecomputed: number }> {
    return this.uow.run(async (tx) => {
      await this.load(tx.manager, id);
      let saved: InstrumentTypeCycle;
      try {
        saved = await tx.manager.getRepository(InstrumentTypeCycle).save(this.newCycle(id, dto, actor));
      } catch (e) {
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) cycleConflict(dto.effectiveFrom);
        throw e;
      }
      const instrumentsRecomputed = await this.instrumentRows.recomputeNextDueForType(tx, id, dto.effectiveFrom);
      const after = { ...toCycleView(saved), instrumentsRecomputed };
      await this.audit.record(tx, {
        actor,
        entity: 'instrument_type_cycle',
        entityId: saved.id,
        action: 'create',
        after: { instrumentTypeId: id, ...after },
      });
      return after;
    });
  }

  async listCycles(id: string, query: { limit: number; cursor?: string }): Promise<Page<CycleView>> {
    await this.find(id);
    const rows = await this.repository.cycles(id, query);
    return toPage(rows, query.limit, (c) => [c.effectiveFrom, c.id], toCycleView);
  }

  /** The verification cycle in force for a type on a date; null when none is known (not the same as "no periodic verification"). */
  async cycleInForce(id: string, date: string): Promise<CycleView | null> {
    await this.find(id);
    const row = await this.repository.cycleOn(id, date);
    return row ? toCycleView(row) : null;
  }

  async cycleInForceView(id: string, at?: string): Promise<CycleInForceView> {
    const date = at ?? todayInVietnam();
    return { instrumentTypeId: id, at: date, cycle: await this.cycleInForce(id, date) };
  }

  /** `npm run seed:catalogue` does the same from the command line. */
  async seedShippedCatalogue(): Promise<SeedReport> {
    return (await runCatalogueSeed(this.dataSource, { onlyIfEmpty: false }))!;
  }

  private newCycle(typeId: string, c: CreateCycleDto, principal: AuditActor): InstrumentTypeCycle {
    return this.cycles.create({
      instrumentTypeId: typeId,
      cycleMonths: c.cycleMonths,
      effectiveFrom: c.effectiveFrom,
      legalBasis: c.legalBasis,
      note: c.note ?? null,
      dataQuality: c.dataQuality ?? 'confirmed',
      createdBy: staffId(principal),
    });
  }

  private async rulesOf(typeIds: string[]): Promise<Map<string, InstrumentTypeMpeRule[]>> {
    const out = new Map<string, InstrumentTypeMpeRule[]>();
    if (!typeIds.length) return out;
    const rows = await this.rules.find({
      where: { instrumentTypeId: In(typeIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) out.set(r.instrumentTypeId, [...(out.get(r.instrumentTypeId) ?? []), r]);
    return out;
  }

  private async cyclesOf(typeIds: string[]): Promise<Map<string, InstrumentTypeCycle[]>> {
    const out = new Map<string, InstrumentTypeCycle[]>();
    if (!typeIds.length) return out;
    const rows = await this.cycles.find({ where: { instrumentTypeId: In(typeIds) }, order: { effectiveFrom: 'ASC' } });
    for (const r of rows) out.set(r.instrumentTypeId, [...(out.get(r.instrumentTypeId) ?? []), r]);
    return out;
  }

  private async saveUnique(tx: Tx, type: InstrumentType): Promise<InstrumentType> {
    try {
      return await tx.manager.getRepository(InstrumentType).save(type);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_instrument_type_code') {
        throw new ConflictError(
          'instrument_type.code_taken',
          `An instrument type with code ${type.code} already exists`,
          {
            errors: [{ field: 'code', message: 'code is already in use' }],
          },
        );
      }
      throw e;
    }
  }
}
