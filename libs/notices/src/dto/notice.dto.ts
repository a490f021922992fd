import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import {
  CERTIFICATE_DECISIONS,
  EMAIL_STATES,
  FINDING_SOURCES,
  NOTICE_KINDS,
  RECALL_PERIODS,
  type CertificateDecision,
  type EmailState,
  type FindingSource,
  type NoticeKind,
  type RecallPeriod,
} from '../notice.entities.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class NoticePreferenceDto {
  @ApiProperty({
    description: 'false: the organization opts out of recall notices (e-mail and instrument.due webhook)',
  })
  @IsBoolean()
  recallNotices!: boolean;
}

export class NoticePreferenceView {
  @ApiProperty() organizationId!: string;
  @ApiProperty() recallNotices!: boolean;
}

export class NoticeQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Staff: one organization (a business always sees only its own)' })
  @IsOptional()
  @IsUUID('all')
  organization?: string;

  @ApiPropertyOptional({ enum: NOTICE_KINDS })
  @IsOptional()
  @IsIn(NOTICE_KINDS)
  kind?: NoticeKind;

  @ApiPropertyOptional({ description: 'The notices of one out-of-tolerance finding' })
  @IsOptional()
  @IsUUID('all')
  finding?: string;
}

export class EmailDeliveryView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: EMAIL_STATES, description: 'logged: no SMTP_URL, written to the log instead of sent' })
  state!: EmailState;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the queue retries (null once settled)' })
  nextAttemptAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A category: smtp_<code>, connection_refused, no_recipient, …',
  })
  lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) settledAt!: string | null;
}

export class NoticeView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind!: NoticeKind;
  @ApiProperty() organizationId!: string;
  @ApiProperty({ enum: RECALL_PERIODS, nullable: true }) period!: RecallPeriod | null;
  @ApiProperty({ nullable: true, type: String }) findingId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What it says: a recall names its instruments and carries `requestBody`, ready for POST /requests; an out-of-tolerance notice names the certificates',
  })
  content!: Record<string, unknown>;
  @ApiProperty({ description: 'Webhook deliveries queued with it (see the webhook delivery log)' })
  webhookDeliveries!: number;
  @ApiProperty({ type: [EmailDeliveryView] }) emails!: EmailDeliveryView[];
  @ApiProperty() createdAt!: string;
}

export class RecallScanDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Count due dates from this day instead of today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class RecallScanQueuedView {
  @ApiProperty({ description: 'The job id of the scan (queue notices)' }) jobId!: string;
}

export class CreateFindingDto {
  @ApiProperty({ enum: FINDING_SOURCES })
  @IsIn(FINDING_SOURCES)
  source!: FindingSource;

  @ApiProperty({
    description: 'The failed intermediate check, or the calibration of the standard that found it out of tolerance',
  })
  @IsUUID('all')
  evidenceId!: string;

  @ApiProperty({ example: 'Sai số tại 20 L vượt 0,1 % khi kiểm tra giữa kỳ' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class FindingCertificateView {
  @ApiProperty() certificateId!: string;
  @ApiProperty() certificateNumber!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() measurementDate!: string;
  @ApiProperty({ enum: CERTIFICATE_DECISIONS, nullable: true, description: 'null: not decided yet' })
  decision!: CertificateDecision | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
}

export class FindingView {
  @ApiProperty() id!: string;
  @ApiProperty() standardId!: string;
  @ApiProperty({ enum: FINDING_SOURCES }) source!: FindingSource;
  @ApiProperty() evidenceId!: string;
  @ApiProperty({ description: 'The date of the failed check or of the calibration' }) foundOn!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The last good check or calibration before it: certificates measured from then on are listed',
  })
  periodFrom!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty({ type: [FindingCertificateView] }) certificates!: FindingCertificateView[];
  @ApiProperty({ description: 'Notices sent: one per affected customer' }) notices!: number;
  @ApiProperty() createdAt!: string;
}

export class CertificateDecisionDto {
  @ApiProperty({ enum: CERTIFICATE_DECISIONS, description: 'no_impact / recall (thu hồi) / reissue (cấp lại)' })
  @IsIn(CERTIFICATE_DECISIONS)
  decision!: CertificateDecision;

  @ApiPropertyOptional({ example: 'Sai số của chuẩn nhỏ hơn 1/10 MPE tại các điểm đã dùng' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  note?: string;
}
