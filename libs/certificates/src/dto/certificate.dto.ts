import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CERTIFICATE_KINDS, type CertificateKind, type ConformityDecision } from '#libs/documents';
import { IsCalendarDate, PageQuery } from '#libs/core';
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

export class CertificateRef {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'KĐ-2026-000123' }) number!: string;
}

export class CertificateReplacedRef extends CertificateRef {
  @ApiProperty() reason!: string;
}

export class CertificateItemView {
  @ApiProperty({ example: 'Cột đo xăng dầu' }) typeName!: string;
  @ApiProperty() serial!: string;
}

export class CertificateStampView {
  @ApiProperty() serial!: string;
  @ApiProperty() validUntil!: string;
}

export class CertificateFileView {
  @ApiProperty() sha256!: string;
  @ApiProperty() byteSize!: number;
  @ApiProperty({ example: '/certificates/{id}/pdf' }) downloadUrl!: string;
}

export class CertificateRevocationView {
  @ApiProperty() revokedAt!: string;
  @ApiProperty() reason!: string;
}

export class CertificateView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'KĐ-2026-000123' }) number!: string;
  @ApiProperty({ enum: CERTIFICATE_KINDS }) kind!: CertificateKind;
  @ApiProperty() service!: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status!: CertificateStatus;
  @ApiProperty({ nullable: true, enum: ['pass', 'fail', 'conditional_pass', 'conditional_fail'] })
  outcome!: ConformityDecision | null;
  @ApiProperty() measurementDate!: string;
  @ApiProperty() issueDate!: string;
  @ApiProperty({ nullable: true, type: String }) validUntil!: string | null;
  @ApiProperty() issuedAt!: string;
  @ApiProperty() resultRevisionId!: string;
  @ApiProperty() resultId!: string;
  @ApiProperty({ nullable: true, type: String }) requestItemId!: string | null;
  @ApiProperty() organizationId!: string;
  @ApiProperty() ownerName!: string;
  @ApiProperty({ nullable: true, type: String }) instrumentId!: string | null;
  @ApiProperty({ type: CertificateItemView }) item!: CertificateItemView;
  @ApiProperty() laboratoryName!: string;
  @ApiProperty({ nullable: true, type: CertificateStampView }) stamp!: CertificateStampView | null;
  @ApiProperty({ type: CertificateFileView }) file!: CertificateFileView;
  @ApiProperty() verificationUrl!: string;
  @ApiProperty({ nullable: true, type: CertificateReplacedRef }) replaces!: CertificateReplacedRef | null;
  @ApiProperty({ nullable: true, type: CertificateRef }) supersededBy!: CertificateRef | null;
  @ApiProperty({ nullable: true, type: CertificateRevocationView }) revocation!: CertificateRevocationView | null;
}

export class CertificatePage {
  @ApiProperty({ type: [CertificateView] }) items!: CertificateView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** What anyone may learn about a certificate without logging in. */
export interface PublicCertificateView {
  number: string;
  kind: CertificateKind;
  status: CertificateStatus;
  issueDate: string;
  validUntil: string | null;
  /** Verification only: ĐẠT / KHÔNG ĐẠT as printed. */
  conformity: ConformityDecision | null;
  instrument: { type: string; serial: string };
  owner: string;
  laboratory: string;
  stampSerial: string | null;
  replaces: string | null;
  supersededBy: string | null;
  revokedOn: string | null;
  /**
   * A revoked or superseded document: what it stated when issued, kept for the record and no
   * longer valid (`validUntil` and `conformity` above are then null). null for any other status.
   */
  asIssued: { validUntil: string | null; conformity: ConformityDecision | null } | null;
}

export interface PublicStampView {
  serial: string;
  status: CertificateStatus;
  /** As printed on the stamp. */
  validUntil: string;
  /** Revoked: the stamp is void from this date (the revocation's, Vietnamese calendar), whatever it prints. */
  voidFrom: string | null;
  certificate: PublicCertificateView;
}

export interface PublicVerifyResult {
  /** The file is byte for byte one that was issued (its SHA-256 is on record). */
  exact: boolean;
  certificate: PublicCertificateView | null;
  signature: {
    signed: boolean;
    /** The signed bytes are unchanged and the signature verifies with the embedded certificate. */
    intact: boolean;
    /** The signing certificate is one this laboratory has signed certificates with. */
    signedByLaboratory: boolean;
    signerName: string | null;
    signedAt: string | null;
    problem: string | null;
  };
}
