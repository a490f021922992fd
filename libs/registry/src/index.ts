export * from './registry.module.js';
export * from './organizations/organization.entity.js';
export * from './organizations/organization.service.js';
export * from './organizations/dto/organization.dto.js';
