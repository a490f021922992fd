import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import { AdminUnitService } from './admin-unit.service.js';
import { AdminUnitQuery, AdminUnitView, CreateAdminUnitDto, RetireAdminUnitDto } from './dto/admin-unit.dto.js';

@ApiTags('admin-units')
@Controller('admin-units')
export class AdminUnitController {
  constructor(private readonly units: AdminUnitService) {}

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Administrative units (tỉnh; xã / phường / đặc khu): current ones unless current=false' })
  @ApiPageResponse(AdminUnitView)
  list(@Query() query: AdminUnitQuery): Promise<Page<AdminUnitView>> {
    return this.units.list(query);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'An administrative unit, with its province, successor and confidence' })
  @ApiOkResponse({ type: AdminUnitView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUnitView> {
    return this.units.get(id);
  }

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Add a unit to the reference list (audited)' })
  @ApiCreatedResponse({ type: AdminUnitView })
  create(@Body() dto: CreateAdminUnitDto, @CurrentPrincipal() principal: Principal): Promise<AdminUnitView> {
    return this.units.create(dto, principal);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({
    summary: 'Retire a unit (a merger names its successor: addresses referring to it move there); audited',
  })
  @ApiOkResponse({ type: AdminUnitView })
  retire(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RetireAdminUnitDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AdminUnitView> {
    return this.units.retire(id, dto, principal);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Confirm a seeded (UNCERTAIN / SECONDARY) unit against its source; audited' })
  @ApiOkResponse({ type: AdminUnitView })
  confirm(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<AdminUnitView> {
    return this.units.confirm(id, principal);
  }
}
