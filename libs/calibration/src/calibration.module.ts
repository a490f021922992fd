import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { AuthModule } from '#libs/auth';
import { DatabaseModule, OutboxModule } from '#libs/core';
import { RegistryModule } from '#libs/registry';
import { RequestsModule } from '#libs/requests';
import { CalibrationReadModule } from './calibration-read.module.js';
import { ItemWorksheetController } from './item-worksheet/item-worksheet.controller.js';
import { ItemWorksheetService } from './item-worksheet/item-worksheet.service.js';
import { CalibrationResultStoreModule } from './results/calibration-result-store.module.js';
import { ResultComposer } from './results/result-composer.js';
import { ResultController } from './results/result.controller.js';
import {
  CalibrationResult,
  CalibrationResultPoint,
  CalibrationResultRevision,
  CalibrationResultStandard,
} from './results/result.entity.js';
import { ResultService } from './results/result.service.js';
import { ReviewService } from './results/review.service.js';
import { StandardsOnDate } from './results/standards-on-date.js';
import { TemplateController } from './templates/template.controller.js';
import { CalibrationTemplate } from './templates/template.entity.js';
import { TemplateRepository } from './templates/template.repository.js';
import { TemplateService } from './templates/template.service.js';
import { TraceabilityController } from './traceability/traceability.controller.js';
import { TraceabilityService } from './traceability/traceability.service.js';
import { UncertaintyController } from './uncertainty-api/uncertainty.controller.js';

export const CALIBRATION_ENTITIES = [
  CalibrationTemplate,
  CalibrationResult,
  CalibrationResultRevision,
  CalibrationResultStandard,
  CalibrationResultPoint,
];

/** Results of calibration and verification: budgets, templates, review, reverse traceability. */
@Module({
  imports: [
    DatabaseModule.forFeature(CALIBRATION_ENTITIES),
    AuditModule,
    AuthModule,
    OutboxModule,
    RegistryModule,
    RequestsModule,
    CalibrationReadModule,
    CalibrationResultStoreModule,
  ],
  controllers: [
    UncertaintyController,
    TemplateController,
    ItemWorksheetController,
    ResultController,
    TraceabilityController,
  ],
  providers: [
    StandardsOnDate,
    TemplateRepository,
    TemplateService,
    ResultComposer,
    ResultService,
    ReviewService,
    TraceabilityService,
    ItemWorksheetService,
  ],
  exports: [CalibrationReadModule, ResultService, TemplateService, TraceabilityService],
})
export class CalibrationModule {}
