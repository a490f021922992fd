import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiProblems, CurrentPrincipal, PageQuery, type Principal } from '#libs/core';
import {
  AcceptResultView,
  CancelDto,
  ContractReviewView,
  CreateRequestDto,
  HistoryPage,
  LabelSheetQuery,
  ReceiveDto,
  RejectDto,
  RequestItemDetailView,
  RequestItemView,
  RequestItemPage,
  RequestPage,
  RequestQuery,
  RequestSummaryView,
  RequestView,
  ScheduleDto,
  WorkListPage,
  WorkListQuery,
} from './dto/request.dto.js';
import { RequestActionsService } from './request-actions.service.js';
import { RequestLabelsService } from './request-labels.service.js';
import { RequestService } from './request.service.js';

const Id = () => Param('id', ParseUUIDPipe);
const ItemId = () => Param('itemId', ParseUUIDPipe);

@ApiTags('requests')
@Controller('requests')
export class RequestController {
  constructor(
    private readonly requests: RequestService,
    private readonly actions: RequestActionsService,
    private readonly labels: RequestLabelsService,
  ) {}

  @Post()
  @Allow('admin', 'reception', 'business')
  @ApiOperation({
    summary: 'Submit a service request (yêu cầu dịch vụ): registered or new instruments, a service each',
    description:
      "A business key requests for its own organization; reception names the walk-in customer in organizationId. Up to 10,000 items, in one transaction. Each item's instrument type must offer its service. Errors name the item: items[3].service. Send an Idempotency-Key header to make retries safe.",
  })
  @ApiCreatedResponse({ type: RequestView })
  create(@Body() dto: CreateRequestDto, @CurrentPrincipal() principal: Principal): Promise<RequestView> {
    return this.requests.create(dto, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Requests, newest first (a business sees its own only)' })
  @ApiOkResponse({ type: RequestPage })
  list(@Query() query: RequestQuery, @CurrentPrincipal() principal: Principal): Promise<RequestPage> {
    return this.requests.list(query, principal);
  }

  // Before ':id', so that "items" is not taken for a request id.
  @Get('items')
  @Allow('technician', 'admin', 'reception')
  @ApiOperation({
    summary: "A technician's work list: ?technician=me&status=scheduled",
    description: 'Ordered by scheduled date. Without status: the open work (scheduled, received, in_progress).',
  })
  @ApiOkResponse({ type: WorkListPage })
  workList(@Query() query: WorkListQuery, @CurrentPrincipal() principal: Principal): Promise<WorkListPage> {
    return this.requests.workList(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'A request with its item counts and the first page of its items' })
  @ApiOkResponse({ type: RequestView })
  get(@Id() id: string, @CurrentPrincipal() principal: Principal): Promise<RequestView> {
    return this.requests.get(id, principal);
  }

  @Get(':id/items')
  @Allow('staff', 'business')
  @ApiOperation({ summary: "The request's items by ordinal, a page at a time (GET /requests/{id} shows the first)" })
  @ApiOkResponse({ type: RequestItemPage })
  items(
    @Id() id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemPage> {
    return this.requests.itemPage(id, query, principal);
  }

  @Get(':id/history')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Every status change of the request and its items: who, when, from, to, why' })
  @ApiOkResponse({ type: HistoryPage })
  history(@Id() id: string, @Query() query: PageQuery, @CurrentPrincipal() principal: Principal): Promise<HistoryPage> {
    return this.requests.history(id, query, principal);
  }

  @Get(':id/labels.pdf')
  @Allow('staff')
  @ApiOperation({
    summary: "The labels (tem nhãn) of the request's received instruments and samples, as A4 sheets to print",
    description:
      'One label per labelled item (received or later), by ordinal, or only the items named by ?item=: the label code in large type and as a QR, the instrument, its serial number, the request number and the customer; a test sample: its code, the product with its grade and level, the lot and the request number. 3 × 7 labels of 63.5 × 38.1 mm a page. 409 request.no_labels when no item asked for has a label yet.',
  })
  @ApiOkResponse({
    description: 'The label sheet',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="labels-<request number>.pdf"',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblems(409)
  async labelSheet(
    @Id() id: string,
    @Query() query: LabelSheetQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const file = await this.labels.sheet(id, principal, query.item);
    return new StreamableFile(file.bytes, {
      type: 'application/pdf',
      length: file.bytes.length,
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Get(':id/contract-review')
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Contract review of the submitted items, without deciding: which the centre cannot do, and why',
  })
  @ApiOkResponse({ type: ContractReviewView })
  @ApiProblems(422)
  contractReview(@Id() id: string): Promise<ContractReviewView> {
    return this.actions.contractReview(id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Accept after contract review: doable items accepted, the others rejected with the reasons',
    description:
      'An item is doable when a measurement standard of its quantity, covering its range, is usable on the review date and someone is authorised to perform its service on its type then. 409 unless the request is submitted.',
  })
  @ApiOkResponse({ type: AcceptResultView })
  accept(@Id() id: string, @CurrentPrincipal() principal: Principal): Promise<AcceptResultView> {
    return this.actions.accept(id, principal);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Reject the request (every submitted item); a reason is required' })
  @ApiOkResponse({ type: RequestSummaryView })
  reject(
    @Id() id: string,
    @Body() dto: RejectDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestSummaryView> {
    return this.actions.reject(id, dto.reason, principal);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Allow('admin', 'reception', 'business')
  @ApiOperation({ summary: 'Cancel the request while it is submitted or accepted (by the customer or reception)' })
  @ApiOkResponse({ type: RequestSummaryView })
  cancel(
    @Id() id: string,
    @Body() dto: CancelDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestSummaryView> {
    return this.actions.cancel(id, dto.reason ?? null, principal);
  }

  @Get(':id/items/:itemId')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'One item, its state and its history' })
  @ApiOkResponse({ type: RequestItemDetailView })
  item(
    @Id() id: string,
    @ItemId() itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemDetailView> {
    return this.requests.item(id, itemId, principal);
  }

  @Post(':id/items/:itemId/reject')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Reject one submitted item; a reason is required' })
  @ApiOkResponse({ type: RequestItemView })
  rejectItem(
    @Id() id: string,
    @ItemId() itemId: string,
    @Body() dto: RejectDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.rejectItem(id, itemId, dto.reason, principal);
  }

  @Post(':id/items/:itemId/cancel')
  @HttpCode(200)
  @Allow('admin', 'reception', 'business')
  @ApiOperation({ summary: 'Cancel one item while it is submitted or accepted' })
  @ApiOkResponse({ type: RequestItemView })
  cancelItem(
    @Id() id: string,
    @ItemId() itemId: string,
    @Body() dto: CancelDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.cancelItem(id, itemId, dto.reason ?? null, principal);
  }

  @Post(':id/items/:itemId/schedule')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Schedule (or reschedule) an accepted item: technician and date',
    description: "422 unless the technician is authorised to perform the item's service on its type on that date.",
  })
  @ApiOkResponse({ type: RequestItemView })
  schedule(
    @Id() id: string,
    @ItemId() itemId: string,
    @Body() dto: ScheduleDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.schedule(id, itemId, dto, principal);
  }

  @Post(':id/items/:itemId/receive')
  @HttpCode(200)
  @Allow('admin', 'reception', 'technician')
  @ApiOperation({ summary: 'Receive the instrument: label (unique) and condition on receipt' })
  @ApiOkResponse({ type: RequestItemView })
  receive(
    @Id() id: string,
    @ItemId() itemId: string,
    @Body() dto: ReceiveDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.receive(id, itemId, dto, principal);
  }

  @Post(':id/items/:itemId/start')
  @HttpCode(200)
  @Allow('technician', 'admin')
  @ApiOperation({ summary: 'Start the work: by the technician it is scheduled for, authorised today' })
  @ApiOkResponse({ type: RequestItemView })
  start(
    @Id() id: string,
    @ItemId() itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.start(id, itemId, principal);
  }

  @Post(':id/items/:itemId/return')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Hand the instrument back to the customer, after its certificate is issued' })
  @ApiOkResponse({ type: RequestItemView })
  returnItem(
    @Id() id: string,
    @ItemId() itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.returnItem(id, itemId, principal);
  }

  @Post(':id/items/:itemId/close')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Close the item (after return, or straight after the certificate for on-site work)' })
  @ApiOkResponse({ type: RequestItemView })
  close(
    @Id() id: string,
    @ItemId() itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequestItemView> {
    return this.actions.close(id, itemId, principal);
  }
}
