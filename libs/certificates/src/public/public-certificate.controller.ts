import {
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, ApiRateLimited, DomainError, InvalidInputError, Public } from '#libs/core';
import { PublicCertificateView, PublicStampView, PublicVerifyResult } from '../dto/certificate.dto.js';
import { PublicCertificateService } from './public-certificate.service.js';
import { PublicRateLimitGuard } from './public-rate-limit.js';
import { certificatePage, stampPage, VERIFY_PAGE_CSP } from './verify-page.js';

/** A signed certificate is some tens of kilobytes; anything far larger is not one of ours. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** 404 for a number no certificate has: problem details naming the number (also what the fast path answers). */
export function unknownCertificate(number: string): DomainError {
  return new DomainError('not_found', 'public.certificate_unknown', `No certificate has the number ${number}`, {
    number,
  });
}

/** 404 for a serial no stamp has: problem details naming the serial. */
export function unknownStamp(serial: string): DomainError {
  return new DomainError('not_found', 'public.stamp_unknown', `No verification stamp has the serial ${serial}`, {
    serial,
  });
}

const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };

/** Anyone, without logging in, rate-limited per client address: is this certificate or stamp genuine and valid? */
@ApiTags('public verification')
@Controller('public')
@Public()
@UseGuards(PublicRateLimitGuard)
@ApiRateLimited()
export class PublicCertificateController {
  constructor(private readonly certificates: PublicCertificateService) {}

  @Get('certificates/:number')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Status of a certificate or failure notice by its number (valid, expired, revoked, superseded, not_passed)',
    description: 'An unknown number answers 404 problem details `public.certificate_unknown` with `number`.',
  })
  @ApiOkResponse({ type: PublicCertificateView })
  async certificate(@Param('number') number: string): Promise<PublicCertificateView> {
    const view = await this.certificates.byNumber(number);
    if (!view) throw unknownCertificate(number);
    return view;
  }

  @Get('stamps/:serial')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Status of a verification stamp (tem kiểm định) by its serial, with its certificate',
    description: 'An unknown serial answers 404 problem details `public.stamp_unknown` with `serial`.',
  })
  @ApiOkResponse({ type: PublicStampView })
  async stamp(@Param('serial') serial: string): Promise<PublicStampView> {
    const view = await this.certificates.byStamp(serial);
    if (!view) throw unknownStamp(serial);
    return view;
  }

  @Post('certificates/verify')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @ApiOperation({
    summary: 'Is this PDF exactly a certificate that was issued (SHA-256), and is its digital signature intact?',
  })
  @ApiOkResponse({ type: PublicVerifyResult })
  @ApiProblems(413)
  async verify(@UploadedFile() file: { buffer: Buffer } | undefined): Promise<PublicVerifyResult> {
    if (!file?.buffer?.length) {
      throw new InvalidInputError([{ field: 'file', message: 'send the PDF as the multipart field "file"' }]);
    }
    return this.certificates.verifyFile(file.buffer);
  }
}

/** The page the QR code of a certificate (and of a stamp) opens on a phone. */
@ApiTags('public verification')
@Controller('verify')
@Public()
@UseGuards(PublicRateLimitGuard)
@ApiRateLimited()
export class VerifyPageController {
  constructor(private readonly certificates: PublicCertificateService) {}

  @Get('stamps/:serial')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', VERIFY_PAGE_CSP)
  @ApiOperation({ summary: 'HTML page (Vietnamese) for a verification stamp' })
  @ApiOkResponse({ description: 'The page', content: HTML_PAGE })
  @ApiNotFoundResponse({ description: 'The page, saying the stamp is unknown', content: HTML_PAGE })
  async stamp(@Param('serial') serial: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const view = await this.certificates.byStamp(serial);
    if (!view) res.status(404);
    return stampPage(serial, view);
  }

  @Get(':number')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', VERIFY_PAGE_CSP)
  @ApiOperation({ summary: 'HTML page (Vietnamese) for a certificate: what its QR code opens' })
  @ApiOkResponse({ description: 'The page', content: HTML_PAGE })
  @ApiNotFoundResponse({ description: 'The page, saying the number is unknown', content: HTML_PAGE })
  async certificate(@Param('number') number: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const view = await this.certificates.byNumber(number);
    if (!view) res.status(404);
    return certificatePage(number, view);
  }
}
