import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization } from './organizations/organization.entity.js';
import { OrganizationController } from './organizations/organization.controller.js';
import { OrganizationService } from './organizations/organization.service.js';

export const REGISTRY_ENTITIES = [Organization];

@Module({
  imports: [TypeOrmModule.forFeature(REGISTRY_ENTITIES)],
  controllers: [OrganizationController],
  providers: [OrganizationService],
  exports: [OrganizationService],
})
export class RegistryModule {}
