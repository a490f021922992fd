import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, ApiProblems, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import {
  NoticePreferenceDto,
  NoticePreferenceView,
  NoticeQuery,
  NoticeView,
  RecallScanDto,
  RecallScanQueuedView,
} from './dto/notice.dto.js';
import { NoticeService } from './notice.service.js';

@ApiTags('notices')
@Controller('notices')
export class NoticeController {
  constructor(private readonly notices: NoticeService) {}

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Notices sent (recall, out-of-tolerance), newest first, with their e-mail delivery log' })
  @ApiPageResponse(NoticeView)
  list(@Query() query: NoticeQuery, @CurrentPrincipal() principal: Principal): Promise<Page<NoticeView>> {
    return this.notices.list(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({
    summary: 'A notice: what it named (a recall carries requestBody, ready for POST /requests) and its e-mails',
  })
  @ApiOkResponse({ type: NoticeView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<NoticeView> {
    return this.notices.get(id, principal);
  }

  @Post('recall-scan')
  @HttpCode(202)
  @Allow('admin')
  @ApiOperation({
    summary: 'Run the recall scan now (it runs daily by itself); sends only what was not sent for each period',
  })
  @ApiAcceptedResponse({ type: RecallScanQueuedView })
  @ApiProblems(503)
  scan(@Body() dto: RecallScanDto): Promise<RecallScanQueuedView> {
    return this.notices.scanNow(dto.asOf);
  }
}

@ApiTags('notices')
@Controller('organizations/:id/notice-preferences')
export class NoticePreferenceController {
  constructor(private readonly notices: NoticeService) {}

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Whether the organization receives recall notices' })
  @ApiOkResponse({ type: NoticePreferenceView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<NoticePreferenceView> {
    return this.notices.preference(id, principal);
  }

  @Put()
  @Allow('admin', 'reception', 'business')
  @ApiOperation({ summary: 'Opt in or out of recall notices (the business itself, or staff); audited' })
  @ApiOkResponse({ type: NoticePreferenceView })
  put(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NoticePreferenceDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NoticePreferenceView> {
    return this.notices.setPreference(id, dto.recallNotices, principal);
  }
}
