import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '#libs/audit';
import {
  ForbiddenError,
  insertMany,
  InvalidInputError,
  NotFoundError,
  organizationScope,
  DEFAULT_PAGE_SIZE,
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
  OrganizationService,
  todayInVietnam,
  type Instrument,
  type InstrumentType,
  type Organization,
  type RegisteredInstrument,
} from '#libs/registry';
import { WebhookService } from '#libs/webhooks';
import type {
  CreateRequestDto,
  HistoryEntryView,
  RequestItemDetailView,
  RequestItemView,
  RequestQuery,
  RequestSummaryView,
  RequestView,
  WorkItemView,
  WorkListQuery,
} from './dto/request.dto.js';
import { RequestHistoryEntry, RequestItem, ServiceRequest } from './request.entities.js';
import { actorColumns } from './actor.js';
import {
  toHistoryView,
  toItemView,
  toSummaryView,
  toWorkItemView,
  withInstruments,
  withOrganizations,
} from './request.presenter.js';
import { RequestRepository } from './request.repository.js';
import type { ItemStatus } from './workflow.js';

/** The technician's open work when the work list is asked without a status. */
const OPEN_WORK: ItemStatus[] = ['scheduled', 'received', 'in_progress'];

/** Service requests: submission (with new instruments registered on the fly) and reading them. */
@Injectable()
export class RequestService {
  constructor(
    private readonly repository: RequestRepository,
    private readonly instruments: InstrumentService,
    private readonly organizations: OrganizationService,
    private readonly types: InstrumentTypeService,
    private readonly audit: AuditTrail,
    private readonly webhooks: WebhookService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Submits a request: one transaction for the request, its new instruments and every item, however
   * many (up to 10,000), written with multi-row INSERTs. A business submits for its own organization;
   * reception names the walk-in customer. Every item is checked before anything is written, and the
   * 422 names each offending item by its index. Items are born submitted: the request's creation is
   * one history entry and one `request.status_changed` event, not one per item.
   */
  async create(dto: CreateRequestDto, principal: Principal): Promise<RequestView> {
    const organizationId = customerOf(dto, principal);
    checkPreferredDate(dto);
    const view = await this.uow.run(async (tx) => {
      const organization = await this.organizations.lookup(tx, organizationId);
      checkOrganizationActive(organizationId, organization);
      const requestId = randomUUID();
      const items = await this.resolveItems(tx, organizationId, dto, principal, requestId);
      const rows = itemRows(requestId, items);
      const newInstruments = items.filter((i) => i.isNew).map((i) => i.instrument.id);
      const request = await this.insertRequest(tx, {
        requestId,
        organization,
        dto,
        principal,
        rows,
        newInstruments,
      });
      return submittedView(request, rows, items);
    });
    return view;
  }

  /**
   * For the testing library: a request whose items are test samples (subject `sample`, service
   * `testing`, no instrument), one per entry of `samples`, in the caller's transaction `tx` (the caller
   * writes each sample's own data in it). Same rules as POST /requests: a business submits for its own
   * organization, staff name an active one; the same number, history entry, audit entry and
   * `request.status_changed` event. The items are answered in the order given (ordinal = index).
   */
  async createForSamples(
    tx: Tx,
    dto: SampleRequestHeader,
    samples: readonly { notes?: string | null }[],
    principal: Principal,
  ): Promise<{ request: RequestSummaryView; items: RequestItem[] }> {
    const organizationId = customerOf(dto, principal);
    checkPreferredDate(dto);
    const organization = await this.organizations.lookup(tx, organizationId);
    checkOrganizationActive(organizationId, organization);
    const requestId = randomUUID();
    const rows = samples.map((s, ordinal) => ({
      id: randomUUID(),
      requestId,
      ordinal,
      subjectKind: 'sample' as const,
      instrumentId: null,
      instrumentTypeId: null,
      service: 'testing' as const,
      conformityStatementRequested: false,
      decisionRule: null,
      notes: s.notes ?? null,
      status: 'submitted' as const,
    }));
    const request = await this.insertRequest(tx, {
      requestId,
      organization,
      dto,
      principal,
      rows,
      newInstruments: [],
    });
    const items = await this.repository.itemsByIds(
      tx,
      requestId,
      rows.map((r) => r.id),
    );
    return {
      request: toSummaryView(request, { submitted: rows.length }),
      items: rows.map((r) => items.get(r.id)!),
    };
  }

  /** The request and its items, its number, the creation's history and audit entries and its event. */
  private async insertRequest(tx: Tx, s: Submission): Promise<ServiceRequest> {
    const { requestId, organization, dto, principal, rows } = s;
    const organizationId = organization.id;
    const number = await this.repository.takeNextNumber(tx);
    await tx.manager.insert(ServiceRequest, {
      ...requestRow(requestId, organizationId, dto, principal, rows.length),
      number,
    });
    await insertMany(tx.manager, RequestItem, rows);
    await this.recordSubmission(tx, s);
    const request = await tx.manager.getRepository(ServiceRequest).findOneByOrFail({ id: requestId });
    // Registry's row, read through its service (no join on another library's table).
    request.organization = organization;
    await this.webhooks.publish(tx, organizationId, 'request.status_changed', {
      requestId,
      requestNumber: number,
      from: null,
      to: 'submitted',
      reason: null,
      changedAt: request.statusChangedAt.toISOString(),
    });
    return request;
  }

  /** The request's creation: one history entry and one audit entry, however many items. */
  private async recordSubmission(tx: Tx, s: Submission): Promise<void> {
    const { requestId, organization, dto, principal, rows, newInstruments } = s;
    const organizationId = organization.id;
    const samples = rows.filter((r) => r.subjectKind === 'sample').length;
    await tx.manager.insert(RequestHistoryEntry, {
      requestId,
      itemId: null,
      fromStatus: null,
      toStatus: 'submitted',
      reason: null,
      details: { itemCount: rows.length, newInstruments: newInstruments.length, ...(samples ? { samples } : {}) },
      ...actorColumns(principal),
    });
    await this.audit.record(tx, {
      actor: principal,
      entity: 'service_request',
      entityId: requestId,
      action: 'submit',
      after: {
        organizationId,
        place: dto.place,
        preferredDate: dto.preferredDate ?? null,
        itemCount: rows.length,
        newInstruments,
        ...(samples ? { samples } : {}),
      },
    });
  }

  /**
   * Each item's instrument: a registered one of this organization (any other id — missing, or
   * another organization's — gets the same message, so nothing leaks), or a new one registered now
   * through the registry. The instrument's type must offer the service asked.
   */
  private async resolveItems(
    tx: Tx,
    organizationId: string,
    dto: CreateRequestDto,
    principal: Principal,
    requestId: string,
  ): Promise<ResolvedItem[]> {
    const registered = await this.readRegistered(tx, organizationId, dto);
    const types = await this.readTypes(tx, registered, dto);
    checkItems(dto, registered, types);
    const newAt = dto.items.flatMap((it, i) => (it.instrument ? [i] : []));
    const created = await this.instruments.createMany(
      tx,
      principal,
      organizationId,
      newAt.map((i) => dto.items[i]!.instrument!),
      { field: (j) => `items[${newAt[j]}].instrument`, requestId },
    );
    const createdAt = new Map(newAt.map((i, j) => [i, created[j]!]));
    return dto.items.map((it, i) => {
      const instrument = createdAt.get(i) ?? registered.get(it.instrumentId!)!;
      return { dto: it, instrument, type: types.get(instrument.instrumentTypeId)!, isNew: createdAt.has(i) };
    });
  }

  /** The organization's instruments the items name, by id (from the registry). */
  private async readRegistered(
    tx: Tx,
    organizationId: string,
    dto: CreateRequestDto,
  ): Promise<Map<string, RegisteredInstrument>> {
    const ids = [...new Set(dto.items.flatMap((it) => (it.instrumentId ? [it.instrumentId] : [])))];
    const rows = await this.instruments.registeredOf(tx, organizationId, ids);
    return new Map(rows.map((i) => [i.id, i]));
  }

  /** The types of the registered instruments and of the new ones, by id (from the registry). */
  private async readTypes(
    tx: Tx,
    registered: Map<string, RegisteredInstrument>,
    dto: CreateRequestDto,
  ): Promise<Map<string, OfferingType>> {
    const typeIds = [
      ...[...registered.values()].map((i) => i.instrumentTypeId),
      ...dto.items.flatMap((it) => (it.instrument ? [it.instrument.instrumentTypeId] : [])),
    ];
    return new Map((await this.types.findMany(tx, typeIds)).map((t) => [t.id, t]));
  }

  /** Newest first. A business sees its own requests only. */
  async list(query: RequestQuery, principal: Principal): Promise<Page<RequestSummaryView>> {
    const rows = await this.repository.list({ ...query, scope: organizationScope(principal) });
    const shown = rows.slice(0, query.limit);
    const counts = await this.repository.statusCounts(
      undefined,
      shown.map((r) => r.id),
    );
    withOrganizations(shown, await this.organizations.names(shown.map((r) => r.organizationId)));
    return toPage(
      rows,
      query.limit,
      (r) => [r.createdAt.toISOString(), r.id],
      (r) => toSummaryView(r, counts.get(r.id) ?? {}),
    );
  }

  /** The request if the caller may see it; another organization's answers 404, like a missing one. */
  async find(id: string, principal?: Principal): Promise<ServiceRequest> {
    return this.load(undefined, id, principal);
  }

  /** The request with its organization's name. */
  private async load(tx: Tx | undefined, id: string, principal?: Principal): Promise<ServiceRequest> {
    const found = await this.repository.find(tx, id, organizationScope(principal));
    if (!found) throw new NotFoundError('service_request', id);
    return withOrganizations([found], await this.organizations.names([found.organizationId]))[0]!;
  }

  /** The items with what their views show of their instruments. */
  private async withInstruments(items: RequestItem[]): Promise<RequestItem[]> {
    const ids = items.flatMap((i) => (i.instrumentId === null ? [] : [i.instrumentId]));
    return withInstruments(items, await this.instruments.summaries(ids));
  }

  /** The requests these items belong to, by item id (for results listed by item). */
  requestIdsOfItems(itemIds: readonly string[]): Promise<Map<string, string>> {
    return this.repository.requestIdsOfItems(itemIds);
  }

  /**
   * For other libraries (testing's samples): the items with their request (`item.request`), by id;
   * those of another organization than a business caller's are left out (the caller answers 404).
   */
  itemsWithRequest(
    tx: Tx | undefined,
    itemIds: readonly string[],
    principal?: Principal,
  ): Promise<Map<string, RequestItem>> {
    return this.repository.itemsWithRequest(tx, itemIds, organizationScope(principal));
  }

  /** The item's history (oldest first) as people read it: for the testing library's chain of custody. */
  async itemHistoryViews(itemId: string): Promise<HistoryEntryView[]> {
    const item = await this.repository.item(undefined, itemId);
    if (!item) throw new NotFoundError('request_item', itemId);
    const request = await this.load(undefined, item.requestId);
    const rows = await this.repository.itemHistory(itemId);
    return rows.map((h) => toHistoryView(h, request.organization?.name));
  }

  /** The item as its view shows it, in the caller's transaction. */
  async itemView(tx: Tx, itemId: string): Promise<RequestItemView> {
    const item = await this.repository.item(tx, itemId);
    if (!item) throw new NotFoundError('request_item', itemId);
    return toItemView((await this.withInstruments([item]))[0]!);
  }

  /** These items of the request as their views show them, by id, in the caller's transaction. */
  async itemViews(tx: Tx, requestId: string, itemIds: readonly string[]): Promise<Map<string, RequestItemView>> {
    const items = await this.withInstruments([...(await this.repository.itemsByIds(tx, requestId, itemIds)).values()]);
    return new Map(items.map((i) => [i.id, toItemView(i)]));
  }

  /** The request with its item counts and the first page of its items (GET /requests/:id/items for the rest). */
  async get(id: string, principal: Principal): Promise<RequestView> {
    const request = await this.find(id, principal);
    const counts = (await this.repository.statusCounts(undefined, [id])).get(id) ?? {};
    const first = await this.items(request, { limit: DEFAULT_PAGE_SIZE });
    return { ...toSummaryView(request, counts), items: first.items, itemsNextCursor: first.nextCursor };
  }

  /** A page of the request's items, by ordinal. */
  async itemPage(
    id: string,
    page: { limit: number; cursor?: string },
    principal: Principal,
  ): Promise<Page<RequestItemView>> {
    return this.items(await this.find(id, principal), page);
  }

  private async items(
    request: ServiceRequest,
    page: { limit: number; cursor?: string },
  ): Promise<Page<RequestItemView>> {
    const rows = await this.repository.itemPage(request.id, page);
    await this.withInstruments(rows.slice(0, page.limit)); // attaches to the same row objects
    return toPage(rows, page.limit, (i) => [i.ordinal, i.id], toItemView);
  }

  /** In the caller's transaction `tx` when given. */
  async summary(tx: Tx | undefined, id: string, principal?: Principal): Promise<RequestSummaryView> {
    const request = await this.load(tx, id, principal);
    return toSummaryView(request, (await this.repository.statusCounts(tx, [id])).get(id) ?? {});
  }

  /** Request and item changes, oldest first. */
  async history(
    id: string,
    query: { limit: number; cursor?: string },
    principal: Principal,
  ): Promise<Page<HistoryEntryView>> {
    const request = await this.find(id, principal);
    const rows = await this.repository.history(id, query);
    return toPage(
      rows,
      query.limit,
      (h) => [h.id],
      (h) => toHistoryView(h, request.organization?.name),
    );
  }

  async item(id: string, itemId: string, principal: Principal): Promise<RequestItemDetailView> {
    const request = await this.find(id, principal);
    const item = await this.repository.item(undefined, itemId, id);
    if (!item) throw new NotFoundError('request_item', itemId);
    const history = await this.repository.itemHistory(itemId);
    const name = request.organization?.name;
    return {
      ...toItemView((await this.withInstruments([item]))[0]!),
      history: history.map((h) => toHistoryView(h, name)),
    };
  }

  /** A technician's work list (scheduled date, then id): their open work unless a status is asked. */
  async workList(query: WorkListQuery, principal: Principal): Promise<Page<WorkItemView>> {
    if (principal.kind !== 'staff') throw new ForbiddenError('access.denied', 'The work list is for staff');
    const technicianId = query.technician === 'me' ? principal.userId : query.technician;
    const rows = await this.repository.workList({
      limit: query.limit,
      cursor: query.cursor,
      technicianId,
      statuses: query.status ? [query.status] : OPEN_WORK,
    });
    const shown = await this.withInstruments(rows.slice(0, query.limit));
    const requests = shown.map((i) => i.request!);
    withOrganizations(requests, await this.organizations.names(requests.map((r) => r.organizationId)));
    return toPage(rows, query.limit, (i) => [i.scheduledDate, i.id], toWorkItemView);
  }
}

type OfferingType = Pick<InstrumentType, 'id' | 'code' | 'services'>;

/** What a request says besides its items (POST /requests, or a sample submission through the testing library). */
export type SampleRequestHeader = Pick<
  CreateRequestDto,
  'organizationId' | 'place' | 'siteAddress' | 'preferredDate' | 'notes'
>;

/** A request being written: its items' rows and the instruments registered with it. */
interface Submission {
  requestId: string;
  /** The customer, read through the registry's service and checked active. */
  organization: Organization;
  dto: SampleRequestHeader;
  principal: Principal;
  rows: (Partial<RequestItem> & Pick<RequestItem, 'id' | 'subjectKind'>)[];
  newInstruments: string[];
}

/** An item of a request being submitted, with its instrument (registered, or new). */
interface ResolvedItem {
  dto: CreateRequestDto['items'][number];
  instrument: Pick<Instrument, 'id' | 'instrumentTypeId' | 'manufacturer' | 'model' | 'serialNumber'>;
  type: Pick<InstrumentType, 'id' | 'code'>;
  isNew: boolean;
}

/** A business submits for its own organization; reception names the customer. */
function customerOf(dto: SampleRequestHeader, principal: Principal): string {
  const organizationId = organizationScope(principal) ?? dto.organizationId;
  if (!organizationId) {
    throw new InvalidInputError([
      { field: 'organizationId', message: 'organizationId is required: the customer the request is for' },
    ]);
  }
  return organizationId;
}

function checkPreferredDate(dto: SampleRequestHeader): void {
  if (dto.preferredDate !== undefined && dto.preferredDate < todayInVietnam()) {
    throw new UnprocessableError('service_request.preferred_date_past', 'The preferred date has already passed', {
      errors: [{ field: 'preferredDate', message: 'preferredDate must be today or later' }],
    });
  }
}

function checkOrganizationActive(
  organizationId: string,
  organization: Organization | null,
): asserts organization is Organization {
  if (!organization || !organization.active) {
    throw new UnprocessableError(
      'service_request.bad_organization',
      'The request is for an unknown or deactivated organization',
      {
        errors: [
          {
            field: 'organizationId',
            message: organization ? 'the organization is deactivated' : 'no organization has this id',
          },
        ],
      },
    );
  }
}

/** Every item at once: its instrument is this organization's and usable, asked once per service, and offers it. */
function checkItems(
  dto: CreateRequestDto,
  registered: Map<string, RegisteredInstrument>,
  types: Map<string, OfferingType>,
): void {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  dto.items.forEach((it, i) => {
    let typeId: string;
    if (it.instrumentId !== undefined) {
      const found = registered.get(it.instrumentId);
      if (!found) {
        errors.push({ field: `items[${i}].instrumentId`, message: 'no instrument of this organization has this id' });
        return;
      }
      if (found.status === 'scrapped')
        errors.push({ field: `items[${i}].instrumentId`, message: 'the instrument is scrapped' });
      const key = `${it.instrumentId} ${it.service}`;
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({ field: `items[${i}]`, message: `the same instrument and service as items[${first}]` });
      else seen.set(key, i);
      typeId = found.instrumentTypeId;
    } else typeId = it.instrument!.instrumentTypeId;
    const type = types.get(typeId);
    if (type && !type.services.includes(it.service)) {
      errors.push({
        field: `items[${i}].service`,
        message: `instrument type ${type.code} does not offer ${it.service}; it offers: ${type.services.join(', ') || 'nothing'}`,
      });
    } else if (it.service === 'testing') {
      errors.push({
        field: `items[${i}].service`,
        message: 'testing is done on samples: submit them through POST /testing/samples',
      });
    }
  });
  if (errors.length) {
    throw new UnprocessableError(
      'service_request.invalid_items',
      `${new Set(errors.map((e) => e.field.replace(/\].*$/, ']'))).size} item(s) cannot be requested as given`,
      { errors },
    );
  }
}

function requestRow(
  id: string,
  organizationId: string,
  dto: SampleRequestHeader,
  principal: Principal,
  itemCount: number,
): Partial<ServiceRequest> {
  return {
    id,
    organizationId,
    status: 'submitted',
    place: dto.place,
    siteAddress: dto.place === 'on_site' ? (dto.siteAddress ?? null) : null,
    preferredDate: dto.preferredDate ?? null,
    notes: dto.notes ?? null,
    itemCount,
    submittedByKind: principal.kind,
    submittedById: principal.kind === 'staff' ? principal.userId : principal.apiKeyId,
  };
}

/** Items are born submitted, in the order given. */
function itemRows(requestId: string, items: ResolvedItem[]) {
  return items.map((it, ordinal) => ({
    id: randomUUID(),
    requestId,
    ordinal,
    subjectKind: 'instrument' as const,
    instrumentId: it.instrument.id,
    instrumentTypeId: it.instrument.instrumentTypeId,
    service: it.dto.service,
    conformityStatementRequested: it.dto.conformityStatementRequested ?? false,
    decisionRule: it.dto.decisionRule ?? null,
    notes: it.dto.notes ?? null,
    status: 'submitted' as const,
  }));
}

/** The request just written, with its items, without reading the items back. */
function submittedView(request: ServiceRequest, rows: ReturnType<typeof itemRows>, items: ResolvedItem[]): RequestView {
  return {
    ...toSummaryView(request, { submitted: items.length }),
    itemsNextCursor: null,
    items: rows.map((row, i) =>
      toItemView(
        Object.assign(new RequestItem(), row, {
          instrument: items[i]!.instrument,
          instrumentType: items[i]!.type,
          statusReason: null,
          technicianId: null,
          scheduledDate: null,
          labelId: null,
          conditionOnReceipt: null,
          receivedAt: null,
          statusChangedAt: request.statusChangedAt,
        }),
      ),
    ),
  } satisfies RequestView;
}
