import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { InstrumentType, INSTRUMENT_SERVICES, type ServiceKind } from '#libs/registry';
import { StaffUser } from '../users/staff-user.entity.js';

/** The services one may be authorised for: the registry's instrument-type services (dịch vụ). */
export const AUTHORISED_SERVICES = INSTRUMENT_SERVICES;
export type AuthorisedService = ServiceKind;

/** perform: carry out the work (a technician); approve: review and sign the result (a reviewer). */
export const AUTHORISED_ACTIVITIES = ['perform', 'approve'] as const;
export type AuthorisedActivity = (typeof AUTHORISED_ACTIVITIES)[number];

/** The role an activity needs besides the authorisation itself. */
export const ACTIVITY_ROLE = { perform: 'technician', approve: 'reviewer' } as const;

/**
 * A person's authorisation (ISO/IEC 17025 6.2.5–6.2.6, quyết định phân công): this staff member may
 * perform or approve this service, for one instrument type or for all, between two dates.
 * Revoked, never deleted: it is the record of who was authorised when.
 */
@Entity({ name: 'staff_authorisation' })
@Index('IDX_staff_authorisation_lookup', ['userId', 'service', 'activity'])
@Check(
  'CHK_staff_authorisation_service',
  `"service" IN ('verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration', 'testing')`,
)
@Check('CHK_staff_authorisation_activity', `"activity" IN ('perform', 'approve')`)
@Check('CHK_staff_authorisation_validity', `"valid_until" IS NULL OR "valid_until" >= "valid_from"`)
export class StaffAuthorisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'user_id' })
  user?: StaffUser;

  /** null: every instrument type. */
  @Column({ name: 'instrument_type_id', type: 'uuid', nullable: true })
  instrumentTypeId!: string | null;

  @ManyToOne(() => InstrumentType, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'instrument_type_id', foreignKeyConstraintName: 'FK_staff_authorisation_instrument_type' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text' })
  service!: AuthorisedService;

  @Column({ type: 'text' })
  activity!: AuthorisedActivity;

  /** Calendar dates (the centre's own), both inclusive. */
  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;

  /** What it rests on, e.g. the decision number or training record. */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ name: 'granted_by', type: 'uuid' })
  grantedBy!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'granted_by' })
  grantor?: StaffUser;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'revoked_by' })
  revoker?: StaffUser;
}
