import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  ConflictError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type FieldError,
  type Page,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { todayInVietnam } from '../common/dates.js';
import { AdminUnit, KINDS_OF_LEVEL, type AdminUnitLevel } from './admin-unit.entity.js';
import { AdminUnitRepository } from './admin-unit.repository.js';
import { UnitNames } from './unit-names.js';
import type {
  AdminUnitQuery,
  AdminUnitRef,
  AdminUnitView,
  CreateAdminUnitDto,
  RetireAdminUnitDto,
} from './dto/admin-unit.dto.js';

const ref = (u: AdminUnit | null | undefined): AdminUnitRef | null =>
  u ? { id: u.id, code: u.code, name: u.name } : null;

export function toAdminUnitView(u: AdminUnit): AdminUnitView {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    level: u.level,
    kind: u.kind,
    parent: ref(u.parent),
    effectiveFrom: u.effectiveFrom,
    effectiveTo: u.effectiveTo,
    successor: ref(u.successor),
    confidence: u.confidence,
    source: u.source,
    confirmedAt: u.confirmedAt?.toISOString() ?? null,
    confirmedBy: u.confirmedBy,
  };
}

/** An address as given: province and/or commune ids (either may be absent). */
export interface AddressUnitsInput {
  provinceId?: string | null;
  communeId?: string | null;
}

/** The address as stored: the province is the commune's when only a commune is given. */
export interface AddressUnits {
  provinceUnitId: string | null;
  communeUnitId: string | null;
}

const levelOf = (kind: AdminUnit['kind']): AdminUnitLevel =>
  KINDS_OF_LEVEL.province.includes(kind) ? 'province' : 'commune';

/**
 * The centre's reference list of administrative units (two tiers since 1 July 2025): list, add,
 * retire (a merger moves the addresses to the successor), confirm a seeded row; and the check of the
 * province/commune an address names.
 */
@Injectable()
export class AdminUnitService {
  constructor(
    private readonly repository: AdminUnitRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async list(query: AdminUnitQuery): Promise<Page<AdminUnitView>> {
    const rows = await this.repository.list(query);
    return toPage(rows, query.limit, (u) => [u.name, u.id], toAdminUnitView);
  }

  async get(id: string): Promise<AdminUnitView> {
    const unit = await this.repository.find(undefined, id);
    if (!unit) throw new NotFoundError('admin_unit', id);
    return toAdminUnitView(unit);
  }

  async create(dto: CreateAdminUnitDto, actor: AuditActor): Promise<AdminUnitView> {
    const level = levelOf(dto.kind);
    return this.uow.run(async (tx) => {
      if (level === 'commune') await this.checkParent(tx, dto.parentId);
      else if (dto.parentId) throw badReference([{ field: 'parentId', message: 'a province has no parent' }]);
      const confidence = dto.confidence ?? 'VERIFIED';
      const unit = Object.assign(new AdminUnit(), {
        code: dto.code,
        name: dto.name,
        level,
        kind: dto.kind,
        parentId: level === 'commune' ? dto.parentId! : null,
        effectiveFrom: dto.effectiveFrom ?? null,
        effectiveTo: null,
        successorId: null,
        confidence,
        source: dto.source,
        // The person entering a VERIFIED unit read it in the source: that is the confirmation.
        confirmedAt: confidence === 'VERIFIED' ? new Date() : null,
        confirmedBy: confidence === 'VERIFIED' ? actorName(actor) : null,
      });
      const saved = await this.saveUnique(tx, unit);
      const after = toAdminUnitView((await this.repository.find(tx, saved.id))!);
      await this.audit.record(tx, { actor, entity: 'admin_unit', entityId: saved.id, action: 'create', after });
      return after;
    });
  }

  /**
   * Retires a unit on `effectiveTo`; with a successor (a merger), every address that refers to it —
   * organizations, instruments, and a province's communes — moves to the successor in the same
   * transaction, so lists and statistics group by current units. Audited with the counts moved.
   */
  async retire(id: string, dto: RetireAdminUnitDto, actor: AuditActor): Promise<AdminUnitView> {
    return this.uow.run(async (tx) => {
      const unit = await this.repository.locked(tx, id);
      if (!unit) throw new NotFoundError('admin_unit', id);
      if (unit.effectiveTo) throw new ConflictError('admin_unit.retired', `The unit ${unit.name} is retired already`);
      const before = toAdminUnitView((await this.repository.find(tx, id))!);
      const successor = dto.successorId ? await this.checkSuccessor(tx, unit, dto.successorId) : null;
      if (unit.effectiveFrom && dto.effectiveTo < unit.effectiveFrom)
        throw badReference([{ field: 'effectiveTo', message: 'effectiveTo must not be before effectiveFrom' }]);
      const moved = successor ? await this.repository.moveReferences(tx, unit, successor) : null;
      Object.assign(unit, { effectiveTo: dto.effectiveTo, successorId: successor?.id ?? null });
      await this.repository.save(tx, unit);
      const after = toAdminUnitView((await this.repository.find(tx, id))!);
      await this.audit.record(tx, {
        actor,
        entity: 'admin_unit',
        entityId: id,
        action: 'retire',
        before,
        after: { ...after, moved },
      });
      return after;
    });
  }

  /** A person checked a seeded (UNCERTAIN / SECONDARY) unit against its source: it becomes VERIFIED. */
  async confirm(id: string, actor: AuditActor): Promise<AdminUnitView> {
    return this.uow.run(async (tx) => {
      const unit = await this.repository.locked(tx, id);
      if (!unit) throw new NotFoundError('admin_unit', id);
      if (unit.confirmedAt)
        throw new ConflictError('admin_unit.already_confirmed', `The unit ${unit.name} is confirmed already`);
      const before = toAdminUnitView((await this.repository.find(tx, id))!);
      Object.assign(unit, { confidence: 'VERIFIED', confirmedAt: new Date(), confirmedBy: actorName(actor) });
      await this.repository.save(tx, unit);
      const after = toAdminUnitView((await this.repository.find(tx, id))!);
      await this.audit.record(tx, { actor, entity: 'admin_unit', entityId: id, action: 'confirm', before, after });
      return after;
    });
  }

  /** The reference list by code and folded name, for the given texts of addresses (a spreadsheet's cells). */
  async names(tx: Tx | undefined, texts: readonly string[]): Promise<UnitNames> {
    const { units, texts: folded } = await this.repository.folded(tx, texts);
    return new UnitNames(units, folded, todayInVietnam());
  }

  /**
   * The units an address names, checked (422 `address.bad_unit`, fields under `prefix`): current
   * units of the right level, the commune within the province; a commune alone brings its province.
   */
  async resolveAddress(tx: Tx | undefined, input: AddressUnitsInput, prefix = ''): Promise<AddressUnits> {
    const ids = [input.provinceId, input.communeId].filter((x): x is string => !!x);
    const units = new Map((await this.repository.findMany(tx, ids)).map((u) => [u.id, u]));
    const problems: FieldError[] = [];
    const check = (id: string | null | undefined, level: AdminUnitLevel, field: string): AdminUnit | null => {
      if (!id) return null;
      const u = units.get(id);
      if (!u) problems.push({ field: `${prefix}${field}`, message: `no administrative unit has this id` });
      else if (u.level !== level) problems.push({ field: `${prefix}${field}`, message: `${u.name} is not a ${level}` });
      else if (u.effectiveTo && u.effectiveTo < todayInVietnam())
        problems.push({ field: `${prefix}${field}`, message: `${u.name} was retired on ${u.effectiveTo}` });
      else return u;
      return null;
    };
    const province = check(input.provinceId, 'province', 'provinceId');
    const commune = check(input.communeId, 'commune', 'communeId');
    if (province && commune && commune.parentId !== province.id)
      problems.push({ field: `${prefix}communeId`, message: `${commune.name} is not in ${province.name}` });
    if (problems.length)
      throw new UnprocessableError('address.bad_unit', problems.map((p) => p.message).join('; '), {
        errors: problems,
      });
    return { provinceUnitId: province?.id ?? commune?.parentId ?? null, communeUnitId: commune?.id ?? null };
  }

  private async checkParent(tx: Tx, parentId: string | undefined): Promise<void> {
    const parent = parentId ? await this.repository.find(tx, parentId) : null;
    if (!parentId) throw badReference([{ field: 'parentId', message: 'a commune needs its province (parentId)' }]);
    if (!parent || parent.level !== 'province' || parent.effectiveTo)
      throw badReference([{ field: 'parentId', message: 'parentId must be a current province' }]);
  }

  private async checkSuccessor(tx: Tx, unit: AdminUnit, successorId: string): Promise<AdminUnit> {
    const successor = await this.repository.find(tx, successorId);
    if (!successor || successor.id === unit.id || successor.level !== unit.level || successor.effectiveTo)
      throw badReference([{ field: 'successorId', message: `successorId must be another current ${unit.level}` }]);
    return successor;
  }

  private async saveUnique(tx: Tx, unit: AdminUnit): Promise<AdminUnit> {
    try {
      return await this.repository.save(tx, unit);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION)
        throw new ConflictError('admin_unit.code_taken', `A current ${unit.level} has code ${unit.code}`, {
          errors: [{ field: 'code', message: 'code is taken by a current unit of this level' }],
        });
      throw e;
    }
  }
}

function badReference(errors: FieldError[]): UnprocessableError {
  return new UnprocessableError('admin_unit.bad_reference', errors.map((e) => e.message).join('; '), { errors });
}

/** Who confirmed, as the unit shows it: a staff member's username, else the actor's name. */
function actorName(actor: AuditActor): string {
  switch (actor.kind) {
    case 'staff':
      return actor.username;
    case 'business':
      return `organization ${actor.organizationId}`;
    case 'system':
      return actor.name;
  }
}
