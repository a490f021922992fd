import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  NotFoundError,
  PG_UNIQUE_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  UnauthenticatedError,
  type PageQuery,
  type Page,
  type Principal,
  type ErrorCode,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { OrganizationService } from '#libs/registry';
import { randomToken, sha256Hex } from '../tokens/tokens.js';
import type { StaffPrincipal } from '../users/user.service.js';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyRepository } from './api-key.repository.js';

/** `tdc_` + 8 lowercase letters/digits (public) + `_` + 43 base64url characters (256 secret bits). */
const KEY_FORMAT = /^(tdc_[a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** last_used_at is written at most this often per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function toApiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    organizationId: k.organizationId,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    revokedBy: k.revokedBy,
  };
}

function newPrefix(): string {
  let s = 'tdc_';
  for (let i = 0; i < 8; i++) s += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  return s;
}

const invalidKey = (
  message = 'The API key is not valid',
  code: ErrorCode = 'auth.invalid_api_key',
): UnauthenticatedError => new UnauthenticatedError(message, code);

/** Businesses' API keys: issued by reception or an admin, shown once, stored hashed, revocable. */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly repository: ApiKeyRepository,
    private readonly organizations: OrganizationService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  /** The key is in the answer only: its audit entry, like its row, keeps the public prefix, never the secret or its hash. */
  async create(organizationId: string, dto: CreateApiKeyDto, by: StaffPrincipal): Promise<CreatedApiKeyView> {
    const organization = await this.organizations.find(organizationId);
    if (!organization.active) {
      throw new ConflictError(
        'organization.inactive',
        'The organization is deactivated; activate it before issuing keys',
      );
    }
    // A prefix collision (1 in 36^8 per pair) is retried rather than trusted never to happen.
    for (let attempt = 0; ; attempt++) {
      const prefix = newPrefix();
      const key = `${prefix}_${randomToken()}`;
      try {
        const row = this.keys.create({
          organizationId,
          name: dto.name,
          prefix,
          secretHash: sha256Hex(key),
          createdBy: by.userId,
        });
        return { ...(await this.insertAudited(row, by)), key };
      } catch (e) {
        if (attempt < 3 && pgErrorCode(e) === PG_UNIQUE_VIOLATION && pgConstraint(e) === 'UQ_api_key_prefix') continue;
        throw e;
      }
    }
  }

  /** Newest first. A business sees only its own organization's keys (another's: 404). */
  async list(organizationId: string, query: PageQuery, principal: Principal): Promise<Page<ApiKeyView>> {
    await this.organizations.find(organizationId, principal);
    return toPage(await this.repository.list(organizationId, query), query.limit, (k) => [k.id], toApiKeyView);
  }

  private insertAudited(row: ApiKey, by: StaffPrincipal): Promise<ApiKeyView> {
    return this.uow.run(async (tx) => {
      const after = toApiKeyView(await tx.manager.save(row));
      await this.audit.record(tx, { actor: by, entity: 'api_key', entityId: after.id, action: 'create', after });
      return after;
    });
  }

  /** Idempotent: revoking a revoked key keeps the first revocation's time and author (and writes no audit entry). */
  async revoke(organizationId: string, keyId: string, by: StaffPrincipal): Promise<void> {
    await this.uow.run(async (tx: Tx) => {
      const keys = tx.manager.getRepository(ApiKey);
      const key = await keys.findOne({ where: { id: keyId, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw new NotFoundError('api_key', keyId);
      if (key.revokedAt) return;
      const before = toApiKeyView(key);
      await keys.update({ id: keyId }, { revokedAt: new Date(), revokedBy: by.userId });
      const after = toApiKeyView(await keys.findOneByOrFail({ id: keyId }));
      await this.audit.record(tx, { actor: by, entity: 'api_key', entityId: keyId, action: 'revoke', before, after });
    });
  }

  /** The business principal for a raw `X-Api-Key` value; 401 for a wrong, revoked or deactivated one. */
  async authenticate(raw: string): Promise<Principal> {
    const match = KEY_FORMAT.exec(raw.trim());
    if (!match) throw invalidKey();
    const key = await this.keys.findOneBy({ prefix: match[1] });
    const given = Buffer.from(sha256Hex(raw.trim()), 'hex');
    if (!key || !timingSafeEqual(given, Buffer.from(key.secretHash, 'hex'))) throw invalidKey();
    // Only the holder of the full key learns why it no longer works.
    if (key.revokedAt) throw invalidKey('The API key has been revoked', 'auth.api_key_revoked');
    // Registry's row through its service, not a join on its table.
    const organization = await this.organizations.lookup(undefined, key.organizationId);
    if (!organization?.active)
      throw invalidKey('The organization of this API key is deactivated', 'auth.organization_inactive');
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.repository.touchLastUsed(key.id);
    }
    return {
      kind: 'business',
      apiKeyId: key.id,
      organizationId: key.organizationId,
      name: `${organization.name} · ${key.name}`,
    };
  }

  async get(id: string): Promise<ApiKey> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw new NotFoundError('api_key', id);
    return key;
  }
}
