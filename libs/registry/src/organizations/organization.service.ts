import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { AuditTrail, type AuditActor } from '#libs/audit';
import {
  ConflictError,
  NotFoundError,
  organizationScope,
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
  toPage,
  type Page,
  type Principal,
  type MatchMode,
  type RankedRow,
  type SearchTerms,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import type {
  CreateOrganizationDto,
  OrganizationQuery,
  OrganizationView,
  UpdateOrganizationDto,
} from './dto/organization.dto.js';
import { AdminUnitService } from '../admin-units/admin-unit.service.js';
import { Organization } from './organization.entity.js';
import { OrganizationRepository } from './organization.repository.js';

export function toOrganizationView(o: Organization): OrganizationView {
  return {
    id: o.id,
    name: o.name,
    taxCode: o.taxCode,
    streetAddress: o.streetAddress,
    province: o.province,
    district: o.district,
    ward: o.ward,
    provinceId: o.provinceUnitId,
    communeId: o.communeUnitId,
    sector: o.sector,
    contacts: o.contacts,
    active: o.active,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

@Injectable()
export class OrganizationService {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly repository: OrganizationRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly units: AdminUnitService,
  ) {}

  /** Organizations by name or tax code, ignoring case and diacritics (staff search). */
  search(terms: SearchTerms, limit: number, mode: MatchMode): Promise<RankedRow[]> {
    return this.repository.search(terms, limit, mode);
  }

  async create(dto: CreateOrganizationDto, actor: AuditActor): Promise<OrganizationView> {
    return this.uow.run(async (tx) => {
      const { provinceId, communeId, ...fields } = dto;
      const address = await this.units.resolveAddress(tx, { provinceId, communeId });
      const entity = this.organizations.create({
        ...fields,
        ...address,
        district: dto.district ?? null,
        ward: dto.ward ?? null,
        sector: dto.sector ?? null,
        contacts: dto.contacts ?? [],
      });
      const after = toOrganizationView(await this.saveUnique(tx, entity));
      await this.audit.record(tx, { actor, entity: 'organization', entityId: after.id, action: 'create', after });
      return after;
    });
  }

  async list(query: OrganizationQuery, principal?: Principal): Promise<Page<OrganizationView>> {
    const rows = await this.repository.list({ ...query, scope: organizationScope(principal) });
    return toPage(rows, query.limit, (o) => [o.name, o.id], toOrganizationView);
  }

  /** The names of these organizations, by id, for other libraries' views (one query). */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.organizations.find({
      select: { id: true, name: true },
      where: { id: In([...new Set(ids)]) },
    });
    return new Map(rows.map((o) => [o.id, o.name]));
  }

  async get(id: string, principal?: Principal): Promise<OrganizationView> {
    return toOrganizationView(await this.find(id, principal));
  }

  /** The organization, or null, in the caller's transaction `tx` when given (for other libraries' checks). */
  lookup(tx: Tx | undefined, id: string): Promise<Organization | null> {
    return (tx?.manager ?? this.organizations.manager).getRepository(Organization).findOneBy({ id });
  }

  /** The entity, if the caller may see it; a business asking for another organization gets the same 404 as for a missing one. */
  async find(id: string, principal?: Principal): Promise<Organization> {
    const scope = organizationScope(principal);
    const found = scope && scope !== id ? null : await this.organizations.findOneBy({ id });
    if (!found) throw new NotFoundError('organization', id);
    return found;
  }

  async update(id: string, dto: UpdateOrganizationDto, actor: AuditActor): Promise<OrganizationView> {
    const { provinceId, communeId, ...fields } = dto;
    return this.change(id, actor, 'update', async (tx, entity) => {
      if (provinceId !== undefined || communeId !== undefined) {
        const address = await this.units.resolveAddress(tx, {
          provinceId: provinceId !== undefined ? provinceId : communeId ? undefined : entity.provinceUnitId,
          communeId: communeId !== undefined ? communeId : entity.communeUnitId,
        });
        Object.assign(entity, address);
      }
      Object.assign(entity, fields);
    });
  }

  async setActive(id: string, active: boolean, actor: AuditActor): Promise<OrganizationView> {
    return this.change(id, actor, active ? 'activate' : 'deactivate', (_tx, entity) => {
      entity.active = active;
    });
  }

  /** One change to a customer, in one transaction with its audit entry (the row locked, so `before` is what it changes). */
  private change(
    id: string,
    actor: AuditActor,
    action: string,
    apply: (tx: Tx, entity: Organization) => void | Promise<void>,
  ): Promise<OrganizationView> {
    return this.uow.run(async (tx) => {
      const entity = await this.locked(tx, id);
      const before = toOrganizationView(entity);
      await apply(tx, entity);
      const after = toOrganizationView(await this.saveUnique(tx, entity));
      await this.audit.record(tx, { actor, entity: 'organization', entityId: id, action, before, after });
      return after;
    });
  }

  /** Deletes a customer nothing refers to; otherwise 409, and the customer should be deactivated instead. */
  async remove(id: string, actor: AuditActor): Promise<void> {
    await this.uow.run(async (tx) => {
      const before = toOrganizationView(await this.locked(tx, id));
      try {
        await tx.manager.getRepository(Organization).delete({ id });
      } catch (e) {
        if (pgErrorCode(e) === PG_FOREIGN_KEY_VIOLATION) {
          throw new ConflictError(
            'organization.in_use',
            'Other records refer to this organization; deactivate it instead',
          );
        }
        throw e;
      }
      await this.audit.record(tx, { actor, entity: 'organization', entityId: id, action: 'delete', before });
    });
  }

  private async locked(tx: Tx, id: string): Promise<Organization> {
    const found = await tx.manager
      .getRepository(Organization)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw new NotFoundError('organization', id);
    return found;
  }

  private async saveUnique(tx: Tx, entity: Organization): Promise<Organization> {
    try {
      return await tx.manager.getRepository(Organization).save(entity);
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) {
        throw new ConflictError(
          'organization.tax_code_taken',
          `An organization with tax code ${entity.taxCode} already exists`,
          {
            errors: [{ field: 'taxCode', message: 'taxCode is already registered' }],
          },
        );
      }
      throw e;
    }
  }
}

export { escapeLike } from './organization.repository.js';
