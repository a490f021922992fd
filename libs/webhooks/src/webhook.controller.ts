import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import {
  CreateWebhookDto,
  DeliveryQuery,
  UpdateWebhookDto,
  WebhookDeliveryView,
  WebhookView,
  WebhookWithSecretView,
} from './dto/webhook.dto.js';
import { WebhookService } from './webhook.service.js';

@ApiTags('webhooks')
@Controller('organizations/:organizationId/webhooks')
@Allow('business', 'admin', 'reception')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @ApiOperation({
    summary: 'Register an HTTPS endpoint for event notifications',
    description:
      'Each delivery is a POST with JSON {id, type, createdAt, organizationId, data} and the header ' +
      'X-TDC-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. Retried with exponential backoff.',
  })
  create(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Body() dto: CreateWebhookDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookWithSecretView> {
    return this.webhooks.create(organizationId, dto, principal);
  }

  @Get()
  list(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookView[]> {
    return this.webhooks.list(organizationId, principal);
  }

  @Get(':id')
  get(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookView> {
    return this.webhooks.get(organizationId, id, principal);
  }

  @Patch(':id')
  update(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookView> {
    return this.webhooks.update(organizationId, id, dto, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.webhooks.remove(organizationId, id, principal);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotate(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookWithSecretView> {
    return this.webhooks.rotateSecret(organizationId, id, principal);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a webhook.test event to this endpoint',
    description: '503 `queue.unavailable` with Retry-After (nothing written) when the queue does not answer.',
  })
  test(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.sendTest(organizationId, id, principal);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log of this endpoint, newest first, with every attempt and status code' })
  deliveries(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeliveryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(organizationId, id, query, principal);
  }

  @Get(':id/deliveries/:deliveryId')
  delivery(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.delivery(organizationId, id, deliveryId, principal);
  }
}
