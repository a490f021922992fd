import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  DomainError,
  InvalidInputError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type FieldError,
  type Page,
  type Principal,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import {
  InstrumentService,
  InstrumentTypeService,
  isUsableMpeRule,
  StandardService,
  type InstrumentType,
  ruleForService,
  todayInVietnam,
} from '#libs/registry';
import { resolveTerm } from '../budget/budget-terms.js';
import { numberToDecimal } from '../common/decimal-text.js';
import { mpeForPoint } from '../results/computation.js';
import { AUDIT_ENTITY } from '../results/result.entity.js';
import { StandardsOnDate } from '../results/standards-on-date.js';
import { TemplateRepository } from './template.repository.js';
import type {
  CreateTemplateDto,
  EnvironmentLimitsDto,
  TemplateQuery,
  TemplateView,
  UpdateTemplateDto,
} from './dto/template.dto.js';
import type { WorksheetPointView, WorksheetView } from './dto/worksheet.dto.js';
import { CalibrationTemplate } from './template.entity.js';

export function environmentLimitsOf(t: CalibrationTemplate): EnvironmentLimitsDto {
  const pair = (min: string | null, max: string | null) => (min === null && max === null ? undefined : { min, max });
  const out: EnvironmentLimitsDto = {};
  const temperature = pair(t.temperatureMin, t.temperatureMax);
  const humidity = pair(t.humidityMin, t.humidityMax);
  const pressure = pair(t.pressureMin, t.pressureMax);
  if (temperature) out.temperature = temperature;
  if (humidity) out.humidity = humidity;
  if (pressure) out.pressure = pressure;
  return out;
}

export function toTemplateView(t: CalibrationTemplate): TemplateView {
  return {
    id: t.id,
    instrumentTypeId: t.instrumentTypeId,
    name: t.name,
    services: t.services,
    procedure: { code: t.procedureCode, version: t.procedureVersion },
    unit: t.points[0]?.unit ?? '',
    points: t.points,
    components: t.components,
    standardIds: t.standardIds,
    decisionRule: { kind: t.decisionRule, guardBandFactor: t.guardBandFactor },
    coverageProbability: t.coverageProbability,
    environmentLimits: environmentLimitsOf(t),
    active: t.active,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

const staffId = (p?: Principal): string | null => (p?.kind === 'staff' ? p.userId : null);

/** Worksheet templates per instrument type (biên bản mẫu): points, budget rows, environmental limits. */
@Injectable()
export class TemplateService {
  constructor(
    @InjectRepository(CalibrationTemplate) private readonly templates: Repository<CalibrationTemplate>,
    private readonly audit: AuditTrail,
    private readonly instruments: InstrumentService,
    private readonly standardsOnDate: StandardsOnDate,
    private readonly types: InstrumentTypeService,
    private readonly standards: StandardService,
    private readonly uow: UnitOfWork,
    private readonly repository: TemplateRepository,
  ) {}

  async create(dto: CreateTemplateDto, principal: Principal): Promise<TemplateView> {
    const id = await this.uow.run(async (tx) => {
      const [type] = await this.types.findMany(tx, [dto.instrumentTypeId]);
      if (!type) {
        throw new UnprocessableError('template.bad_reference', 'No instrument type has this id', {
          errors: [{ field: 'instrumentTypeId', message: 'no instrument type has this id' }],
        });
      }
      const template = tx.manager
        .getRepository(CalibrationTemplate)
        .create({ instrumentTypeId: type.id, createdBy: staffId(principal) });
      await this.apply(tx, template, type, dto, true);
      const saved = await this.saveUnique(tx, template);
      await this.audit.record(tx, {
        actor: principal,
        entity: AUDIT_ENTITY.template,
        entityId: saved.id,
        action: 'create',
        after: toTemplateView(saved),
      });
      return saved.id;
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateTemplateDto, principal: Principal): Promise<TemplateView> {
    await this.uow.run(async (tx) => {
      const template = await this.lock(tx, id);
      const before = toTemplateView(template);
      const [type] = await this.types.findMany(tx, [template.instrumentTypeId]);
      if (!type) throw new Error(`instrument type ${template.instrumentTypeId} of template ${id} not found`);
      await this.apply(tx, template, type, dto, false);
      const saved = await this.saveUnique(tx, template);
      await this.audit.record(tx, {
        actor: principal,
        entity: AUDIT_ENTITY.template,
        entityId: id,
        action: 'update',
        before,
        after: toTemplateView(saved),
      });
    });
    return this.get(id);
  }

  async get(id: string): Promise<TemplateView> {
    return toTemplateView(await this.find(id));
  }

  async find(id: string): Promise<CalibrationTemplate> {
    const found = await this.templates.findOneBy({ id });
    if (!found) throw new NotFoundError('calibration_template', id);
    return found;
  }

  /** The template, locked for update in `tx`. */
  private async lock(tx: Tx, id: string): Promise<CalibrationTemplate> {
    const found = await tx.manager
      .getRepository(CalibrationTemplate)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw new NotFoundError('calibration_template', id);
    return found;
  }

  async list(query: TemplateQuery): Promise<Page<TemplateView>> {
    const rows = await this.repository.list(query);
    return toPage(rows, query.limit, (t) => [t.name, t.id], toTemplateView);
  }

  /**
   * The template filled for one instrument on one date: MPE at each nominal value, each budget row
   * resolved (the standards' certificate U and k in force that day, the instrument's resolution), and
   * whether each standard may be used that day. Readings are what is left for the technician.
   */
  async worksheet(id: string, instrumentId: string, on: string = todayInVietnam()): Promise<WorksheetView> {
    return this.fill(await this.find(id), instrumentId, on);
  }

  /** The active template of an instrument type for a service (the first by name), or null. */
  async activeFor(instrumentTypeId: string, service: string): Promise<CalibrationTemplate | null> {
    const [first] = await this.repository.list({ limit: 1, instrumentTypeId, service, active: true });
    return first ?? null;
  }

  /** `worksheet` for a template already read. */
  async fill(
    template: CalibrationTemplate,
    instrumentId: string,
    on: string = todayInVietnam(),
  ): Promise<WorksheetView> {
    const instrument = await this.instrumentFor(template, instrumentId, 'instrumentId');
    const standards = await this.standardsOnDate.load(template.standardIds, on, 'standardIds');
    const ctx = { instrumentResolution: instrument.resolution, standards: standards.map((s) => s.forBudget) };
    // The rule of the template's first service; a template for several verification kinds shares their rule.
    const rule = ruleForService(await this.types.mpeRules(template.instrumentTypeId), template.services[0]!);
    const applicable = rule ? { rule: rule.rule, multiplier: rule.multiplier } : null;
    const points = template.points.map((p, i): WorksheetPointView => {
      const mpe = mpeForPoint(applicable, instrument, { reading: p.nominal, load: p.nominal, unit: p.unit });
      const view: WorksheetPointView = {
        nominal: p.nominal,
        unit: p.unit,
        readings: p.readings,
        mpe: mpe.mpe === null ? null : numberToDecimal(mpe.mpe),
        ...(mpe.problem ? { mpeProblem: mpe.problem } : {}),
        ...(rule && !isUsableMpeRule(rule)
          ? {
              mpeProblem: `the MPE rule is ${rule.confidence} seed data, not confirmed by an admin: no verdict until it is`,
            }
          : {}),
        budget: [],
      };
      try {
        view.budget = template.components.map((c, j) => {
          const r = resolveTerm(
            c,
            { nominal: p.nominal, unit: p.unit, readings: [] },
            ctx,
            `points[${i}].budget[${j}]`,
          );
          return { name: r.name, termKind: r.termKind, input: r.input, source: r.source };
        });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        view.budgetProblem = e.message;
      }
      return view;
    });
    return {
      templateId: template.id,
      instrumentId,
      on,
      procedure: { code: template.procedureCode, version: template.procedureVersion },
      environmentLimits: environmentLimitsOf(template),
      standards: standards.map((s) => ({
        id: s.standard.id,
        code: s.standard.code,
        name: s.standard.name,
        usable: s.usable,
        reasons: s.reasons,
        certificateNumber: s.calibration?.certificateNumber ?? null,
        dueDate: s.calibration?.dueDate ?? null,
      })),
      points,
    };
  }

  /** The instrument, refused with 422 when it is not of the template's type. */
  async instrumentFor(template: CalibrationTemplate, instrumentId: string, field: string) {
    const instrument = await this.instruments.find(undefined, instrumentId);
    if (instrument.instrumentTypeId !== template.instrumentTypeId) {
      throw new UnprocessableError(
        'template.wrong_instrument_type',
        `Template "${template.name}" is for another instrument type than instrument ${instrument.serialNumber}`,
        { errors: [{ field, message: 'the instrument is not of the template’s instrument type' }] },
      );
    }
    return instrument;
  }

  /**
   * Copies the given fields onto the template. Malformed combinations answer 400; what does not fit
   * the instrument type or the registry (services, procedure, standards) answers 422.
   */
  private async apply(
    tx: Tx,
    t: CalibrationTemplate,
    type: InstrumentType,
    dto: UpdateTemplateDto,
    creating: boolean,
  ): Promise<void> {
    if (dto.name !== undefined) t.name = dto.name;
    const unfit = [...applyServices(t, type, dto), ...applyProcedure(t, type, dto)];
    applyPoints(t, dto);
    const invalid = applyComponents(t, dto);
    unfit.push(...(await applyStandards(tx, t, dto, creating, this.standards)));
    invalid.push(
      ...applyDecisionRule(t, dto, creating),
      ...applyCoverageProbability(t, dto, creating),
      ...applyEnvironmentLimits(t, dto),
    );
    if (dto.active !== undefined) t.active = dto.active;
    if (invalid.length) throw new InvalidInputError(invalid);
    if (unfit.length) {
      throw new UnprocessableError(
        'template.invalid',
        'The template does not fit its instrument type or the registry',
        {
          errors: unfit,
        },
      );
    }
  }

  private async saveUnique(tx: Tx, t: CalibrationTemplate): Promise<CalibrationTemplate> {
    try {
      return await tx.manager.getRepository(CalibrationTemplate).save(t);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) {
        throw new ConflictError('template.name_taken', `The instrument type already has a template named "${t.name}"`, {
          errors: [{ field: 'name', message: 'name is already used for this instrument type' }],
        });
      }
      throw e;
    }
  }
}

// What `TemplateService.apply` copies, one field (or group) each. Each sets the field and returns
// what is wrong with it: malformed (400) or not fitting the type or the registry (422), as named.

/** Unfit: a service the type does not offer. */
function applyServices(t: CalibrationTemplate, type: InstrumentType, dto: UpdateTemplateDto): FieldError[] {
  if (dto.services === undefined) return [];
  const unfit: FieldError[] = [];
  dto.services.forEach((s, i) => {
    if (!type.services.includes(s))
      unfit.push({ field: `services[${i}]`, message: `instrument type ${type.code} does not offer ${s}` });
  });
  t.services = dto.services;
  return unfit;
}

/** Unfit: a procedure not among the type's. */
function applyProcedure(t: CalibrationTemplate, type: InstrumentType, dto: UpdateTemplateDto): FieldError[] {
  if (dto.procedureCode === undefined) return [];
  const procedure = type.procedures.find((p) => p.code === dto.procedureCode);
  if (!procedure) {
    return [
      {
        field: 'procedureCode',
        message: type.procedures.length
          ? `procedureCode must be one of the type's procedures: ${type.procedures.map((p) => p.code).join(', ')}`
          : `instrument type ${type.code} has no procedure registered; add it to the type first`,
      },
    ];
  }
  t.procedureCode = procedure.code;
  t.procedureVersion = procedure.version ?? null;
  return [];
}

function applyPoints(t: CalibrationTemplate, dto: UpdateTemplateDto): void {
  if (dto.points === undefined && dto.unit === undefined) return;
  // A point without its own unit takes the template's; a new unit alone re-labels every point.
  const unit = dto.unit ?? t.points?.[0]?.unit;
  const points =
    dto.points ?? (t.points ?? []).map((p) => ({ nominal: p.nominal, readings: p.readings, unit: undefined }));
  t.points = points.map((p) => ({ nominal: p.nominal, unit: p.unit ?? unit!, readings: p.readings }));
}

/** Invalid: two budget rows of the same name. */
function applyComponents(t: CalibrationTemplate, dto: UpdateTemplateDto): FieldError[] {
  if (dto.components === undefined) return [];
  const invalid: FieldError[] = [];
  const seen = new Map<string, number>();
  dto.components.forEach((c, i) => {
    const first = seen.get(c.name);
    if (first !== undefined)
      invalid.push({ field: `components[${i}].name`, message: `components[${first}] has the same name` });
    seen.set(c.name, i);
  });
  t.components = dto.components.map((c) => ({ ...c }));
  return invalid;
}

/** Unfit: a standard the registry does not hold. */
async function applyStandards(
  tx: Tx,
  t: CalibrationTemplate,
  dto: UpdateTemplateDto,
  creating: boolean,
  standards: StandardService,
): Promise<FieldError[]> {
  if (dto.standardIds === undefined) {
    if (creating) t.standardIds = [];
    return [];
  }
  const found = dto.standardIds.length ? await standards.findMany(tx, dto.standardIds) : [];
  const unfit: FieldError[] = [];
  dto.standardIds.forEach((id, i) => {
    if (!found.some((s) => s.id === id))
      unfit.push({ field: `standardIds[${i}]`, message: `no standard has the id ${id}` });
  });
  t.standardIds = dto.standardIds;
  return unfit;
}

/** Invalid: a guard band on simple acceptance. */
function applyDecisionRule(t: CalibrationTemplate, dto: UpdateTemplateDto, creating: boolean): FieldError[] {
  if (dto.decisionRule === undefined) {
    if (creating) {
      t.decisionRule = 'simple';
      t.guardBandFactor = null;
    }
    return [];
  }
  const invalid: FieldError[] = [];
  if (dto.decisionRule.kind === 'simple' && dto.decisionRule.guardBandFactor != null)
    invalid.push({
      field: 'decisionRule.guardBandFactor',
      message: 'a guard band applies only to guarded acceptance',
    });
  t.decisionRule = dto.decisionRule.kind;
  t.guardBandFactor = dto.decisionRule.kind === 'guarded' ? (dto.decisionRule.guardBandFactor ?? null) : null;
  return invalid;
}

/** Invalid: a probability of 1 or more. */
function applyCoverageProbability(t: CalibrationTemplate, dto: UpdateTemplateDto, creating: boolean): FieldError[] {
  if (dto.coverageProbability === undefined) {
    if (creating) t.coverageProbability = '0.9545';
    return [];
  }
  t.coverageProbability = dto.coverageProbability;
  return Number(dto.coverageProbability) >= 1
    ? [{ field: 'coverageProbability', message: 'coverageProbability must lie strictly between 0 and 1' }]
    : [];
}

/** Invalid: a maximum below its minimum. */
function applyEnvironmentLimits(t: CalibrationTemplate, dto: UpdateTemplateDto): FieldError[] {
  if (dto.environmentLimits === undefined) return [];
  const l = dto.environmentLimits;
  const invalid: FieldError[] = [];
  for (const name of ['temperature', 'humidity', 'pressure'] as const) {
    const limit = l[name];
    if (limit?.min != null && limit.max != null && Number(limit.min) > Number(limit.max))
      invalid.push({
        field: `environmentLimits.${name}.max`,
        message: `environmentLimits.${name}.max must not be below min`,
      });
  }
  t.temperatureMin = l.temperature?.min ?? null;
  t.temperatureMax = l.temperature?.max ?? null;
  t.humidityMin = l.humidity?.min ?? null;
  t.humidityMax = l.humidity?.max ?? null;
  t.pressureMin = l.pressure?.min ?? null;
  t.pressureMax = l.pressure?.max ?? null;
  return invalid;
}
