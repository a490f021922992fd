import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, PageQuery, type Page, type Principal } from '#libs/core';
import { TestingCatalogueService } from './catalogue/catalogue.service.js';
import { ConformityService } from './conformity/conformity.service.js';
import { ConfirmLimitDto, LimitView, MethodView, ProductView, UpdateMethodDto } from './dto/catalogue.dto.js';
import { EvaluateConformityDto, EvaluationView } from './dto/conformity.dto.js';

@ApiTags('testing')
@Controller('testing')
export class TestingController {
  constructor(
    private readonly catalogue: TestingCatalogueService,
    private readonly conformity: ConformityService,
  ) {}

  @Get('products')
  @Allow('staff')
  @ApiOperation({
    summary: 'The testing catalogue: products with their regulations, parameters (chỉ tiêu), methods and limits',
    description:
      'Each limit carries its source and confidence; `readiness.needsConfirmation` lists the limits an admin must ' +
      'confirm before a conformity statement may use them.',
  })
  @ApiPageResponse(ProductView)
  list(@Query() query: PageQuery): Promise<Page<ProductView>> {
    return this.catalogue.list(query);
  }

  @Get('products/:id')
  @Allow('staff')
  @ApiOperation({ summary: 'A product with its regulations, parameters, methods, limits and readiness' })
  @ApiOkResponse({ type: ProductView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ProductView> {
    return this.catalogue.get(id);
  }

  @Post('limits/:id/confirm')
  @Allow('admin')
  @ApiOperation({
    summary: 'Confirm a SECONDARY or UNCERTAIN limit against a document (quality manager); from then on it is used',
    description:
      'Records who confirmed it, when and against which document, on the limit and in the audit trail. 409 if it is ' +
      'already confirmed or needs no confirmation (VERIFIED, or entered by the centre).',
  })
  @ApiCreatedResponse({ type: LimitView })
  confirmLimit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ConfirmLimitDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LimitView> {
    return this.catalogue.confirmLimit(id, dto, principal);
  }

  @Patch('methods/:id')
  @Allow('admin')
  @ApiOperation({
    summary:
      'The centre’s LOD, LOQ (from its method validation), accreditation and the environmental limits of a method (with their source and confidence); audited',
  })
  @ApiOkResponse({ type: MethodView })
  updateMethod(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMethodDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MethodView> {
    return this.catalogue.updateMethod(id, dto, principal);
  }

  @Post('conformity/evaluate')
  @Allow('staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Judge posted results against the limits in force (nothing is stored)',
    description:
      'Replicates → mean; below the LOQ "< LOQ" (never 0); "KPH" not detected. The limit is the one in force on the ' +
      'test date for the level, grade and season; simple acceptance by default, ILAC-G8 guarded with U. 422 ' +
      '`spec_limit.unconfirmed` names a limit an admin has not confirmed.',
  })
  @ApiOkResponse({ type: EvaluationView })
  evaluate(@Body() dto: EvaluateConformityDto): Promise<EvaluationView> {
    return this.conformity.evaluate(dto);
  }
}
