import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import {
  CreateTemplateDto,
  TemplateQuery,
  TemplateView,
  UpdateTemplateDto,
  WorksheetQuery,
} from './dto/template.dto.js';
import { WorksheetView } from './dto/worksheet.dto.js';
import { TemplateService } from './template.service.js';

@ApiTags('calibration templates')
@Controller('calibration-templates')
export class TemplateController {
  constructor(private readonly templates: TemplateService) {}

  @Post()
  @Allow('admin', 'technician')
  @ApiOperation({
    summary: 'Create a worksheet template for an instrument type (points, budget rows, environmental limits)',
    description:
      "The procedure must be one of the type's procedures; its version is taken from the type. Budget rows of kind " +
      'reference_standard and type_b_resolution are filled per result from the certificate of the standard in force on ' +
      "the measurement date and from the instrument's resolution. Changes are recorded in the audit trail " +
      '(entity calibration_template).',
  })
  @ApiCreatedResponse({ type: TemplateView })
  create(@Body() dto: CreateTemplateDto, @CurrentPrincipal() principal: Principal): Promise<TemplateView> {
    return this.templates.create(dto, principal);
  }

  @Get()
  @Allow('staff')
  @ApiOperation({ summary: 'Calibration and verification templates' })
  @ApiPageResponse(TemplateView)
  list(@Query() query: TemplateQuery): Promise<Page<TemplateView>> {
    return this.templates.list(query);
  }

  @Get(':id')
  @Allow('staff')
  @ApiOperation({ summary: 'A template' })
  @ApiOkResponse({ type: TemplateView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TemplateView> {
    return this.templates.get(id);
  }

  @Patch(':id')
  @Allow('admin', 'technician')
  @ApiOperation({ summary: 'Change a template; recorded results keep the copy they used' })
  @ApiOkResponse({ type: TemplateView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTemplateDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TemplateView> {
    return this.templates.update(id, dto, principal);
  }

  @Get(':id/worksheet')
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({
    summary: 'The template filled for an instrument and date: MPE per point, budget rows resolved, standards usable?',
  })
  @ApiOkResponse({ type: WorksheetView })
  worksheet(@Param('id', ParseUUIDPipe) id: string, @Query() query: WorksheetQuery): Promise<WorksheetView> {
    return this.templates.worksheet(id, query.instrumentId, query.on);
  }
}
