import { Injectable } from '@nestjs/common';
import type { Principal } from '#libs/core';
import { OrganizationService } from '#libs/registry';
import { ApiKeyService } from '../api-keys/api-key.service.js';
import { toUserView, UserService } from '../users/user.service.js';
import type { MeView } from './dto/session.dto.js';

@Injectable()
export class MeService {
  constructor(
    private readonly users: UserService,
    private readonly apiKeys: ApiKeyService,
    private readonly organizations: OrganizationService,
  ) {}

  async describe(principal: Principal): Promise<MeView> {
    if (principal.kind === 'staff') return { kind: 'staff', user: toUserView(await this.users.find(principal.userId)) };
    const [organization, key] = await Promise.all([
      this.organizations.find(principal.organizationId),
      this.apiKeys.get(principal.apiKeyId),
    ]);
    return {
      kind: 'business',
      organization: { id: organization.id, name: organization.name },
      apiKey: { id: key.id, name: key.name, prefix: key.prefix },
    };
  }
}
