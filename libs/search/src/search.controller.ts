import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '#libs/core';
import { SearchQuery, SearchResultView } from './dto/search.dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @Allow('staff')
  @ApiOperation({
    summary:
      'Find requests, certificates, instruments and organizations by number, serial, label code, name or tax code (case and diacritics ignored: "KD" finds "KĐ"), best first',
  })
  @ApiOkResponse({ type: SearchResultView })
  find(@Query() query: SearchQuery): Promise<SearchResultView> {
    return this.search.search(query.q, query.limit);
  }
}
