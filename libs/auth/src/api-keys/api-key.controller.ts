import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, PageQuery, type Page, type Principal } from '#libs/core';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto.js';
import { ApiKeyService } from './api-key.service.js';
import type { StaffPrincipal } from '../users/user.service.js';

/** Staff principals only reach the mutating routes (guarded by @Allow), so `userId` is there. */
function staff(principal: Principal): StaffPrincipal {
  if (principal.kind !== 'staff') throw new Error('staff route reached without a staff principal');
  return principal;
}

@ApiTags('api-keys')
@Controller('organizations/:id/api-keys')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Issue an API key for the organization; the key is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyView> {
    return this.keys.create(id, dto, staff(principal));
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The organization’s keys, newest first, without secrets (a business: its own only)' })
  @ApiPageResponse(ApiKeyView)
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ApiKeyView>> {
    return this.keys.list(id, query, principal);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Revoke a key: it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.keys.revoke(id, keyId, staff(principal));
  }
}
