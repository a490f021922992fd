import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { CalibrationModule } from '#libs/calibration';
import { CertificateRegisterModule } from '#libs/certificates';
import { DatabaseModule, OutboxModule, QueueModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { WebhooksModule } from '#libs/webhooks';
import { Mailer } from './mailer.js';
import { NoticeController, NoticePreferenceController } from './notice.controller.js';
import { NoticeDispatcher } from './notice-dispatcher.js';
import {
  EmailDelivery,
  FindingCertificate,
  Notice,
  NoticePreference,
  RecallNoticeItem,
  StandardFinding,
} from './notice.entities.js';
import { EmailSendHandler, RecallScanHandler, RecallScheduler } from './notice-jobs.js';
import { NoticeRepository } from './notice.repository.js';
import { NoticeService } from './notice.service.js';
import { OutOfToleranceController } from './out-of-tolerance.controller.js';
import { OutOfToleranceService } from './out-of-tolerance.service.js';
import { RecallNoticeService } from './recall-notice.service.js';

export const NOTICE_ENTITIES = [
  NoticePreference,
  StandardFinding,
  Notice,
  RecallNoticeItem,
  EmailDelivery,
  FindingCertificate,
];

const SENDING = [NoticeRepository, NoticeDispatcher];

/** API side: notices and their delivery log, the opt-out, out-of-tolerance findings and decisions. */
@Module({
  imports: [
    DatabaseModule.forFeature(NOTICE_ENTITIES),
    AuditModule,
    RegistryModule,
    WebhooksModule,
    OutboxModule,
    QueueModule,
    CalibrationModule,
    CertificateRegisterModule,
  ],
  controllers: [NoticeController, NoticePreferenceController, OutOfToleranceController],
  providers: [...SENDING, NoticeService, OutOfToleranceService],
})
export class NoticesModule {}

/** Worker side: the recall scan (and its daily job scheduler) and the e-mail job. */
@Module({
  imports: [DatabaseModule.forFeature(NOTICE_ENTITIES), RegistryModule, WebhooksModule, OutboxModule, QueueModule],
  providers: [...SENDING, Mailer, RecallNoticeService, RecallScanHandler, EmailSendHandler, RecallScheduler],
})
export class NoticeJobsModule {}
