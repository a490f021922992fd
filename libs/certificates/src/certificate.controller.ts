import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Allow,
  ApiPageResponse,
  ApiProblems,
  ApiSpreadsheetResponse,
  CurrentPrincipal,
  type Page,
  type Principal,
} from '#libs/core';
import { CertificateExport, CertificateExportQuery } from './certificate-export.js';
import { CertificateService } from './certificate.service.js';
import { AmendCertificateDto, CertificateQuery, CertificateView, RevokeCertificateDto } from './dto/certificate.dto.js';
import {
  CertificateIssueView,
  FailedCertificateIssuePage,
  FailedCertificateIssueQuery,
} from './dto/certificate-issue.dto.js';
import { CertificateIssueRetry } from './issuing/certificate-issue-retry.service.js';

/** RFC 6266 filename: an ASCII fallback (Đ → D) and the exact name in UTF-8. */
function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, (c) => (c === 'Đ' ? 'D' : 'd'))
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiTags('certificates')
@Controller('certificates')
export class CertificateController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly exports: CertificateExport,
  ) {}

  @Get('export')
  @Allow('staff', 'business')
  @ApiOperation({
    summary:
      'Certificates (e.g. those issued in a period: issuedFrom, issuedTo) as XLSX or CSV, streamed; a business gets its own',
  })
  @ApiSpreadsheetResponse('The certificates, newest issue first')
  async export(
    @Query() query: CertificateExportQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    await this.exports.to(res, query, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Certificates, newest first (a business sees its own)' })
  @ApiPageResponse(CertificateView)
  list(@Query() query: CertificateQuery, @CurrentPrincipal() principal: Principal): Promise<Page<CertificateView>> {
    return this.certificates.list(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'A certificate: its standing, what it replaces or was replaced by, and its file' })
  @ApiOkResponse({ type: CertificateView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<CertificateView> {
    return this.certificates.get(id, principal);
  }

  @Get(':id/pdf')
  @Allow('staff', 'business')
  @ApiOkResponse({
    description: 'The signed PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="<number>.pdf" (an ASCII fallback and the exact name in UTF-8)',
        schema: { type: 'string' },
      },
    },
  })
  @ApiOperation({ summary: 'The signed PDF as issued (a business downloads only its own)' })
  async pdf(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const file = await this.certificates.file(id, principal);
    return new StreamableFile(file.bytes, {
      type: 'application/pdf',
      length: file.bytes.length,
      disposition: contentDisposition(file.fileName),
    });
  }

  @Post(':id/amend')
  @Allow('reviewer', 'admin')
  @ApiOperation({
    summary:
      'Amend (ISO/IEC 17025 7.8.8): issue a new certificate with a new number that replaces this one; this one then reads "superseded by …"',
  })
  @ApiCreatedResponse({ type: CertificateView, description: 'The new certificate' })
  amend(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AmendCertificateDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateView> {
    return this.certificates.amend(id, dto, principal);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('reviewer', 'admin')
  @ApiOperation({
    summary: 'Revoke (withdraw) a current certificate, with the reason',
    description:
      "A passed verification's instrument is unverified from the revocation date: its next due date becomes that date (overdue in the due list) and its stamp reads revoked. The owner's certificate.revoked webhook fires.",
  })
  @ApiOkResponse({ type: CertificateView })
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevokeCertificateDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateView> {
    return this.certificates.revoke(id, dto, principal);
  }
}

@ApiTags('certificates')
@Controller('certificate-issues')
export class CertificateIssueController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly issues: CertificateIssueRetry,
  ) {}

  @Get()
  @Allow('admin')
  @ApiOperation({
    summary: 'Failed certificate issues (status=failed), most recently failed first, with the reason',
    description: 'The way to find them without the queue dashboard; fix the data, then POST …/retry.',
  })
  @ApiOkResponse({ type: FailedCertificateIssuePage })
  failed(@Query() query: FailedCertificateIssueQuery): Promise<FailedCertificateIssuePage> {
    return this.issues.failed(query);
  }

  @Post(':resultRevisionId/retry')
  @HttpCode(202)
  @Allow('admin')
  @ApiOperation({
    summary: 'Queue the issue of a failed certificate again, after the data was fixed (audited)',
    description:
      '202 with the state (queued); 404 if the revision is unknown or not approved; 409 if its certificate is issued, still pending, or an amendment is required; 503 `queue.unavailable` with Retry-After (nothing written) when the queue does not answer.',
  })
  @ApiAcceptedResponse({ type: CertificateIssueView })
  @ApiProblems(503)
  async retry(
    @Param('resultRevisionId', ParseUUIDPipe) resultRevisionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateIssueView> {
    await this.issues.retry(resultRevisionId, principal);
    return this.certificates.issueState(resultRevisionId, principal);
  }

  @Get(':resultRevisionId')
  @Allow('staff', 'business')
  @ApiOkResponse({ type: CertificateIssueView })
  @ApiOperation({
    summary:
      'Where the certificate of an approved result revision stands: queued, running, issued, failed, amendment_required or not_requested (derived from the outbox first, so a job the queue lost still reads queued)',
  })
  state(
    @Param('resultRevisionId', ParseUUIDPipe) resultRevisionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateIssueView> {
    return this.certificates.issueState(resultRevisionId, principal);
  }
}
