import { Module } from '@nestjs/common';
import { DatabaseModule } from '#libs/core';
import { AuditEventRecord } from './audit-event-record.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { AuditController } from './audit.controller.js';
import { AuditTrail } from './audit-trail.service.js';

export const AUDIT_ENTITIES = [AuditEvent, AuditEventRecord];

@Module({
  imports: [DatabaseModule.forFeature(AUDIT_ENTITIES)],
  controllers: [AuditController],
  providers: [AuditEventRepository, AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
