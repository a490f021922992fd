import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import {
  CreateOrganizationDto,
  OrganizationQuery,
  OrganizationView,
  UpdateOrganizationDto,
} from './dto/organization.dto.js';
import { OrganizationService } from './organization.service.js';

@ApiTags('organizations')
@Controller('organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Register a customer (khách hàng)' })
  @ApiCreatedResponse({ type: OrganizationView })
  create(@Body() dto: CreateOrganizationDto, @CurrentPrincipal() principal: Principal): Promise<OrganizationView> {
    return this.organizations.create(dto, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'List customers (a business sees only itself)' })
  @ApiPageResponse(OrganizationView)
  list(@Query() query: OrganizationQuery, @CurrentPrincipal() principal: Principal): Promise<Page<OrganizationView>> {
    return this.organizations.list(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'A customer (a business: itself only)' })
  @ApiOkResponse({ type: OrganizationView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<OrganizationView> {
    return this.organizations.get(id, principal);
  }

  @Patch(':id')
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Correct a customer’s details' })
  @ApiOkResponse({ type: OrganizationView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateOrganizationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganizationView> {
    return this.organizations.update(id, dto, principal);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Deactivate a customer that records refer to (soft delete)' })
  @ApiOkResponse({ type: OrganizationView })
  deactivate(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganizationView> {
    return this.organizations.setActive(id, false, principal);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Reactivate a deactivated customer' })
  @ApiOkResponse({ type: OrganizationView })
  activate(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganizationView> {
    return this.organizations.setActive(id, true, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @Allow('admin')
  @ApiOperation({ summary: 'Delete a customer nothing refers to (409 otherwise: deactivate it)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.organizations.remove(id, principal);
  }
}
