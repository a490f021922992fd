import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, PageQuery, type Page, type Principal } from '#libs/core';
import {
  CreateInstrumentDto,
  DuePage,
  DueQuery,
  InstrumentQuery,
  InstrumentView,
  RecordOutcomeDto,
  ServiceRecordView,
  UpdateInstrumentDto,
} from './dto/instrument.dto.js';
import { InstrumentService } from './instrument.service.js';

@ApiTags('instruments')
@Controller('instruments')
export class InstrumentController {
  constructor(private readonly instruments: InstrumentService) {}

  @Post()
  @Allow('admin', 'reception', 'business')
  @ApiOperation({ summary: 'Register an instrument (phương tiện đo); a business registers for itself only' })
  @ApiCreatedResponse({ type: InstrumentView })
  create(@Body() dto: CreateInstrumentDto, @CurrentPrincipal() principal: Principal): Promise<InstrumentView> {
    return this.instruments.create(dto, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Instruments by serial number (a business sees only its own)' })
  @ApiPageResponse(InstrumentView)
  list(@Query() query: InstrumentQuery, @CurrentPrincipal() principal: Principal): Promise<Page<InstrumentView>> {
    return this.instruments.list(query, principal);
  }

  @Get('due')
  @Allow('staff', 'business')
  @ApiOperation({
    summary: 'Recall list: due within N days or overdue, by due date (overdue first)',
    description:
      "district is the place of use's district, or the owner's when the instrument was registered without one.",
  })
  @ApiOkResponse({ type: DuePage })
  due(@Query() query: DueQuery, @CurrentPrincipal() principal: Principal): Promise<DuePage> {
    return this.instruments.due(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'An instrument with its last service and next due date (a business: its own only)' })
  @ApiOkResponse({ type: InstrumentView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<InstrumentView> {
    return this.instruments.get(id, principal);
  }

  @Patch(':id')
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Correct an instrument or change its status (scrapped is final)' })
  @ApiOkResponse({ type: InstrumentView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInstrumentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentView> {
    return this.instruments.update(id, dto, principal);
  }

  @Get(':id/history')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Services received, newest first' })
  @ApiPageResponse(ServiceRecordView)
  history(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ServiceRecordView>> {
    return this.instruments.history(id, query, principal);
  }

  @Post(':id/history')
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: "Record a past service from the centre's books; the next due date is recomputed",
    description:
      'A failed verification clears the next due date: the instrument may not be used until it passes again.',
  })
  @ApiCreatedResponse({ type: InstrumentView })
  record(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordOutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentView> {
    return this.instruments.recordPastService(id, dto, principal);
  }
}
