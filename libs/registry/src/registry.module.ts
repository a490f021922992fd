import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AuditModule } from '#libs/audit';
import { DatabaseModule, ENV, LocalPdfFileStore, type Env } from '#libs/core';
import { AdminUnit } from './admin-units/admin-unit.entity.js';
import { AdminUnitController } from './admin-units/admin-unit.controller.js';
import { AdminUnitRepository } from './admin-units/admin-unit.repository.js';
import { AdminUnitService } from './admin-units/admin-unit.service.js';
import { InstrumentType, InstrumentTypeCycle } from './instrument-types/instrument-type.entity.js';
import { InstrumentTypeController } from './instrument-types/instrument-type.controller.js';
import { InstrumentTypeRepository } from './instrument-types/instrument-type.repository.js';
import { InstrumentTypeService } from './instrument-types/instrument-type.service.js';
import { InstrumentTypeMpeRule } from './instrument-types/mpe-rule.entity.js';
import { Instrument, InstrumentServiceRecord, InstrumentTransfer } from './instruments/instrument.entity.js';
import { InstrumentController } from './instruments/instrument.controller.js';
import { InstrumentRepository } from './instruments/instrument.repository.js';
import { InstrumentService } from './instruments/instrument.service.js';
import { InstrumentTransfers } from './instruments/instrument-transfer.service.js';
import { InstrumentImport } from './instruments/import/instrument-import.service.js';
import { InstrumentExport } from './instruments/export/instrument-export.js';
import { Organization } from './organizations/organization.entity.js';
import { OrganizationController } from './organizations/organization.controller.js';
import { OrganizationRepository } from './organizations/organization.repository.js';
import { OrganizationService } from './organizations/organization.service.js';
import {
  MeasurementStandard,
  StandardCalibration,
  StandardCalibrationValue,
  StandardCheck,
} from './standards/standard.entity.js';
import { StandardController } from './standards/standard.controller.js';
import { StandardRepository } from './standards/standard.repository.js';
import { StandardService } from './standards/standard.service.js';
import { STANDARD_CERTIFICATE_FILES, StandardCertificateFiles } from './standards/standard-certificate-file.service.js';

export const REGISTRY_ENTITIES = [
  AdminUnit,
  Organization,
  InstrumentType,
  InstrumentTypeCycle,
  InstrumentTypeMpeRule,
  Instrument,
  InstrumentServiceRecord,
  InstrumentTransfer,
  MeasurementStandard,
  StandardCalibration,
  StandardCalibrationValue,
  StandardCheck,
];

@Module({
  imports: [DatabaseModule.forFeature(REGISTRY_ENTITIES), AuditModule],
  controllers: [
    AdminUnitController,
    OrganizationController,
    InstrumentTypeController,
    InstrumentController,
    StandardController,
  ],
  providers: [
    AdminUnitRepository,
    AdminUnitService,
    OrganizationRepository,
    OrganizationService,
    InstrumentTypeRepository,
    InstrumentTypeService,
    InstrumentRepository,
    InstrumentService,
    InstrumentTransfers,
    InstrumentImport,
    InstrumentExport,
    StandardRepository,
    StandardService,
    StandardCertificateFiles,
    {
      provide: STANDARD_CERTIFICATE_FILES,
      inject: [ENV],
      useFactory: (env: Env) =>
        new LocalPdfFileStore(join(env.DATA_DIR, 'standard-certificates'), 'standard certificate files'),
    },
  ],
  exports: [AdminUnitService, OrganizationService, InstrumentTypeService, InstrumentService, StandardService],
})
export class RegistryModule {}
