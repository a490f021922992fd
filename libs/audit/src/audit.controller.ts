import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, type Page } from '#libs/core';
import { AuditTrail } from './audit-trail.service.js';
import { AuditChainReportView, AuditQuery, AuditEventView } from './dto/audit.dto.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @Allow('admin', 'reviewer', 'technician')
  @ApiOperation({ summary: 'The append-only audit trail of technical records, oldest first; by entity, or by actor' })
  @ApiPageResponse(AuditEventView)
  list(@Query() query: AuditQuery): Promise<Page<AuditEventView>> {
    return this.audit.list(query);
  }

  @Get('verify')
  @Allow('admin')
  @ApiOperation({
    summary: 'Checks the hash chain of the whole audit trail and names the first broken link (entry id, position)',
  })
  @ApiOkResponse({ type: AuditChainReportView })
  verify(): Promise<AuditChainReportView> {
    return this.audit.verify();
  }
}
