import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import { AuthorisationService } from '#libs/auth';
import {
  ConflictError,
  NotFoundError,
  organizationScope,
  UnprocessableError,
  UnitOfWork,
  type FieldError,
  type Principal,
} from '#libs/core';
import type { ItemStatus } from '#libs/requests';
import type { TestMethod, TestParameter } from '../catalogue/catalogue.entity.js';
import type { ProductDetails } from '../catalogue/catalogue.repository.js';
import { TestingCatalogueService, todayInVietnam } from '../catalogue/catalogue.service.js';
import type { TestAnalysis } from './analysis.entity.js';
import { AnalysisRepository, type LoadedAnalysis } from './analysis.repository.js';
import type { AnalysisChoiceDto, AnalysisView, ChooseAnalysesDto, SampleAnalysesView } from './dto/analysis.dto.js';
import { SAMPLE_FACTS, type SampleFacts, type SampleFactsReader } from './sample-facts.js';

/** Contract review may (re)choose the analyses until testing starts. */
const REVIEWABLE: readonly ItemStatus[] = ['submitted', 'accepted', 'scheduled', 'received'];

/**
 * A regulation's full set: every parameter the regulation (default: the product's technical
 * regulations and circulars, not its standards) lists for the product, report-only rows included.
 */
function fullSet(details: ProductDetails, regulation: string | undefined): AnalysisChoiceDto[] {
  const codes = regulation ? [regulation] : details.regulations.filter((r) => r.kind !== 'standard').map((r) => r.code);
  const known = details.regulations.map((r) => r.code);
  if (regulation && !known.includes(regulation))
    throw new UnprocessableError('analysis.invalid_selection', `The product is not under ${regulation}`, {
      errors: [{ field: 'regulation', message: `one of ${known.join(', ')}` }],
    });
  const ids = new Set(details.regulations.filter((r) => codes.includes(r.code)).map((r) => r.id));
  return details.parameters
    .filter((p) => (details.limits.get(p.id) ?? []).some((l) => ids.has(l.regulationId)))
    .map((p) => ({ parameter: p.code }));
}

export function toAnalysisView(a: LoadedAnalysis): AnalysisView {
  return {
    id: a.id,
    position: a.position,
    parameterId: a.parameterId,
    parameter: a.parameter.code,
    nameVi: a.parameter.nameVi,
    nameEn: a.parameter.nameEn,
    unit: a.parameter.unit,
    methodId: a.methodId,
    method: a.method.code,
    accredited: a.accredited,
    subcontractedTo: a.subcontractedTo,
  };
}

/**
 * Contract review of a sample (xem xét yêu cầu): the analyses — the product's full regulation set or
 * a chosen subset, each with its method, whether that method is accredited (marked on the report)
 * and whether the test is subcontracted — and the check that an analyst is authorised for testing.
 */
@Injectable()
export class AnalysesService {
  constructor(
    @Inject(SAMPLE_FACTS) private readonly samples: SampleFactsReader,
    private readonly catalogue: TestingCatalogueService,
    private readonly authorisations: AuthorisationService,
    private readonly repository: AnalysisRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The sample of a request item, as its caller may see it (a business: only its own; else 404). */
  async sample(m: EntityManager, itemId: string, principal?: Principal): Promise<SampleFacts> {
    const sample = await this.samples.forItem(m, itemId);
    const scope = organizationScope(principal);
    // An inspector's sample: its owner sees neither analyses nor results until they are released.
    if (!sample || (scope !== undefined && (sample.organizationId !== scope || sample.heldFromOwner)))
      throw new NotFoundError('test_sample', itemId);
    return sample;
  }

  async get(itemId: string, principal: Principal): Promise<SampleAnalysesView> {
    const sample = await this.sample(this.db.manager, itemId, principal);
    return this.view(this.db.manager, sample);
  }

  async choose(itemId: string, dto: ChooseAnalysesDto, principal: Principal): Promise<SampleAnalysesView> {
    const analysts = await this.analysts();
    if (analysts === 0)
      throw new UnprocessableError(
        'analysis.no_authorised_analyst',
        `No analyst is authorised for testing on ${todayInVietnam()}: grant an authorisation (service testing, activity perform) first`,
      );
    return this.uow.run(async (tx) => {
      const sample = await this.sample(tx.manager, itemId);
      if (!REVIEWABLE.includes(sample.itemStatus))
        throw new ConflictError('analysis.item_not_open', `The sample's item is ${sample.itemStatus}`, {
          itemStatus: sample.itemStatus,
        });
      if (await this.repository.resultOf(tx.manager, itemId))
        throw new ConflictError('analysis.locked', 'Results are recorded for this sample: its analyses are fixed');
      const before = (await this.repository.analysesOf(tx.manager, itemId)).map((a) => a.parameter.code);
      const rows = await this.selection(sample, dto, principal);
      await this.repository.replaceAnalyses(tx, itemId, rows);
      await this.audit.record(tx, {
        actor: principal,
        entity: 'test_analysis',
        entityId: itemId,
        action: 'choose',
        before: { parameters: before },
        after: {
          parameters: rows.map((r) => r.parameterId),
          accredited: rows.filter((r) => r.accredited).length,
          subcontracted: rows.filter((r) => r.subcontractedTo).length,
        },
      });
      return this.view(tx.manager, sample, analysts);
    });
  }

  private analysts(): Promise<number> {
    return this.authorisations
      .authorisedUsers({ instrumentTypeId: null, service: 'testing', activity: 'perform', on: todayInVietnam() })
      .then((ids) => ids.length);
  }

  /** The chosen parameters and methods, checked against the product (422 naming each bad choice). */
  private async selection(
    sample: SampleFacts,
    dto: ChooseAnalysesDto,
    principal: Principal,
  ): Promise<Omit<TestAnalysis, 'id' | 'createdAt'>[]> {
    const { details } = await this.catalogue.load(sample.productId);
    const byCode = new Map(details.parameters.map((p) => [p.code, p]));
    const choices: AnalysisChoiceDto[] = dto.parameters ?? fullSet(details, dto.regulation);
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const out: { parameter: TestParameter; method: TestMethod; subcontractedTo: string | null }[] = [];
    choices.forEach((c, i) => {
      const parameter = byCode.get(c.parameter);
      const methods = parameter ? (details.methods.get(parameter.id) ?? []) : [];
      const method = c.method !== undefined ? methods.find((m) => m.code === c.method) : methods[0];
      if (!parameter)
        errors.push({ field: `parameters[${i}].parameter`, message: `the product has no parameter ${c.parameter}` });
      else if (seen.has(parameter.code)) errors.push({ field: `parameters[${i}].parameter`, message: 'chosen twice' });
      else if (!method)
        errors.push({
          field: `parameters[${i}].method`,
          message: `${c.parameter} has methods ${methods.map((m) => m.code).join(', ') || '(none)'}`,
        });
      else out.push({ parameter, method, subcontractedTo: c.subcontractedTo ?? null });
      if (parameter) seen.add(parameter.code);
    });
    if (errors.length)
      throw new UnprocessableError('analysis.invalid_selection', 'Some analyses cannot be chosen', { errors });
    const by = principal.kind === 'staff' ? principal.userId : principal.apiKeyId;
    return out.map(({ parameter, method, subcontractedTo }) => ({
      requestItemId: sample.requestItemId,
      parameterId: parameter.id,
      methodId: method.id,
      position: parameter.position,
      accredited: method.accredited,
      subcontractedTo,
      createdBy: by,
    }));
  }

  private async view(m: EntityManager, sample: SampleFacts, analysts?: number): Promise<SampleAnalysesView> {
    return {
      requestItemId: sample.requestItemId,
      productId: sample.productId,
      level: sample.level,
      grade: sample.grade,
      authorisedAnalysts: analysts ?? (await this.analysts()),
      analyses: (await this.repository.analysesOf(m, sample.requestItemId)).map(toAnalysisView),
    };
  }
}
