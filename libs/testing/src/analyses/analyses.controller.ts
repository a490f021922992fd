import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '#libs/core';
import { AnalysesService } from './analyses.service.js';
import {
  ChooseAnalysesDto,
  RecordTestResultsDto,
  SampleAnalysesView,
  TestResultView,
  TestReturnDto,
  TestReviewDto,
} from './dto/analysis.dto.js';
import { TestResultsService } from './test-results.service.js';
import { TestReviewService } from './test-review.service.js';

/** A sample's analyses, results and review; `:itemId` is the sample's request item. */
@ApiTags('testing')
@Controller('testing/samples/:itemId')
export class AnalysesController {
  constructor(
    private readonly analyses: AnalysesService,
    private readonly results: TestResultsService,
    private readonly review: TestReviewService,
  ) {}

  @Get('analyses')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The analyses chosen for a sample at contract review (a business: its own samples)' })
  @ApiOkResponse({ type: SampleAnalysesView })
  readAnalyses(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<SampleAnalysesView> {
    return this.analyses.get(itemId, p);
  }

  @Post('analyses')
  @HttpCode(200)
  @Allow('reception', 'admin')
  @ApiOperation({
    summary: 'Contract review: choose the analyses (the product’s full set, or a subset) until testing starts',
    description:
      'Each parameter with its method (default: the first), the method’s accreditation at this moment (marked (*) ' +
      'on the report) and a subcontracting laboratory if any (marked (**)). 422 `analysis.no_authorised_analyst` ' +
      'when nobody is authorised for testing today; 409 `analysis.locked` once results exist. Audited.',
  })
  @ApiOkResponse({ type: SampleAnalysesView })
  chooseAnalyses(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: ChooseAnalysesDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<SampleAnalysesView> {
    return this.analyses.choose(itemId, dto, p);
  }

  @Get('results')
  @Allow('staff')
  @ApiOperation({ summary: 'The sample’s results, every revision (a retest keeps the first)' })
  @ApiOkResponse({ type: TestResultView })
  readResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<TestResultView> {
    return this.results.get(itemId, p);
  }

  @Post('results')
  @Allow('technician')
  @ApiOperation({
    summary: 'Record the results (revision 1), or a retest / correction (revision n+1, with its reason)',
    description:
      'Only an analyst authorised for testing (staff authorisation, service `testing`, activity `perform`) on the ' +
      'test date. Replicates → the mean, converted from `unit` to the parameter’s (mathjs); below the method’s LOQ ' +
      '"< LOQ" (LOQ/2 in means), "KPH" not detected, never 0; equipment usable on the test date (422 ' +
      '`test_result.equipment_unusable`); judged against the limit in force for the sample’s level, grade and ' +
      'season on the test date under the sample’s decision rule. A limit not confirmed → 422 ' +
      '`spec_limit.unconfirmed` naming it.',
  })
  @ApiCreatedResponse({ type: TestResultView })
  recordResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: RecordTestResultsDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TestResultView> {
    return this.results.record(itemId, dto, p);
  }

  @Post('results/submit')
  @HttpCode(200)
  @Allow('technician')
  @ApiOperation({ summary: 'Submit a draft revision for review (by the analyst who recorded it)' })
  @ApiOkResponse({ type: TestResultView })
  submitResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: TestReviewDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TestResultView> {
    return this.review.submit(itemId, dto, p);
  }

  @Post('results/approve')
  @HttpCode(200)
  @Allow('reviewer')
  @ApiOperation({
    summary: 'Approve the submitted revision: the test report is issued through the certificate queue',
    description:
      'By a second person authorised to approve tests who recorded no revision (403 `test_result.self_approval`).',
  })
  @ApiOkResponse({ type: TestResultView })
  approveResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: TestReviewDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TestResultView> {
    return this.review.approve(itemId, dto, p);
  }

  @Post('results/return')
  @HttpCode(200)
  @Allow('reviewer')
  @ApiOperation({ summary: 'Return the submitted revision to the analyst, with the reason' })
  @ApiOkResponse({ type: TestResultView })
  returnResults(
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: TestReturnDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TestResultView> {
    return this.review.return(itemId, dto, p);
  }
}
