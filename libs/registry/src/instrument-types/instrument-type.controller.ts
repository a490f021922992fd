import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, PageQuery, type Page, type Principal } from '#libs/core';
import {
  AddedCycleView,
  AtDateQuery,
  ConfirmMpeRuleDto,
  CreateCycleDto,
  CreateInstrumentTypeDto,
  CycleInForceView,
  CycleView,
  InstrumentTypeQuery,
  InstrumentTypeView,
  UpdateInstrumentTypeDto,
} from './dto/instrument-type.dto.js';
import { InstrumentTypeService } from './instrument-type.service.js';

@ApiTags('instrument-types')
@Controller('instrument-types')
export class InstrumentTypeController {
  constructor(private readonly types: InstrumentTypeService) {}

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Add a type to the catalogue (loại phương tiện đo), optionally with its cycle history' })
  @ApiCreatedResponse({ type: InstrumentTypeView })
  create(@Body() dto: CreateInstrumentTypeDto, @CurrentPrincipal() principal: Principal): Promise<InstrumentTypeView> {
    return this.types.create(dto, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The catalogue, by code' })
  @ApiPageResponse(InstrumentTypeView)
  list(@Query() query: InstrumentTypeQuery): Promise<Page<InstrumentTypeView>> {
    return this.types.list(query);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'A type with its MPE rules, cycle in force and which services it offers' })
  @ApiOkResponse({ type: InstrumentTypeView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<InstrumentTypeView> {
    return this.types.get(id);
  }

  @Patch(':id')
  @Allow('admin')
  @ApiOperation({ summary: 'Correct a type (not its cycles: add a cycle row instead); the seed will not overwrite it' })
  @ApiOkResponse({ type: InstrumentTypeView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInstrumentTypeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentTypeView> {
    return this.types.update(id, dto, principal);
  }

  @Post(':id/mpe-rules/:ruleId/confirm')
  @Allow('admin')
  @ApiOperation({
    summary:
      'Confirm a SECONDARY or UNCERTAIN MPE rule against a document (quality manager); from then on it gives verdicts',
    description:
      'Records who confirmed it, when and against which document, on the rule and in the audit trail. 409 if it is ' +
      'already confirmed or needs no confirmation (VERIFIED, or entered by the centre).',
  })
  @ApiCreatedResponse({ type: InstrumentTypeView })
  confirmMpeRule(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('ruleId', ParseUUIDPipe) ruleId: string,
    @Body() dto: ConfirmMpeRuleDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentTypeView> {
    return this.types.confirmMpeRule(id, ruleId, dto, principal);
  }

  @Get(':id/cycles')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Verification-cycle history, oldest first' })
  @ApiPageResponse(CycleView)
  cycles(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<Page<CycleView>> {
    return this.types.listCycles(id, query);
  }

  @Post(':id/cycles')
  @Allow('admin')
  @ApiOperation({
    summary: 'Add a cycle with its effective date (history is never edited: 409 if that date already has one)',
    description: 'Instruments whose last verification falls in the new period get their next due date recomputed.',
  })
  @ApiCreatedResponse({ type: AddedCycleView })
  addCycle(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateCycleDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AddedCycleView> {
    return this.types.addCycle(id, dto, principal);
  }

  @Get(':id/cycle-in-force')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The cycle in force on a date (cycle null: none known)' })
  @ApiOkResponse({ type: CycleInForceView })
  cycleInForce(@Param('id', ParseUUIDPipe) id: string, @Query() query: AtDateQuery): Promise<CycleInForceView> {
    return this.types.cycleInForceView(id, query.at);
  }
}
