export * from './registry.errors.js';
export * from './registry.module.js';
export * from './organizations/organization.entity.js';
export * from './organizations/organization.service.js';
export * from './organizations/dto/organization.dto.js';
export * from './organizations/sector.js';
export * from './common/dates.js';
export * from './instrument-types/instrument-type.entity.js';
export * from './instrument-types/instrument-type.service.js';
export * from './instrument-types/dto/instrument-type.dto.js';
export * from './instrument-types/mpe.js';
export * from './instrument-types/catalogue-seed.js';
export * from './instruments/instrument.entity.js';
export * from './instruments/instrument.service.js';
export * from './instruments/dto/instrument.dto.js';
export * from './standards/standard.entity.js';
export * from './standards/standard.service.js';
export { MAX_STANDARD_CERTIFICATE_BYTES } from './standards/standard-certificate-file.service.js';
export * from './standards/standard-status.js';
export * from './standards/dto/standard.dto.js';
export * from './instrument-types/mpe-rule.entity.js';
export {
  readinessFieldErrors,
  READINESS_REASONS,
  type ReadinessReasonCode,
  type ServiceReadiness,
} from './instrument-types/readiness.js';
export * from './admin-units/admin-unit.entity.js';
export * from './admin-units/admin-unit.service.js';
export * from './admin-units/dto/admin-unit.dto.js';
