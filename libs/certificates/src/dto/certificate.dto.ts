import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CERTIFICATE_KINDS, type CertificateKind, type ConformityDecision } from '#libs/documents';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { INSTRUMENT_SERVICES, type ServiceKind } from '#libs/registry';
import { CERTIFICATE_STATUSES, type CertificateStatus } from '../status.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CertificateQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CERTIFICATE_KINDS })
  @IsOptional()
  @IsIn(CERTIFICATE_KINDS)
  kind?: CertificateKind;

  @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES })
  @IsOptional()
  @IsIn(CERTIFICATE_STATUSES)
  status?: CertificateStatus;

  @ApiPropertyOptional({ description: 'Staff only; a business always sees its own' })
  @IsOptional()
  @IsUUID('all')
  organizationId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  instrumentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  resultRevisionId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  requestItemId?: string;

  @ApiPropertyOptional({ example: 'KĐ-2026-000123' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(64)
  number?: string;

  @ApiPropertyOptional({ description: 'Issued on or after, YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  issuedFrom?: string;

  @ApiPropertyOptional({ description: 'Issued on or before, YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  issuedTo?: string;
}

export class RevokeCertificateDto {
  @ApiProperty({ example: 'Chuẩn đo lường dùng để hiệu chuẩn được phát hiện sai lệch ngoài giới hạn' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the certificate is withdrawn' })
  @MaxLength(2000)
  reason!: string;
}

export class AmendCertificateDto {
  @ApiProperty({ example: 'Sửa địa chỉ khách hàng in sai' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the certificate is amended (ISO/IEC 17025 7.8.8)' })
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({
    description:
      'The approved result revision the new certificate is issued from: a corrected revision of the same result. ' +
      'Absent: re-issued from the revision of the certificate it replaces (a correction outside the results, e.g. the customer data).',
  })
  @IsOptional()
  @IsUUID('all')
  resultRevisionId?: string;
}

const CONFORMITY_DECISIONS: readonly ConformityDecision[] = ['pass', 'fail', 'conditional_pass', 'conditional_fail'];
const DATE = { format: 'date', example: '2026-03-01' } as const;

export class CertificateRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'KĐ-2026-000123' }) number!: string;
}

export class ReplacedCertificateRef extends CertificateRef {
  @ApiProperty() reason!: string;
}

export class CertificateItemView {
  @ApiProperty() typeName!: string;
  @ApiProperty() serial!: string;
}

export class CertificateStampView {
  @ApiProperty() serial!: string;
  @ApiProperty(DATE) validUntil!: string;
}

export class CertificateFileView {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256!: string;
  @ApiProperty({ type: 'integer' }) byteSize!: number;
  @ApiProperty({ description: 'GET this (with the same credentials) for the signed PDF' }) downloadUrl!: string;
}

export class RevocationView {
  @ApiProperty({ format: 'date-time' }) revokedAt!: string;
  @ApiProperty() reason!: string;
}

export class CertificateView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'KĐ-2026-000123' }) number!: string;
  @ApiProperty({ enum: CERTIFICATE_KINDS }) kind!: CertificateKind;
  @ApiProperty({ enum: INSTRUMENT_SERVICES }) service!: ServiceKind;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status!: CertificateStatus;
  @ApiProperty({ enum: CONFORMITY_DECISIONS, nullable: true, type: String }) outcome!: ConformityDecision | null;
  @ApiProperty(DATE) measurementDate!: string;
  @ApiProperty(DATE) issueDate!: string;
  @ApiProperty({ ...DATE, type: String, nullable: true }) validUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'uuid' }) resultRevisionId!: string;
  @ApiProperty({ format: 'uuid' }) resultId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestItemId!: string | null;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() ownerName!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) instrumentId!: string | null;
  @ApiProperty({ type: CertificateItemView }) item!: CertificateItemView;
  @ApiProperty() laboratoryName!: string;
  @ApiProperty({ type: CertificateStampView, nullable: true }) stamp!: CertificateStampView | null;
  @ApiProperty({ type: CertificateFileView }) file!: CertificateFileView;
  @ApiProperty({ description: 'What the QR code opens' }) verificationUrl!: string;
  @ApiProperty({ type: ReplacedCertificateRef, nullable: true }) replaces!: ReplacedCertificateRef | null;
  @ApiProperty({ type: CertificateRef, nullable: true }) supersededBy!: CertificateRef | null;
  @ApiProperty({ type: RevocationView, nullable: true }) revocation!: RevocationView | null;
  @ApiProperty({
    description:
      'Withheld from the owner until released (an inspector’s sample): the owner does not find it and has not been told of it yet. Always false in what an owner reads.',
  })
  withheldFromOwner!: boolean;
}

export class PublicInstrumentView {
  @ApiProperty({ description: 'Instrument type' }) type!: string;
  @ApiProperty() serial!: string;
}

export class AsIssuedView {
  @ApiProperty({ ...DATE, type: String, nullable: true }) validUntil!: string | null;
  @ApiProperty({ enum: CONFORMITY_DECISIONS, nullable: true, type: String }) conformity!: ConformityDecision | null;
}

/** What anyone may learn about a certificate without logging in. */
export class PublicCertificateView {
  @ApiProperty({ example: 'KĐ-2026-000123' }) number!: string;
  @ApiProperty({ enum: CERTIFICATE_KINDS }) kind!: CertificateKind;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status!: CertificateStatus;
  @ApiProperty(DATE) issueDate!: string;
  @ApiProperty({ ...DATE, type: String, nullable: true }) validUntil!: string | null;
  /** Verification only: ĐẠT / KHÔNG ĐẠT as printed. */
  @ApiProperty({
    enum: CONFORMITY_DECISIONS,
    nullable: true,
    type: String,
    description: 'Verification only: ĐẠT / KHÔNG ĐẠT as printed',
  })
  conformity!: ConformityDecision | null;
  @ApiProperty({ type: PublicInstrumentView }) instrument!: PublicInstrumentView;
  @ApiProperty() owner!: string;
  @ApiProperty() laboratory!: string;
  @ApiProperty({ type: String, nullable: true }) stampSerial!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Number of the certificate this one replaces' })
  replaces!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Number of the certificate that replaced this one' })
  supersededBy!: string | null;
  @ApiProperty({ ...DATE, type: String, nullable: true }) revokedOn!: string | null;
  /**
   * A revoked or superseded document: what it stated when issued, kept for the record and no
   * longer valid (`validUntil` and `conformity` above are then null). null for any other status.
   */
  @ApiProperty({
    type: AsIssuedView,
    nullable: true,
    description: 'Revoked or superseded: what it stated when issued (validUntil and conformity above are then null)',
  })
  asIssued!: AsIssuedView | null;
}

export class PublicStampView {
  @ApiProperty() serial!: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status!: CertificateStatus;
  /** As printed on the stamp. */
  @ApiProperty({ ...DATE, description: 'As printed on the stamp' }) validUntil!: string;
  /** Revoked: the stamp is void from this date (the revocation's, Vietnamese calendar), whatever it prints. */
  @ApiProperty({
    ...DATE,
    type: String,
    nullable: true,
    description: 'Revoked: void from this date, whatever it prints',
  })
  voidFrom!: string | null;
  @ApiProperty({ type: PublicCertificateView }) certificate!: PublicCertificateView;
}

export class SignatureCheckView {
  @ApiProperty() signed!: boolean;
  /** The signed bytes are unchanged and the signature verifies with the embedded certificate. */
  @ApiProperty({ description: 'The signed bytes are unchanged and the signature verifies' }) intact!: boolean;
  /** The signing certificate is one this laboratory has signed certificates with. */
  @ApiProperty({ description: 'Signed with a certificate this laboratory signs with' }) signedByLaboratory!: boolean;
  @ApiProperty({ type: String, nullable: true }) signerName!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) signedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the signature does not check out' })
  problem!: string | null;
}

export class PublicVerifyResult {
  /** The file is byte for byte one that was issued (its SHA-256 is on record). */
  @ApiProperty({ description: 'The file is byte for byte one that was issued (its SHA-256 is on record)' })
  exact!: boolean;
  @ApiProperty({ type: PublicCertificateView, nullable: true }) certificate!: PublicCertificateView | null;
  @ApiProperty({ type: SignatureCheckView }) signature!: SignatureCheckView;
}
