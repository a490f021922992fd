import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '#libs/core';
import { BatchItemsDto, BatchReceiveDto, BatchResultView, BatchScheduleDto, MAX_BATCH_ITEMS } from './dto/batch.dto.js';
import { RequestBatchService } from './request-batch.service.js';

const Id = () => Param('id', ParseUUIDPipe);

const ALL_OR_NOTHING =
  `Up to ${MAX_BATCH_ITEMS} items of this request, in one transaction: all move or none does. ` +
  'Each item is checked as its one-item route checks it; if any is refused, nothing changes and the answer ' +
  '(409 when every refusal is about state or labels, else 422) lists every refused item in `items[]` ' +
  '(index, itemId, code, detail) and `errors[]` (fields `items[i]…`). Each item moved gets its own history ' +
  'row, audit entry and item.status_changed webhook. Send an Idempotency-Key header to make retries safe.';

/** Batch item actions: the one-item steps of RequestController, for many items of one request. */
@ApiTags('requests')
@ApiBearerAuth('staff')
@Controller('requests')
export class RequestBatchController {
  constructor(private readonly batch: RequestBatchService) {}

  @Post(':id/items/schedule')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Schedule (or reschedule) many accepted items: a technician and date each',
    description: ALL_OR_NOTHING,
  })
  @ApiOkResponse({ type: BatchResultView })
  scheduleItems(
    @Id() id: string,
    @Body() dto: BatchScheduleDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchResultView> {
    return this.batch.schedule(id, dto, principal);
  }

  @Post(':id/items/receive')
  @HttpCode(200)
  @Allow('admin', 'reception', 'technician')
  @ApiOperation({
    summary: 'Receive many instruments: a label (unique) and condition each',
    description: ALL_OR_NOTHING,
  })
  @ApiOkResponse({ type: BatchResultView })
  receiveItems(
    @Id() id: string,
    @Body() dto: BatchReceiveDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchResultView> {
    return this.batch.receive(id, dto, principal);
  }

  @Post(':id/items/return')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Hand many instruments back, after their certificates', description: ALL_OR_NOTHING })
  @ApiOkResponse({ type: BatchResultView })
  returnItems(
    @Id() id: string,
    @Body() dto: BatchItemsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchResultView> {
    return this.batch.returnItems(id, dto, principal);
  }

  @Post(':id/items/close')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Close many items (returned, or certificate issued for on-site work)',
    description: ALL_OR_NOTHING,
  })
  @ApiOkResponse({ type: BatchResultView })
  closeItems(
    @Id() id: string,
    @Body() dto: BatchItemsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchResultView> {
    return this.batch.close(id, dto, principal);
  }
}
