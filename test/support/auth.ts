import { randomBytes, randomInt } from 'node:crypto';
import { ApiKeyService, UserService } from '#libs/auth';
import type { StaffRole } from '#libs/core';
import { OrganizationService, type CreateOrganizationDto } from '#libs/registry';
import type { TestSystem } from './system.js';

export interface StaffSession {
  token: string;
  userId: string;
  username: string;
}

function suffix(): string {
  return randomBytes(5).toString('hex');
}

/** Creates an active staff user with these roles directly through the services (not HTTP), logs in over HTTP, returns the bearer token. */
export async function staffSession(sys: TestSystem, roles: StaffRole[], username?: string): Promise<StaffSession> {
  const name = username ?? `${roles[0] ?? 'staff'}.${suffix()}`;
  const password = randomBytes(18).toString('base64url');
  const user = await sys.app.get(UserService).create({ username: name, fullName: `Test ${name}`, roles, password });
  const res = await sys.http().post('/auth/login').send({ username: name, password });
  if (res.status !== 200) throw new Error(`login of ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { token: res.body.accessToken as string, userId: user.id, username: user.username };
}

/** Who issues the keys businessKey() makes: one reception account per test system. */
const issuers = new WeakMap<TestSystem, Promise<string>>();

/** Creates an API key for the organization through the services and returns the raw key for the X-Api-Key header. */
export async function businessKey(sys: TestSystem, organizationId: string): Promise<string> {
  let issuer = issuers.get(sys);
  if (!issuer) {
    issuer = sys.app
      .get(UserService)
      .create({
        username: `key-issuer.${suffix()}`,
        fullName: 'Test key issuer',
        roles: ['reception'],
        password: randomBytes(18).toString('base64url'),
      })
      .then((u) => u.id);
    issuers.set(sys, issuer);
  }
  const created = await sys.app
    .get(ApiKeyService)
    .create(organizationId, { name: `test key ${suffix()}` }, await issuer);
  return created.key;
}

/** A tax code no other test organization is likely to have: 10 random digits. */
export function randomTaxCode(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}

/** Creates an organization through the services (valid random 10-digit tax code) and returns its id. */
export async function createOrganization(
  sys: TestSystem,
  overrides: Partial<CreateOrganizationDto> = {},
): Promise<string> {
  const org = await sys.app.get(OrganizationService).create({
    name: `Công ty TNHH Thử nghiệm ${suffix()}`,
    taxCode: randomTaxCode(),
    streetAddress: '12 Trần Phú',
    province: 'Khánh Hòa',
    ...overrides,
  });
  return org.id;
}
