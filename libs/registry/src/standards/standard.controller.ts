import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Allow,
  ApiPageResponse,
  ApiProblems,
  CurrentPrincipal,
  PageQuery,
  type Page,
  type Principal,
} from '#libs/core';
import {
  StandardCertificateFileView,
  CalibrationView,
  CheckView,
  CreateCalibrationDto,
  CreateCheckDto,
  CreateStandardDto,
  StandardAtQuery,
  StandardQuery,
  StandardsDuePage,
  StandardsDueQuery,
  StandardStatusView,
  StandardView,
  TraceabilityView,
  UpdateStandardDto,
} from './dto/standard.dto.js';
import { StandardService } from './standard.service.js';
import {
  MAX_STANDARD_CERTIFICATE_BYTES,
  StandardCertificateFiles,
  type UploadedPdf,
} from './standard-certificate-file.service.js';

@ApiTags('standards')
@Controller('standards')
export class StandardController {
  constructor(
    private readonly standards: StandardService,
    private readonly certificateFiles: StandardCertificateFiles,
  ) {}

  @Post()
  @Allow('admin', 'technician')
  @ApiOperation({ summary: 'Register a measurement standard of the centre (chuẩn đo lường)' })
  @ApiCreatedResponse({ type: StandardView })
  create(@Body() dto: CreateStandardDto, @CurrentPrincipal() principal: Principal): Promise<StandardView> {
    return this.standards.create(dto, principal);
  }

  @Get()
  @Allow('staff')
  @ApiOperation({ summary: 'The centre’s measurement standards' })
  @ApiPageResponse(StandardView)
  list(@Query() query: StandardQuery): Promise<Page<StandardView>> {
    return this.standards.list(query);
  }

  @Get('due')
  @Allow('staff')
  @ApiOperation({ summary: 'Standards whose calibration falls due within N days (or is overdue, or never made)' })
  @ApiOkResponse({ type: StandardsDuePage })
  due(@Query() query: StandardsDueQuery): Promise<StandardsDuePage> {
    return this.standards.due(query);
  }

  @Get(':id')
  @Allow('staff')
  @ApiOperation({ summary: 'A measurement standard' })
  @ApiOkResponse({ type: StandardView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<StandardView> {
    return this.standards.get(id);
  }

  @Patch(':id')
  @Allow('admin', 'technician')
  @ApiOperation({ summary: 'Correct a measurement standard' })
  @ApiOkResponse({ type: StandardView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateStandardDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StandardView> {
    return this.standards.update(id, dto, principal);
  }

  @Post(':id/calibrations')
  @Allow('admin', 'technician')
  @ApiOperation({
    summary: 'Record a calibration certificate from a higher laboratory, with what it is traceable to',
    description:
      'A link that would close a traceability cycle is refused with 409. (The certificate PDF is not stored yet.)',
  })
  @ApiCreatedResponse({ type: CalibrationView })
  addCalibration(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateCalibrationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CalibrationView> {
    return this.standards.addCalibration(id, dto, principal);
  }

  @Get(':id/calibrations')
  @Allow('staff')
  @ApiOperation({ summary: 'The standard’s calibration certificates, newest first' })
  @ApiPageResponse(CalibrationView)
  calibrations(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<Page<CalibrationView>> {
    return this.standards.listCalibrations(id, query);
  }

  @Put(':id/calibrations/:calibrationId/certificate')
  @Allow('admin', 'technician')
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: MAX_STANDARD_CERTIFICATE_BYTES, files: 1, fields: 0 } }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiProblems(413)
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @ApiOperation({
    summary:
      "Attach the calibration certificate's own PDF (from VMI or another laboratory) to this calibration record: PDF only, at most 10 MiB, kept by SHA-256; a new upload replaces it (audited)",
  })
  @ApiOkResponse({ type: StandardCertificateFileView })
  attachCertificate(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('calibrationId', ParseUUIDPipe) calibrationId: string,
    @UploadedFile() file: UploadedPdf | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StandardCertificateFileView> {
    return this.certificateFiles.attach(id, calibrationId, file, principal);
  }

  @Get(':id/calibrations/:calibrationId/certificate')
  @Allow('staff')
  @ApiOkResponse({
    description: "The calibration certificate's PDF, byte for byte as uploaded",
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="…" (an ASCII fallback and the name as uploaded in UTF-8)',
        schema: { type: 'string' },
      },
    },
  })
  @ApiOperation({ summary: "The calibration certificate's own PDF, as uploaded" })
  async certificate(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('calibrationId', ParseUUIDPipe) calibrationId: string,
  ): Promise<StreamableFile> {
    const { bytes, fileName } = await this.certificateFiles.download(id, calibrationId);
    const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]|["\\]/g, '_');
    return new StreamableFile(bytes, {
      type: 'application/pdf',
      length: bytes.length,
      disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    });
  }

  @Post(':id/checks')
  @Allow('admin', 'technician')
  @ApiOperation({ summary: 'Record an intermediate check (kiểm tra giữa kỳ)' })
  @ApiCreatedResponse({ type: CheckView })
  addCheck(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateCheckDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CheckView> {
    return this.standards.addCheck(id, dto, principal);
  }

  @Get(':id/checks')
  @Allow('staff')
  @ApiOperation({ summary: 'The standard’s intermediate checks, newest first' })
  @ApiPageResponse(CheckView)
  checks(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<Page<CheckView>> {
    return this.standards.listChecks(id, query);
  }

  @Get(':id/status')
  @Allow('staff')
  @ApiOperation({ summary: 'Usable on a date or not, with the reasons' })
  @ApiOkResponse({ type: StandardStatusView })
  status(@Param('id', ParseUUIDPipe) id: string, @Query() query: StandardAtQuery): Promise<StandardStatusView> {
    return this.standards.standardStatus(id, query.at);
  }

  @Get(':id/traceability')
  @Allow('staff')
  @ApiOperation({
    summary: 'The chain of calibrations up to the national standard, each link with certificate, U, k and validity',
  })
  @ApiOkResponse({ type: TraceabilityView })
  traceability(@Param('id', ParseUUIDPipe) id: string, @Query() query: StandardAtQuery): Promise<TraceabilityView> {
    return this.standards.traceability(id, query.at);
  }
}
