import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  ForbiddenError,
  jobId,
  NotFoundError,
  Outbox,
  UnitOfWork,
  UnprocessableError,
  type FieldError,
  type Page,
  type PageQuery,
  type Principal,
  type Tx,
} from '#libs/core';
import { actorColumns, RequestLabelsService, RequestService, type RequestItem } from '#libs/requests';
import type { TestProduct } from '../catalogue/catalogue.entity.js';
import { todayInVietnam } from '../catalogue/catalogue.service.js';
import type {
  CustodyChainView,
  CustodyStepDto,
  SampleInputDto,
  SampleSubmissionView,
  SampleView,
  SubmitSamplesDto,
} from '../dto/sample.dto.js';
import { asCustodyStep, checkCustodyStep, foldCustody, portionSuffix, type CustodyFold } from './custody.js';
import type { TestSample } from './sample.entity.js';
import { sampleLabelText, toChainView, toSampleView } from './sample.presenter.js';
import { SampleRepository } from './sample.repository.js';

/**
 * Test samples in requests: submission (a request of sample items through libs/requests, and each
 * sample's data here, in one transaction), reading, the chain of custody and the release of an
 * inspector's results to the owner.
 */
@Injectable()
export class SampleService implements OnModuleInit {
  constructor(
    private readonly repository: SampleRepository,
    private readonly requests: RequestService,
    private readonly labels: RequestLabelsService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  /** Sample labels on the requests' label sheet (GET /requests/:id/labels.pdf) show product, grade, level and lot. */
  onModuleInit(): void {
    this.labels.describeSamplesWith(async (itemIds) => {
      const samples = await this.repository.samples(undefined, itemIds);
      return new Map([...samples].map(([id, s]) => [id, sampleLabelText(s)]));
    });
  }

  /**
   * A business submits samples for its own organization; staff (reception) for a walk-in customer or
   * an inspector's samples (the inspected owner in organizationId). Every sample is checked before
   * anything is written; the 422 names each offending field by the sample's index.
   */
  async submit(dto: SubmitSamplesDto, principal: Principal): Promise<SampleSubmissionView> {
    return this.uow.run(async (tx) => {
      const products = await this.repository.products(
        tx,
        dto.samples.flatMap((s) => (s.productId ? [s.productId] : [])),
        dto.samples.flatMap((s) => (s.productCode ? [s.productCode] : [])),
      );
      const productOf = checkSamples(dto.samples, products, principal);
      const { request, items } = await this.requests.createForSamples(
        tx,
        { ...dto, place: 'lab' },
        dto.samples.map((s) => ({ notes: s.notes ?? null })),
        principal,
      );
      await this.repository.insert(
        tx,
        items.map((item, i) => sampleRow(item.id, productOf[i]!, dto.samples[i]!)),
      );
      const samples = await this.repository.samples(
        tx,
        items.map((i) => i.id),
      );
      await this.audit.record(
        tx,
        ...items.map((item) => ({
          actor: principal,
          entity: 'test_sample',
          entityId: item.id,
          action: 'submit',
          after: { requestId: request.id, ...dto.samples[item.ordinal]! },
        })),
      );
      return { request, samples: items.map((item) => toSampleView(item, samples.get(item.id)!)) };
    });
  }

  /** The sample, if the caller may see it (a business: its own organization's; else 404). */
  async get(itemId: string, principal: Principal): Promise<SampleView> {
    const { item, sample } = await this.find(undefined, itemId, principal);
    return toSampleView(item, sample);
  }

  /** A request's samples by ordinal, a page at a time (404 for a request the caller may not see). */
  async list(requestId: string, query: PageQuery, principal: Principal): Promise<Page<SampleView>> {
    const page = await this.requests.itemPage(requestId, { limit: query.limit, cursor: query.cursor }, principal);
    const samples = await this.repository.samples(
      undefined,
      page.items.map((i) => i.id),
    );
    const items = page.items
      .filter((i) => samples.has(i.id))
      .map((i) => ({ ...i, receivedAt: i.receivedAt ? new Date(i.receivedAt) : null }));
    return { items: items.map((i) => toSampleView(i, samples.get(i.id)!)), nextCursor: page.nextCursor };
  }

  /** The item and its sample; 404 when missing, not a sample, or another organization's. */
  private async find(
    tx: Tx | undefined,
    itemId: string,
    principal?: Principal,
  ): Promise<{ item: RequestItem; sample: TestSample }> {
    const item = (await this.requests.itemsWithRequest(tx, [itemId], principal)).get(itemId);
    const sample =
      item?.subjectKind === 'sample' ? (await this.repository.samples(tx, [itemId])).get(itemId) : undefined;
    if (!item || !sample) throw new NotFoundError('test_sample', itemId);
    return { item, sample };
  }

  /**
   * An inspector's sample: its results are released to the owner (admin or inspector), audited, and
   * the `certificate.release_to_owner` job is written to the outbox in the same transaction (the
   * withheld test reports become the owner's, with their deferred webhooks).
   * 409 for a sample that is not an inspector's, or released already.
   */
  async release(itemId: string, principal: Principal): Promise<SampleView> {
    return this.uow.run(async (tx) => {
      const { item } = await this.find(tx, itemId);
      const sample = (await this.repository.lock(tx, itemId))!;
      if (sample.inspectionReference === null)
        throw new ConflictError('test_sample.not_inspection', 'Only an inspector’s sample has results to release');
      if (sample.resultsReleasedAt !== null) {
        throw new ConflictError('test_sample.already_released', 'The results were released to the owner already', {
          releasedAt: sample.resultsReleasedAt.toISOString(),
        });
      }
      if (principal.kind !== 'staff') throw new ForbiddenError('access.denied', 'Results are released by staff');
      await this.repository.release(tx, itemId, principal.userId);
      // The test reports issued meanwhile were withheld from the owner: the certificates library
      // shows them and sends their certificate.issued webhooks (once the release commits).
      await this.outbox.add(
        tx,
        'certificate.release_to_owner',
        { requestItemId: itemId },
        jobId('certificate-release', itemId),
      );
      const after = (await this.repository.samples(tx, [itemId])).get(itemId)!;
      await this.audit.record(tx, {
        actor: principal,
        entity: 'test_sample',
        entityId: itemId,
        action: 'release_results',
        before: { resultsReleasedAt: null },
        after: { resultsReleasedAt: after.resultsReleasedAt?.toISOString(), inspection: sample.inspectionReference },
      });
      return toSampleView(item, after);
    });
  }

  /** The chain of custody from the receipt, with each portion (staff; a business: its own samples). */
  async chain(itemId: string, principal: Principal): Promise<CustodyChainView> {
    const { item } = await this.find(undefined, itemId, principal);
    const [events, portions, history] = await Promise.all([
      this.repository.events(undefined, itemId),
      this.repository.portions(undefined, itemId),
      this.requests.itemHistoryViews(itemId),
    ]);
    const receipt = history.filter((h) => h.to === 'received').at(-1);
    return toChainView(item, receipt, events, portions, foldCustody(item.receivedAt, events.map(asCustodyStep)));
  }

  /**
   * Records a step of the chain (staff, audited), checked by custody.ts against the folded state:
   * after receipt, not after disposal or return, a split sample through its portions only, dated
   * not in the future nor before the previous step, no disposal before the retention date. A split
   * makes the portions, coded from the sample code ("…-A", "…-B").
   */
  async recordStep(itemId: string, dto: CustodyStepDto, principal: Principal): Promise<CustodyChainView> {
    await this.uow.run(async (tx) => {
      const { item } = await this.find(tx, itemId);
      const sample = (await this.repository.lock(tx, itemId))!;
      const portions = await this.repository.portions(tx, itemId);
      if (dto.portionId !== undefined && !portions.some((p) => p.id === dto.portionId))
        throw new NotFoundError('test_sample_portion', dto.portionId);
      const events = await this.repository.events(tx, itemId);
      const fold = foldCustody(item.receivedAt, events.map(asCustodyStep));
      const now = new Date();
      const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : now;
      const step = { kind: dto.kind, portionId: dto.portionId ?? null, occurredAt };
      checkCustodyStep(fold, step, { retainUntil: sample.retainUntil, occurredOn: todayInVietnam(occurredAt), now });
      const made = dto.kind === 'split' ? await this.split(tx, item, dto, fold) : [];
      await this.repository.insertEvent(tx, {
        requestItemId: itemId,
        portionId: step.portionId,
        kind: dto.kind,
        occurredAt,
        handledBy: dto.handledBy ?? null,
        subcontractor: dto.subcontractor ?? null,
        location: dto.location ?? null,
        notes: dto.notes ?? null,
        details: made.length ? { portionIds: made.map((p) => p.id), portionCodes: made.map((p) => p.code) } : null,
        ...actorColumns(principal),
      });
      await this.audit.record(tx, {
        actor: principal,
        entity: 'test_sample',
        entityId: itemId,
        action: `custody:${dto.kind}`,
        after: { ...dto, occurredAt: occurredAt.toISOString(), portions: made.map((p) => p.code) },
      });
    });
    return this.chain(itemId, principal);
  }

  /** The portions a split makes: the sample code (its label) with A, B, … ; 409 if a code is taken. */
  private async split(tx: Tx, item: RequestItem, dto: CustodyStepDto, fold: CustodyFold) {
    const first = fold.portions.size;
    const rows = dto.portions!.map((p, i) => {
      const suffix = portionSuffix(first + i);
      return {
        requestItemId: item.id,
        suffix,
        code: `${item.labelId}-${suffix}`,
        quantity: p.quantity === undefined ? null : String(p.quantity),
        quantityUnit: p.quantityUnit ?? null,
        purpose: p.purpose ?? null,
      };
    });
    const taken = await this.repository.codesTaken(
      tx,
      rows.map((r) => r.code),
    );
    if (taken.length)
      throw new ConflictError('test_sample_portion.code_taken', `Portion codes already taken: ${taken.join(', ')}`, {
        codes: taken,
      });
    return this.repository.insertPortions(tx, rows);
  }
}

/**
 * Every sample at once: a known product (by id or code), its level and grade, a business's own
 * samples only (sampled by the customer). Returns each sample's product id.
 */
function checkSamples(samples: SampleInputDto[], products: TestProduct[], principal: Principal): string[] {
  const errors: FieldError[] = [];
  const ids: string[] = [];
  samples.forEach((s, i) => {
    const at = `samples[${i}]`;
    const field = s.productId !== undefined ? `${at}.productId` : `${at}.productCode`;
    const product = products.find((p) => (s.productId !== undefined ? p.id === s.productId : p.code === s.productCode));
    if (s.productId !== undefined && s.productCode !== undefined) {
      errors.push({ field: at, message: 'give productId or productCode, not both' });
      return;
    }
    if (!product) {
      errors.push({ field, message: 'no test product has this id or code (GET /testing/products)' });
      return;
    }
    ids.push(product.id);
    if (s.level !== undefined && !product.levels.includes(s.level))
      errors.push({
        field: `${at}.level`,
        message: `${product.code} has the levels: ${product.levels.join(', ') || 'none'}`,
      });
    if (s.grade !== undefined && !product.grades.includes(s.grade))
      errors.push({
        field: `${at}.grade`,
        message: `${product.code} has the grades: ${product.grades.join(', ') || 'none'}`,
      });
    if (s.sampling.by !== 'customer' && principal.kind !== 'staff')
      errors.push({
        field: `${at}.sampling.by`,
        message: 'a business submits the samples it took (customer); the centre’s staff register the others',
      });
    if (s.inspection !== undefined && s.sampling.by !== 'inspector')
      errors.push({ field: `${at}.inspection`, message: 'inspection goes with a sample taken by an inspector' });
  });
  if (errors.length) {
    throw new UnprocessableError('test_sample.invalid', `${errors.length} problem(s) with the samples as given`, {
      errors,
    });
  }
  return ids;
}

function sampleRow(itemId: string, productId: string, s: SampleInputDto): Partial<TestSample> {
  return {
    requestItemId: itemId,
    productId,
    level: s.level ?? null,
    grade: s.grade ?? null,
    lot: s.lot ?? null,
    quantity: String(s.quantity),
    quantityUnit: s.quantityUnit,
    packaging: s.packaging ?? null,
    sampledBy: s.sampling.by,
    samplerName: s.sampling.samplerName ?? null,
    samplingPlace: s.sampling.place ?? null,
    sampledAt: s.sampling.sampledAt ? new Date(s.sampling.sampledAt) : null,
    samplingMethod: s.sampling.method ?? null,
    sealNumbers: s.sampling.sealNumbers ?? [],
    storage: s.storage ?? null,
    retainUntil: s.retainUntil ?? null,
    decisionRule: s.decisionRule ?? 'simple',
    inspectionReference: s.inspection?.reference ?? null,
    inspectionAuthority: s.inspection?.authority ?? null,
    notes: s.notes ?? null,
  };
}
