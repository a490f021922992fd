import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Allow,
  ApiPageResponse,
  ApiProblems,
  CurrentPrincipal,
  PageQuery,
  type Page,
  type Principal,
} from '#libs/core';
import {
  CustodyChainView,
  CustodyStepDto,
  SampleSubmissionView,
  SampleView,
  SubmitSamplesDto,
} from '../dto/sample.dto.js';
import { SampleService } from './sample.service.js';

@ApiTags('testing')
@Controller('testing')
export class SamplesController {
  constructor(private readonly samples: SampleService) {}

  @Post('samples')
  @Allow('admin', 'reception', 'business')
  @ApiOperation({
    summary: 'Submit test samples: one request (YC-…) with one item per sample, service testing',
    description:
      'A business key submits for its own organization the samples it took (sampling.by customer) and then delivers ' +
      'them; reception registers walk-in customers’ samples and inspectors’ samples (market surveillance: sampling.by ' +
      'inspector with the inspection reference; the owner in organizationId does not see results before they are ' +
      'released). 422 `test_sample.invalid` names each field: unknown product, level or grade not the product’s.',
  })
  @ApiCreatedResponse({ type: SampleSubmissionView })
  @ApiProblems(400, 422)
  submitSamples(
    @Body() dto: SubmitSamplesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SampleSubmissionView> {
    return this.samples.submit(dto, principal);
  }

  @Get('requests/:id/samples')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The samples of a request, by ordinal (a business: its own requests only, else 404)' })
  @ApiPageResponse(SampleView)
  @ApiProblems(400, 404)
  listSamples(
    @Param('id', ParseUUIDPipe) requestId: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<SampleView>> {
    return this.samples.list(requestId, query, principal);
  }

  @Get('samples/:itemId')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'A sample (its request item id): product, level, grade, lot, sampling, receipt, release' })
  @ApiOkResponse({ type: SampleView })
  @ApiProblems(404)
  getSample(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SampleView> {
    return this.samples.get(itemId, principal);
  }

  @Get('samples/:itemId/custody')
  @Allow('staff', 'business')
  @ApiOperation({
    summary: 'The chain of custody: the receipt, every step (dated, by whom) and each portion with its own steps',
  })
  @ApiOkResponse({ type: CustodyChainView })
  @ApiProblems(404)
  custodyChain(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CustodyChainView> {
    return this.samples.chain(itemId, principal);
  }

  @Post('samples/:itemId/custody')
  @Allow('admin', 'reception', 'technician')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a custody step: split into portions, stored, subcontracted to a named lab, returned, disposed',
    description:
      'Of the whole sample, or of one portion (portionId). After receipt only; nothing after disposal or return; a ' +
      'split sample moves through its portions; not dated in the future nor before the previous step; no disposal ' +
      'before retainUntil. 409 `custody.step_not_allowed` names `from` and `allowed`. Audited.',
  })
  @ApiCreatedResponse({ type: CustodyChainView })
  @ApiProblems(400, 404, 409, 422)
  recordCustodyStep(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: CustodyStepDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CustodyChainView> {
    return this.samples.recordStep(itemId, dto, principal);
  }

  @Post('samples/:itemId/release')
  @Allow('admin', 'inspector')
  @HttpCode(200)
  @ApiOperation({
    summary: 'An inspector’s sample: release its results to the owner (after the inspecting authority has them)',
    description: 'Until then the owner’s reads of results, analyses and reports are withheld. Audited.',
  })
  @ApiOkResponse({ type: SampleView })
  @ApiProblems(404, 409)
  releaseResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SampleView> {
    return this.samples.release(itemId, principal);
  }
}
