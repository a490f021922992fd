import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import { AuthorisationQuery, AuthorisationView, GrantAuthorisationDto } from './dto/authorisation.dto.js';
import { AuthorisationService } from './authorisation.service.js';
import type { StaffPrincipal } from '../users/user.service.js';

function staff(principal: Principal): StaffPrincipal {
  if (principal.kind !== 'staff') throw new Error('staff route reached without a staff principal');
  return principal;
}

@ApiTags('users')
@Controller('users/:id/authorisations')
@Allow('admin')
export class AuthorisationController {
  constructor(private readonly authorisations: AuthorisationService) {}

  @Post()
  @ApiOperation({
    summary:
      'Authorise a person to perform or approve a service, for one instrument type or all, from a date (ISO/IEC 17025 6.2)',
  })
  @ApiCreatedResponse({ type: AuthorisationView })
  grant(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: GrantAuthorisationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuthorisationView> {
    return this.authorisations.grant(id, dto, staff(principal));
  }

  @Get()
  @ApiOperation({
    summary: 'A person’s authorisations, revoked ones included (?on=YYYY-MM-DD: only those in force that day)',
  })
  @ApiPageResponse(AuthorisationView)
  list(@Param('id', ParseUUIDPipe) id: string, @Query() query: AuthorisationQuery): Promise<Page<AuthorisationView>> {
    return this.authorisations.list(id, query);
  }

  @Delete(':authorisationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an authorisation (kept on record, marked revoked)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('authorisationId', ParseUUIDPipe) authorisationId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.authorisations.revoke(id, authorisationId, staff(principal));
  }
}
