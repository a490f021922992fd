import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DataSource } from 'typeorm';
import { systemActor, writeAuditEntries } from '#libs/audit';
import { ConflictError, ENV, flattenValidationErrors, InvalidInputError, UnitOfWork, type Env } from '#libs/core';
import { hashPassword } from '../passwords/passwords.js';
import { CreateUserDto } from './dto/user.dto.js';
import { StaffUser } from './staff-user.entity.js';
import { StaffUserRepository } from './staff-user.repository.js';
import { toUserView } from './user.service.js';

export interface AdminAccountInput {
  username: string;
  fullName: string;
  email?: string;
  password: string;
}

/**
 * Creates an admin account outside HTTP (the create-admin command, the first start), with the same
 * rules as POST /users: username format and uniqueness, password policy; audited as done by the
 * system, named by `by`.
 */
export async function createAdminAccount(
  dataSource: DataSource,
  input: AdminAccountInput,
  by = 'npm run user:create-admin',
): Promise<StaffUser> {
  const dto = validateAdminInput(input);
  const passwordHash = await hashPassword(dto.password);
  const users = new StaffUserRepository(dataSource);
  return new UnitOfWork(dataSource).run(async (tx) => {
    const em = tx.manager;
    await users.lockAdmins(tx);
    const taken = await users.usernameTaken(tx, dto.username);
    if (taken) throw new ConflictError('user.username_taken', `The username ${dto.username} is taken`);
    const user = await em.save(
      em.create(StaffUser, {
        username: dto.username,
        fullName: dto.fullName,
        email: dto.email ?? null,
        roles: ['admin'],
        passwordHash,
      }),
    );
    const after = toUserView(user);
    await writeAuditEntries(em, [
      { actor: systemActor(by), entity: 'staff_user', entityId: user.id, action: 'create', after },
    ]);
    return user;
  });
}

/** The input as a CreateUserDto with the admin role; InvalidInputError naming each bad field otherwise. */
export function validateAdminInput(input: AdminAccountInput): CreateUserDto {
  const dto = plainToInstance(CreateUserDto, { ...input, roles: ['admin'] });
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new InvalidInputError(flattenValidationErrors(errors));
  return dto;
}

/** Whether any account, active or not, has ever been given the admin role. */
function anAdminExists(dataSource: DataSource): Promise<boolean> {
  return new StaffUserRepository(dataSource).anAdminEverExisted();
}

export type FirstAdminOutcome = 'not_configured' | 'admin_exists' | 'created';

/**
 * ADMIN_USERNAME + ADMIN_PASSWORD create the first admin at start-up, and only while there is no
 * admin at all: afterwards the variables change nothing (a password set through the API stays).
 */
export async function ensureFirstAdmin(dataSource: DataSource, env: Env): Promise<FirstAdminOutcome> {
  if (!env.ADMIN_USERNAME || !env.ADMIN_PASSWORD) return 'not_configured';
  if (await anAdminExists(dataSource)) return 'admin_exists';
  try {
    await createAdminAccount(
      dataSource,
      {
        username: env.ADMIN_USERNAME,
        fullName: env.ADMIN_FULL_NAME ?? env.ADMIN_USERNAME,
        password: env.ADMIN_PASSWORD,
      },
      'ADMIN_USERNAME at start-up',
    );
    return 'created';
  } catch (e) {
    // Another API process starting at the same moment created it first.
    if (e instanceof ConflictError && (await anAdminExists(dataSource))) return 'admin_exists';
    throw e;
  }
}

@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await ensureFirstAdmin(this.dataSource, this.env);
    if (outcome === 'created')
      this.logger.log(
        `created the first admin account "${this.env.ADMIN_USERNAME}" from ADMIN_USERNAME/ADMIN_PASSWORD`,
      );
    if (outcome === 'admin_exists')
      this.logger.log('an admin account exists: ADMIN_USERNAME/ADMIN_PASSWORD are ignored and may be removed');
    if (outcome === 'not_configured' && !(await anAdminExists(this.dataSource)))
      this.logger.warn(
        'no admin account exists yet: create one with `npm run user:create-admin -- --username <name> --full-name "<full name>"` (it works while the system runs), or start once with ADMIN_USERNAME and ADMIN_PASSWORD set',
      );
  }
}
