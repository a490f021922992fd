import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  type Page,
  type Principal,
} from '#libs/core';
import { decodeTypedCursor } from '../common/cursor.js';
import { todayInVietnam } from '../common/dates.js';
import { escapeLike } from '../organizations/organization.service.js';
import { recomputeNextDueForType } from '../instruments/next-due.js';
import { runCatalogueSeed, type SeedReport } from './catalogue-seed.js';
import type {
  CreateCycleDto,
  CreateInstrumentTypeDto,
  CycleInForceView,
  CycleView,
  InstrumentTypeQuery,
  InstrumentTypeView,
  UpdateInstrumentTypeDto,
} from './dto/instrument-type.dto.js';
import { InstrumentType, InstrumentTypeCycle } from './instrument-type.entity.js';
import { checkMpeRule } from './mpe.js';

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

/** The row in force on `date`: the latest effective_from on or before it. Rows are sorted oldest first. */
export function cycleOn(cycles: InstrumentTypeCycle[], date: string): InstrumentTypeCycle | null {
  let found: InstrumentTypeCycle | null = null;
  for (const c of cycles) if (c.effectiveFrom <= date) found = c;
  return found;
}

function toTypeView(t: InstrumentType, cycles: InstrumentTypeCycle[], today: string): InstrumentTypeView {
  const current = cycleOn(cycles, today);
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
    mpeRule: t.mpeRule,
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

function staffId(principal?: Principal): string | null {
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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(dto: CreateInstrumentTypeDto, principal?: Principal): Promise<InstrumentTypeView> {
    assertMpeRule(dto.mpeRule);
    const dates = (dto.cycles ?? []).map((c) => c.effectiveFrom);
    const dup = dates.findIndex((d, i) => dates.indexOf(d) !== i);
    if (dup >= 0)
      throw new InvalidInputError([
        { field: `cycles[${dup}].effectiveFrom`, message: 'two cycles have the same effective date' },
      ]);
    const id = await this.dataSource.transaction(async (m) => {
      const { cycles, ...fields } = dto;
      const type = m.getRepository(InstrumentType).create({
        ...fields,
        procedures: fields.procedures ?? [],
        mpeRule: fields.mpeRule ?? null,
        sourceNote: fields.sourceNote ?? null,
        staffEditedAt: new Date(),
      });
      const saved = await this.saveUnique(m, type);
      for (const c of cycles ?? [])
        await m.getRepository(InstrumentTypeCycle).save(this.newCycle(saved.id, c, principal));
      return saved.id;
    });
    return this.get(id);
  }

  async list(query: InstrumentTypeQuery): Promise<Page<InstrumentTypeView>> {
    const qb = this.types
      .createQueryBuilder('t')
      .orderBy('t.code', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .take(query.limit + 1);
    if (query.q) {
      const q = `%${escapeLike(query.q)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w.where('t.code ILIKE :q', { q }).orWhere('t.name_vi ILIKE :q', { q }).orWhere('t.name_en ILIKE :q', { q }),
        ),
      );
    }
    if (query.active !== undefined) qb.andWhere('t.active = :active', { active: query.active });
    if (query.service) qb.andWhere(':service = ANY(t.services)', { service: query.service });
    if (query.cursor) {
      const [code, id] = decodeTypedCursor(query.cursor, ['text', 'uuid']);
      qb.andWhere('(t.code, t.id) > (:code, :id)', { code, id });
    }
    const rows = await qb.getMany();
    const cycles = await this.cyclesOf(rows.map((r) => r.id));
    const today = todayInVietnam();
    return toPage(
      rows,
      query.limit,
      (t) => [t.code, t.id],
      (t) => toTypeView(t, cycles.get(t.id) ?? [], today),
    );
  }

  async get(id: string): Promise<InstrumentTypeView> {
    const type = await this.find(id);
    return toTypeView(type, (await this.cyclesOf([id])).get(id) ?? [], todayInVietnam());
  }

  async find(id: string, manager?: EntityManager): Promise<InstrumentType> {
    const found = await (manager?.getRepository(InstrumentType) ?? this.types).findOneBy({ id });
    if (!found) throw new NotFoundError('instrument_type', id);
    return found;
  }

  /** A staff correction: the row is marked so that re-running the seed does not undo it. */
  async update(id: string, dto: UpdateInstrumentTypeDto): Promise<InstrumentTypeView> {
    assertMpeRule(dto.mpeRule);
    const type = await this.find(id);
    Object.assign(type, dto, { staffEditedAt: new Date() });
    await this.saveUnique(this.dataSource.manager, type);
    return this.get(id);
  }

  /**
   * Adds a period to the cycle history (never edits one). Instruments whose last verification falls
   * in the new period get their next due date recomputed in the same transaction.
   */
  async addCycle(
    id: string,
    dto: CreateCycleDto,
    principal?: Principal,
  ): Promise<CycleView & { instrumentsRecomputed: number }> {
    return this.dataSource.transaction(async (m) => {
      await this.find(id, m);
      let saved: InstrumentTypeCycle;
      try {
        saved = await m.getRepository(InstrumentTypeCycle).save(this.newCycle(id, dto, principal));
      } catch (e) {
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) cycleConflict(dto.effectiveFrom);
        throw e;
      }
      const instrumentsRecomputed = await recomputeNextDueForType(m, id, dto.effectiveFrom);
      return { ...toCycleView(saved), instrumentsRecomputed };
    });
  }

  async listCycles(id: string, query: { limit: number; cursor?: string }): Promise<Page<CycleView>> {
    await this.find(id);
    const qb = this.cycles
      .createQueryBuilder('c')
      .where('c.instrument_type_id = :id', { id })
      .orderBy('c.effective_from', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(query.limit + 1);
    if (query.cursor) {
      const [from, cid] = decodeTypedCursor(query.cursor, ['date', 'uuid']);
      qb.andWhere('(c.effective_from, c.id) > (:from, :cid)', { from, cid });
    }
    return toPage(await qb.getMany(), query.limit, (c) => [c.effectiveFrom, c.id], toCycleView);
  }

  /** The verification cycle in force for a type on a date; null when none is known (not the same as "no periodic verification"). */
  async cycleInForce(id: string, date: string): Promise<CycleView | null> {
    await this.find(id);
    const row = await this.cycles
      .createQueryBuilder('c')
      .where('c.instrument_type_id = :id AND c.effective_from <= :date', { id, date })
      .orderBy('c.effective_from', 'DESC')
      .getOne();
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

  private newCycle(typeId: string, c: CreateCycleDto, principal?: Principal): InstrumentTypeCycle {
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

  private async cyclesOf(typeIds: string[]): Promise<Map<string, InstrumentTypeCycle[]>> {
    const out = new Map<string, InstrumentTypeCycle[]>();
    if (!typeIds.length) return out;
    const rows = await this.cycles.find({ where: { instrumentTypeId: In(typeIds) }, order: { effectiveFrom: 'ASC' } });
    for (const r of rows) out.set(r.instrumentTypeId, [...(out.get(r.instrumentTypeId) ?? []), r]);
    return out;
  }

  private async saveUnique(m: EntityManager, type: InstrumentType): Promise<InstrumentType> {
    try {
      return await m.getRepository(InstrumentType).save(type);
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
