import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditTrail } from '#libs/audit';
import {
  ConflictError,
  InvalidInputError,
  isCalendarDate,
  NotFoundError,
  PG_FOREIGN_KEY_VIOLATION,
  pgConstraint,
  pgErrorCode,
  toPage,
  UnprocessableError,
  type Page,
  type Tx,
  UnitOfWork,
} from '#libs/core';
import { UserService, type StaffPrincipal } from '../users/user.service.js';
import { AuthorisationRepository, type AuthorisationInForce } from './authorisation.repository.js';
import type { AuthorisationQuery, AuthorisationView, GrantAuthorisationDto } from './dto/authorisation.dto.js';
import {
  ACTIVITY_ROLE,
  AUTHORISED_ACTIVITIES,
  AUTHORISED_SERVICES,
  StaffAuthorisation,
  type AuthorisedActivity,
  type AuthorisedService,
} from './staff-authorisation.entity.js';

/** What another library asks: may this person do this work on this instrument type on this day? */
export interface AuthorisationCheck {
  /** The instrument type of the item; null asks only about authorisations for every type. */
  instrumentTypeId: string | null;
  service: AuthorisedService;
  activity: AuthorisedActivity;
  /** Calendar date 'YYYY-MM-DD', e.g. the day of the calibration or of the approval. */
  on: string;
}

export function toAuthorisationView(a: StaffAuthorisation): AuthorisationView {
  return {
    id: a.id,
    userId: a.userId,
    instrumentTypeId: a.instrumentTypeId,
    service: a.service,
    activity: a.activity,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    reference: a.reference,
    grantedBy: a.grantedBy,
    grantedAt: a.grantedAt.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
    revokedBy: a.revokedBy,
  };
}

/** Personnel authorisations (ISO/IEC 17025 6.2): who may perform or approve which work, when. */
@Injectable()
export class AuthorisationService {
  constructor(
    @InjectRepository(StaffAuthorisation) private readonly authorisations: Repository<StaffAuthorisation>,
    private readonly repository: AuthorisationRepository,
    private readonly users: UserService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async grant(userId: string, dto: GrantAuthorisationDto, by: StaffPrincipal): Promise<AuthorisationView> {
    const user = await this.users.find(userId);
    if (dto.validUntil && dto.validUntil < dto.validFrom) {
      throw new InvalidInputError([{ field: 'validUntil', message: 'validUntil must not be before validFrom' }]);
    }
    if (!user.active)
      throw new ConflictError(
        'user.inactive',
        'The account is deactivated; activate it before granting authorisations',
      );
    const role = ACTIVITY_ROLE[dto.activity];
    if (!user.roles.includes(role)) {
      throw new UnprocessableError(
        'authorisation.role_missing',
        `To ${dto.activity}, the account needs the ${role} role first`,
        {
          errors: [
            { field: 'activity', message: `${dto.activity} needs the ${role} role, which this account does not have` },
          ],
        },
      );
    }
    return this.uow.run(async (tx) => {
      const after = toAuthorisationView(
        await this.saveKnownType(
          tx,
          this.authorisations.create({
            userId,
            instrumentTypeId: dto.instrumentTypeId ?? null,
            service: dto.service,
            activity: dto.activity,
            validFrom: dto.validFrom,
            validUntil: dto.validUntil ?? null,
            reference: dto.reference ?? null,
            grantedBy: by.userId,
          }),
        ),
      );
      await this.audit.record(tx, {
        actor: by,
        entity: 'staff_authorisation',
        entityId: after.id,
        action: 'grant',
        after,
      });
      return after;
    });
  }

  private async saveKnownType(tx: Tx, entity: StaffAuthorisation): Promise<StaffAuthorisation> {
    try {
      return await tx.manager.save(entity);
    } catch (e) {
      if (pgErrorCode(e) === PG_FOREIGN_KEY_VIOLATION && pgConstraint(e)?.includes('instrument_type')) {
        throw new UnprocessableError('authorisation.unknown_instrument_type', 'No such instrument type', {
          errors: [{ field: 'instrumentTypeId', message: `instrument type ${entity.instrumentTypeId} does not exist` }],
        });
      }
      throw e;
    }
  }

  /** Newest validity first; with `on`, only those in force that day. */
  async list(userId: string, query: AuthorisationQuery): Promise<Page<AuthorisationView>> {
    await this.users.find(userId);
    return toPage(
      await this.repository.list(userId, query),
      query.limit,
      (a) => [a.validFrom, a.id],
      toAuthorisationView,
    );
  }

  /** Idempotent (a second revocation changes nothing and writes no audit entry); the record stays, marked revoked. */
  async revoke(userId: string, authorisationId: string, by: StaffPrincipal): Promise<void> {
    await this.uow.run(async (tx) => {
      const rows = tx.manager.getRepository(StaffAuthorisation);
      const found = await rows.findOne({
        where: { id: authorisationId, userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw new NotFoundError('authorisation', authorisationId);
      if (found.revokedAt) return;
      const before = toAuthorisationView(found);
      await rows.update({ id: authorisationId }, { revokedAt: new Date(), revokedBy: by.userId });
      const after = toAuthorisationView(await rows.findOneByOrFail({ id: authorisationId }));
      await this.audit.record(tx, {
        actor: by,
        entity: 'staff_authorisation',
        entityId: authorisationId,
        action: 'revoke',
        before,
        after,
      });
    });
  }

  /**
   * Whether the person may do this work on that date: an unrevoked authorisation for the service
   * and activity, for this instrument type or for all, valid on the date; and the account is active
   * and still has the role the activity needs (technician to perform, reviewer to approve).
   * A revoked authorisation counts on no date at all.
   */
  async isAuthorised(userId: string, check: AuthorisationCheck): Promise<boolean> {
    assertCheck(check);
    return this.repository.holds(userId, inForce(check));
  }

  /** Everyone who may do this work on that date (ids, sorted): for scheduling and contract review. */
  async authorisedUsers(check: AuthorisationCheck): Promise<string[]> {
    assertCheck(check);
    return this.repository.holders(inForce(check));
  }
}

function inForce(check: AuthorisationCheck): AuthorisationInForce {
  return { ...check, role: ACTIVITY_ROLE[check.activity] };
}

function assertCheck(check: AuthorisationCheck): void {
  const errors = [];
  if (!isCalendarDate(check.on)) errors.push({ field: 'on', message: 'on must be a calendar date YYYY-MM-DD' });
  if (!AUTHORISED_SERVICES.includes(check.service))
    errors.push({ field: 'service', message: `unknown service ${String(check.service)}` });
  if (!AUTHORISED_ACTIVITIES.includes(check.activity))
    errors.push({ field: 'activity', message: `unknown activity ${String(check.activity)}` });
  if (errors.length) throw new InvalidInputError(errors);
}
