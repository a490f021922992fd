import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  ENVIRONMENT_QUANTITIES,
  InvalidInputError,
  NotFoundError,
  toPage,
  UnitOfWork,
  type EnvironmentLimits,
  type FieldError,
  type Page,
  type Principal,
} from '#libs/core';
import type { ConfirmLimitDto, LimitView, MethodView, ProductView, UpdateMethodDto } from '../dto/catalogue.dto.js';
import { CatalogueRepository, type ProductDetails } from './catalogue.repository.js';
import { toLimitView, toMethodView, toProductView } from './presenters.js';
import type { TestMethod, TestProduct } from './catalogue.entity.js';

/** Today's date in Viet Nam (UTC+7), as the regulations' "in force" is read. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Use cases of the testing catalogue: reading products, confirming limits, the centre's LOD/LOQ per method. */
@Injectable()
export class TestingCatalogueService {
  constructor(
    private readonly repository: CatalogueRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async list(query: { limit: number; cursor?: string }): Promise<Page<ProductView>> {
    const rows = await this.repository.page(query.limit, query.cursor);
    const details = await this.repository.details(rows.slice(0, query.limit).map((p) => p.id));
    const today = todayInVietnam();
    return toPage(
      rows,
      query.limit,
      (p) => [p.code, p.id],
      (p) => toProductView(p, details.get(p.id)!, today),
    );
  }

  async get(id: string): Promise<ProductView> {
    const { product, details } = await this.load(id);
    return toProductView(product, details, todayInVietnam());
  }

  /** The product and its catalogue, for the conformity engine and for part B (samples, analyses). */
  async load(id: string): Promise<{ product: TestProduct; details: ProductDetails }> {
    const product = await this.repository.product(id);
    if (!product) throw new NotFoundError('test_product', id);
    const details = (await this.repository.details([id])).get(id)!;
    return { product, details };
  }

  /**
   * An admin (the quality manager) confirms a SECONDARY or UNCERTAIN limit against a document; from
   * then on it gives conformity statements. Who, when and which document: on the limit and in the audit trail.
   */
  async confirmLimit(id: string, dto: ConfirmLimitDto, principal: Principal): Promise<LimitView> {
    await this.uow.run(async (tx) => {
      const limit = await this.repository.lockLimit(tx.manager, id);
      if (!limit) throw new NotFoundError('spec_limit', id);
      if (limit.confirmedAt)
        throw new ConflictError(
          'spec_limit.already_confirmed',
          `This limit was confirmed on ${limit.confirmedAt.toISOString()} against ${limit.confirmedAgainst}`,
        );
      if (limit.confidence === 'VERIFIED' || limit.confidence === 'CENTRE')
        throw new ConflictError(
          'spec_limit.confirmation_not_needed',
          `A ${limit.confidence} limit gives conformity statements without confirmation`,
        );
      const by = principal.kind === 'staff' ? principal.userId : principal.apiKeyId;
      await this.repository.confirmLimit(tx.manager, id, by, dto.document);
      await this.audit.record(tx, {
        actor: principal,
        entity: 'spec_limit',
        entityId: id,
        action: 'confirm',
        before: { confidence: limit.confidence, confirmed: false },
        after: {
          parameterId: limit.parameterId,
          regulationId: limit.regulationId,
          level: limit.level,
          grade: limit.grade,
          season: limit.season,
          kind: limit.kind,
          min: limit.min,
          max: limit.max,
          allowedValues: limit.allowedValues,
          confidence: limit.confidence,
          confirmed: true,
          against: dto.document,
        },
        reason: dto.note ?? null,
      });
    });
    return toLimitView((await this.repository.limitWithRegulation(id))!);
  }

  /** The centre's own figures for a method: LOD, LOQ (from its validation) and accreditation; audited. */
  async updateMethod(id: string, dto: UpdateMethodDto, principal: Principal): Promise<MethodView> {
    return this.uow.run(async (tx) => {
      const method = await this.repository.lockMethod(tx.manager, id);
      if (!method) throw new NotFoundError('test_method', id);
      const fields = {
        ...(dto.lod !== undefined ? { lod: dto.lod } : {}),
        ...(dto.loq !== undefined ? { loq: dto.loq } : {}),
        ...(dto.accredited !== undefined ? { accredited: dto.accredited } : {}),
        ...methodEnvironment(method, dto),
      };
      const updated = await this.repository.updateMethod(tx.manager, id, fields);
      await this.audit.record(tx, {
        actor: principal,
        entity: 'test_method',
        entityId: id,
        action: 'update',
        before: toMethodView(method),
        after: toMethodView(updated),
      });
      return toMethodView(updated);
    });
  }
}

/**
 * The environmental limits an update gives a method, with their source and confidence (CENTRE by
 * default): limits need a source (given, or the method's); a maximum below its minimum, or a source
 * without limits, answers 400 naming the field. Null or {} clears limits, source and confidence.
 */
function methodEnvironment(
  method: TestMethod,
  dto: UpdateMethodDto,
): Partial<Pick<TestMethod, 'environmentLimits' | 'environmentSource' | 'environmentConfidence'>> {
  if (dto.environmentLimits === undefined && dto.environmentSource === undefined && !dto.environmentConfidence)
    return {};
  const limits: EnvironmentLimits = {};
  const errors: FieldError[] = [];
  const given = dto.environmentLimits === undefined ? method.environmentLimits : (dto.environmentLimits ?? {});
  for (const q of ENVIRONMENT_QUANTITIES) {
    const l = given[q.key];
    const min = l?.min ?? null;
    const max = l?.max ?? null;
    if (min === null && max === null) continue;
    if (min !== null && max !== null && Number(max) < Number(min))
      errors.push({
        field: `environmentLimits.${q.key}.max`,
        message: `environmentLimits.${q.key}.max must not be below min`,
      });
    limits[q.key] = { min, max };
  }
  const empty = Object.keys(limits).length === 0;
  const source = empty ? null : (dto.environmentSource ?? method.environmentSource);
  if (!empty && !source)
    errors.push({ field: 'environmentSource', message: 'environmental limits need the document they come from' });
  if (empty && (dto.environmentSource !== undefined || dto.environmentConfidence))
    errors.push({ field: 'environmentLimits', message: 'a source or confidence needs environmental limits' });
  if (errors.length) throw new InvalidInputError(errors);
  return {
    environmentLimits: limits,
    environmentSource: source,
    environmentConfidence: empty ? null : (dto.environmentConfidence ?? method.environmentConfidence ?? 'CENTRE'),
  };
}
