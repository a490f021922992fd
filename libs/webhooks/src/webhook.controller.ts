import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, ApiPageResponse, ApiProblems, CurrentPrincipal, type Page, type Principal } from '#libs/core';
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
  @ApiCreatedResponse({ type: WebhookWithSecretView })
  create(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Body() dto: CreateWebhookDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookWithSecretView> {
    return this.webhooks.create(organizationId, dto, principal);
  }

  @Get()
  @ApiOperation({ summary: 'The organization’s webhook endpoints' })
  @ApiOkResponse({ type: [WebhookView] })
  list(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookView[]> {
    return this.webhooks.list(organizationId, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A webhook endpoint' })
  @ApiOkResponse({ type: WebhookView })
  get(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookView> {
    return this.webhooks.get(organizationId, id, principal);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events or whether the endpoint is active' })
  @ApiOkResponse({ type: WebhookView })
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
  @ApiOperation({ summary: 'Delete a webhook endpoint' })
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.webhooks.remove(organizationId, id, principal);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret; the new one is in this answer only' })
  @ApiOkResponse({ type: WebhookWithSecretView })
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
  @ApiAcceptedResponse({ type: WebhookDeliveryView })
  @ApiProblems(503)
  test(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.sendTest(organizationId, id, principal);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log of this endpoint, newest first, with every attempt and status code' })
  @ApiPageResponse(WebhookDeliveryView)
  deliveries(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeliveryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(organizationId, id, query, principal);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery with its attempts' })
  @ApiOkResponse({ type: WebhookDeliveryView })
  delivery(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.delivery(organizationId, id, deliveryId, principal);
  }
}
