import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, ApiProblems, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import {
  ApproveDto,
  RecordResultDto,
  ResultPreviewView,
  ResultQuery,
  ResultSummaryView,
  ResultView,
  ReturnDto,
  ReviseResultDto,
  RevisionSummaryView,
  RevisionView,
  SubmitDto,
} from './dto/result.dto.js';
import { ResultService } from './result.service.js';
import { ReviewService } from './review.service.js';

@ApiTags('results')
@Controller('results')
export class ResultController {
  constructor(
    private readonly results: ResultService,
    private readonly review: ReviewService,
  ) {}

  @Post()
  @Allow('technician')
  @ApiOperation({
    summary: 'Record a calibration or verification result (revision 1, draft)',
    description:
      'The technician must be authorised to perform the service on the instrument type on the measurement date. ' +
      'Refused with 422: a standard not usable on the measurement date (`result.standard_unusable`, naming each ' +
      'standard and why), environment outside the procedure’s limits (`result.environment_out_of_limits`, naming ' +
      'the field), an MPE that cannot be determined where a decision is needed (`result.mpe_unknown`), a budget the ' +
      'maths cannot evaluate (`uncertainty.invalid_input`, naming e.g. `points[0].readings`). Per point the error ' +
      '(mean of readings + corrections − reference), u_c, ν_eff, k, U, rounded U and error, MPE and decision are ' +
      'computed and stored with the inputs that produced them. Verification always decides (procedure’s rule, simple ' +
      'acceptance by default); calibration only when conformity is requested, with the named rule.',
  })
  @ApiCreatedResponse({ type: ResultView })
  record(@Body() dto: RecordResultDto, @CurrentPrincipal() principal: Principal): Promise<ResultView> {
    return this.results.record(dto, principal);
  }

  @Post('preview')
  @HttpCode(200)
  @Allow('technician')
  @ApiOperation({
    summary: 'What recording this result would compute, recorded nowhere (the worksheet’s live preview)',
    description:
      'The body of POST /results; the same checks and the same 422s (naming the field), but nothing is written and ' +
      'the item does not move. Per point: error, U, k, MPE, U/MPE and the decision; and the verdict of the item.',
  })
  @ApiOkResponse({ type: ResultPreviewView })
  preview(@Body() dto: RecordResultDto, @CurrentPrincipal() principal: Principal): Promise<ResultPreviewView> {
    return this.results.preview(dto, principal);
  }

  @Get()
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({
    summary: 'Results, filtered by status (the reviewer’s queue: ?status=submitted), item or technician',
  })
  @ApiPageResponse(ResultSummaryView)
  list(@Query() query: ResultQuery): Promise<Page<ResultSummaryView>> {
    return this.results.list(query);
  }

  @Get(':id')
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({ summary: 'A result with its latest revision' })
  @ApiOkResponse({ type: ResultView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ResultView> {
    return this.results.get(id);
  }

  @Post(':id/revisions')
  @Allow('technician')
  @ApiOperation({
    summary: 'Correct a result: a new revision with a reason (fields left out are carried over)',
    description:
      'Records are never overwritten (ISO/IEC 17025 7.5): the previous revision stays readable, and the audit trail ' +
      'keeps before, after and the reason. An approved result can be corrected too; the new revision needs approval.',
  })
  @ApiCreatedResponse({ type: ResultView })
  revise(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReviseResultDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResultView> {
    return this.results.revise(id, dto, principal);
  }

  @Get(':id/revisions')
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({ summary: 'Every revision of a result, oldest first' })
  @ApiOkResponse({ type: [RevisionSummaryView] })
  revisions(@Param('id', ParseUUIDPipe) id: string): Promise<RevisionSummaryView[]> {
    return this.results.revisions(id);
  }

  @Get(':id/revisions/:n')
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({ summary: 'One revision of a result, with its inputs and computed points' })
  @ApiOkResponse({ type: RevisionView })
  revision(@Param('id', ParseUUIDPipe) id: string, @Param('n', ParseIntPipe) n: number): Promise<RevisionView> {
    return this.results.revision(id, n);
  }

  @Patch(':id/revisions/:n')
  @Allow('staff')
  @ApiOperation({
    summary: 'Always refused (409): a revision is never edited in place',
    description:
      '`result.revision_approved` for an approved revision, `result.revision_immutable` otherwise; correct with POST /results/{id}/revisions.',
  })
  @ApiProblems(409)
  editInPlace(@Param('id', ParseUUIDPipe) id: string, @Param('n', ParseIntPipe) n: number): Promise<never> {
    return this.results.refuseEdit(id, n);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Allow('technician')
  @ApiOperation({ summary: 'Submit the latest (draft) revision for review; by the technician who recorded it' })
  @ApiOkResponse({ type: ResultView })
  submit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SubmitDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResultView> {
    return this.review.submit(id, dto, principal);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Allow('reviewer')
  @ApiOperation({
    summary: 'Approve a submitted revision',
    description:
      'The reviewer must be authorised to approve the service on the type today and may not have recorded any ' +
      'revision of the result (403 `result.self_approval`). In one transaction: the revision becomes immutable, the ' +
      'instrument’s service history and next due date are updated, and a `certificate.issue` job is queued ' +
      '(jobId `certificate.<resultRevisionId>`).',
  })
  @ApiOkResponse({ type: ResultView })
  approve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResultView> {
    return this.review.approve(id, dto, principal);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Allow('reviewer')
  @ApiOperation({ summary: 'Send a submitted revision back to the technician with a comment' })
  @ApiOkResponse({ type: ResultView })
  return(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResultView> {
    return this.review.return(id, dto, principal);
  }
}
