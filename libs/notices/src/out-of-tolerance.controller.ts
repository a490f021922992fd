import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '#libs/core';
import { CertificateDecisionDto, CreateFindingDto, FindingCertificateView, FindingView } from './dto/notice.dto.js';
import { OutOfToleranceService } from './out-of-tolerance.service.js';

@ApiTags('standards')
@Controller('standards/:id/findings')
export class OutOfToleranceController {
  constructor(private readonly findings: OutOfToleranceService) {}

  @Post()
  @Allow('admin', 'technician')
  @ApiOperation({
    summary: 'Record that the standard was found out of tolerance; notify each affected customer once',
    description:
      'The evidence is a failed intermediate check or a calibration of the standard. The certificates issued from ' +
      'results that used it since its last good check (calibration or passed check) are listed, and each customer gets ' +
      'one notice naming its certificates: an e-mail and a standard.out_of_tolerance webhook.',
  })
  @ApiCreatedResponse({ type: FindingView })
  record(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateFindingDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FindingView> {
    return this.findings.record(id, dto, principal);
  }

  @Get(':findingId')
  @Allow('admin', 'technician', 'reviewer')
  @ApiOperation({ summary: 'A finding: its period, the certificates it names and the decisions taken' })
  @ApiOkResponse({ type: FindingView })
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('findingId', ParseUUIDPipe) findingId: string,
  ): Promise<FindingView> {
    return this.findings.get(id, findingId);
  }

  @Put(':findingId/certificates/:certificateId/decision')
  @Allow('admin', 'reviewer')
  @ApiOperation({ summary: 'The centre’s decision on one certificate: no impact, recall or re-issue (audited)' })
  @ApiOkResponse({ type: FindingCertificateView })
  decide(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('findingId', ParseUUIDPipe) findingId: string,
    @Param('certificateId', ParseUUIDPipe) certificateId: string,
    @Body() dto: CertificateDecisionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FindingCertificateView> {
    return this.findings.decide(id, findingId, certificateId, dto, principal);
  }
}
