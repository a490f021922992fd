import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/access.js';
import { ApiProblems } from '../openapi/api-responses.js';
import { PingView, SystemService } from './system.service.js';

@ApiTags('system')
@Controller('system')
@Allow('admin')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Post('pings')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue a system.ping job (proves API → queue → worker → database)',
    description: '503 `queue.unavailable` with Retry-After (nothing written) when the queue does not answer.',
  })
  @ApiAcceptedResponse({ type: PingView })
  @ApiProblems(503)
  ping(): Promise<PingView> {
    return this.system.ping();
  }

  @Get('pings/:id')
  @ApiOperation({ summary: 'State of a ping: processed by which worker, when' })
  @ApiOkResponse({ type: PingView })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PingView> {
    return this.system.get(id);
  }
}
