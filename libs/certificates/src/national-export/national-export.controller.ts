import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow } from '#libs/core';
import { NationalExportQuery } from './national-export.dto.js';
import { NationalExport } from './national-export.service.js';

@ApiTags('exports')
@Controller('exports/national')
export class NationalExportController {
  constructor(private readonly exports: NationalExport) {}

  @Get('certificates')
  @Allow('admin', 'reviewer', 'inspector')
  @ApiOperation({
    summary: 'Issued certificates and verification results for national systems: JSON Lines, schema v1',
    description:
      'One line per certificate, each valid against contract/national-export.v1.schema.json (its $schema names it). Lines come in the order certificates last changed (issued, or revoked: a revoked certificate comes again with its revocation), and only changes older than NATIONAL_EXPORT_SETTLE_SECONDS. Pull with the X-Next-Cursor of the previous answer to get only what changed since; X-More says whether more lines are ready now. issuedFrom/issuedTo filter by issue date. Read-only.',
  })
  @ApiOkResponse({
    description: 'JSON Lines, one certificate per line',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
    headers: {
      'X-Next-Cursor': {
        description: 'Pass as cursor to continue; absent only when nothing was ever exported',
        schema: { type: 'string' },
      },
      'X-More': {
        description: '"true" when more lines are ready now',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @ApiNoContentResponse({
    description: 'Nothing changed since the cursor (or nothing matches): pull again later with the same X-Next-Cursor',
    headers: {
      'X-Next-Cursor': { description: 'The cursor given, to pull again with', schema: { type: 'string' } },
      'X-More': { description: '"false"', schema: { type: 'string', enum: ['false'] } },
    },
  })
  async certificates(@Query() query: NationalExportQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const page = await this.exports.page(query);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
    res.setHeader('X-More', String(page.more));
    if (page.lines.length === 0) res.status(204);
    return page.lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  }
}
