import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '#libs/core';
import { AffectedPage, AffectedQuery } from './dto/affected.dto.js';
import { TraceabilityService } from './traceability.service.js';

@ApiTags('standards')
@Controller('standards')
export class TraceabilityController {
  constructor(private readonly traceability: TraceabilityService) {}

  @Get(':id/affected')
  @Allow('admin', 'technician', 'reviewer')
  @ApiOperation({
    summary: 'Reverse traceability: every result that used this standard in a period',
    description:
      'One row per result, by first use: request item, instrument, customer, the revisions that used the standard, and ' +
      'the approved revision ids (what certificates are issued from). The day a standard is found out of tolerance, ' +
      'this is the list of work to re-assess.',
  })
  @ApiOkResponse({ type: AffectedPage })
  affected(@Param('id', ParseUUIDPipe) id: string, @Query() query: AffectedQuery): Promise<AffectedPage> {
    return this.traceability.affected(id, query);
  }
}
