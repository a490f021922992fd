import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Allow,
  ApiPageResponse,
  ApiProblems,
  ApiSpreadsheetResponse,
  CurrentPrincipal,
  PageQuery,
  type Page,
  type Principal,
} from '#libs/core';
import {
  CreateInstrumentDto,
  DuePage,
  DueQuery,
  InstrumentQuery,
  InstrumentView,
  OwnershipPeriodView,
  RecordOutcomeDto,
  TransferInstrumentDto,
  ServiceRecordView,
  UpdateInstrumentDto,
} from './dto/instrument.dto.js';
import { InstrumentService } from './instrument.service.js';
import { InstrumentTransfers } from './instrument-transfer.service.js';
import { InstrumentImportQuery, InstrumentImportReport } from './import/instrument-import.dto.js';
import { InstrumentImport, type UploadedSheet } from './import/instrument-import.service.js';
import { DueExportQuery, InstrumentExport, InstrumentExportQuery } from './export/instrument-export.js';

/** At most this many bytes per spreadsheet upload (50,000 rows of XLSX are ≈ 3 MiB). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

@ApiTags('instruments')
@Controller('instruments')
export class InstrumentController {
  constructor(
    private readonly instruments: InstrumentService,
    private readonly transfers: InstrumentTransfers,
    private readonly imports: InstrumentImport,
    private readonly exports: InstrumentExport,
  ) {}

  @Get('export')
  @Allow('staff', 'business')
  @ApiOperation({
    summary: 'Instruments as XLSX or CSV, streamed (the filters of GET /instruments; a business gets its own)',
    description:
      'The columns of POST /instruments/import first (an export, edited, imports again), then id, owner, labelCode, lastServiceDate, nextDueDate.',
  })
  @ApiSpreadsheetResponse('The instruments, by serial number')
  async exportInstruments(
    @Query() query: InstrumentExportQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    await this.exports.instrumentsTo(res, query, principal);
  }

  @Get('due/export')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'The recall list as XLSX or CSV, streamed (the filters of GET /instruments/due)' })
  @ApiSpreadsheetResponse('The due list, overdue first')
  async exportDue(
    @Query() query: DueExportQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    await this.exports.dueTo(res, query, principal);
  }

  @Post('import')
  @HttpCode(200)
  @Allow('admin', 'reception', 'business')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @ApiProblems(413)
  @ApiOperation({
    summary:
      'Import instruments from an XLSX or CSV file: a dry run lists every problem; an import is all rows or none',
    description:
      'Columns (header row, any order): typeCode, manufacturer, model, serialNumber, accuracyClass, rangeMin, rangeMax, rangeUnit, resolution, resolutionUnit, scaleInterval, siteName, streetAddress, province, district, ward, status. Rows are checked with the rules of POST /instruments. An import with any problem answers 422 instrument.import_invalid and writes nothing. A business imports for itself; staff name the owner.',
  })
  @ApiOkResponse({ type: InstrumentImportReport })
  import(
    @UploadedFile() file: UploadedSheet | undefined,
    @Query() query: InstrumentImportQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentImportReport> {
    return this.imports.run(file, query, principal);
  }

  @Post()
  @Allow('admin', 'reception', 'business')
  @ApiOperation({ summary: 'Register an instrument (phương tiện đo); a business registers for itself only' })
  @ApiCreatedResponse({ type: InstrumentView })
  create(@Body() dto: CreateInstrumentDto, @CurrentPrincipal() principal: Principal): Promise<InstrumentView> {
    return this.instruments.create(dto, principal);
  }

  @Get()
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Instruments by serial number (a business sees only its own)' })
  @ApiPageResponse(InstrumentView)
  list(@Query() query: InstrumentQuery, @CurrentPrincipal() principal: Principal): Promise<Page<InstrumentView>> {
    return this.instruments.list(query, principal);
  }

  @Get('due')
  @Allow('staff', 'business')
  @ApiOperation({
    summary: 'Recall list: due within N days or overdue, by due date (overdue first)',
    description:
      "district is the place of use's district, or the owner's when the instrument was registered without one.",
  })
  @ApiOkResponse({ type: DuePage })
  due(@Query() query: DueQuery, @CurrentPrincipal() principal: Principal): Promise<DuePage> {
    return this.instruments.due(query, principal);
  }

  @Get(':id')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'An instrument with its last service and next due date (a business: its own only)' })
  @ApiOkResponse({ type: InstrumentView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<InstrumentView> {
    return this.instruments.get(id, principal);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: 'Transfer the instrument to another owner (a sale); answers the ownership periods',
    description:
      'From now on the new owner sees the instrument, its history and due date; the old owner does not. Certificates stay with the organization they were issued to. Audited.',
  })
  @ApiOkResponse({ type: [OwnershipPeriodView] })
  transfer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransferInstrumentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OwnershipPeriodView[]> {
    return this.transfers.transfer(id, dto, principal);
  }

  @Get(':id/ownership')
  @Allow('staff')
  @ApiOperation({ summary: 'Who owned the instrument when, oldest first (the last period is open)' })
  @ApiOkResponse({ type: [OwnershipPeriodView] })
  ownership(@Param('id', ParseUUIDPipe) id: string): Promise<OwnershipPeriodView[]> {
    return this.transfers.ownership(id);
  }

  @Patch(':id')
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Correct an instrument or change its status (scrapped is final)' })
  @ApiOkResponse({ type: InstrumentView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInstrumentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentView> {
    return this.instruments.update(id, dto, principal);
  }

  @Get(':id/history')
  @Allow('staff', 'business')
  @ApiOperation({ summary: 'Services received, newest first' })
  @ApiPageResponse(ServiceRecordView)
  history(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ServiceRecordView>> {
    return this.instruments.history(id, query, principal);
  }

  @Post(':id/history')
  @Allow('admin', 'reception')
  @ApiOperation({
    summary: "Record a past service from the centre's books; the next due date is recomputed",
    description:
      'A failed verification clears the next due date: the instrument may not be used until it passes again.',
  })
  @ApiCreatedResponse({ type: InstrumentView })
  record(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordOutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InstrumentView> {
    return this.instruments.recordPastService(id, dto, principal);
  }
}
