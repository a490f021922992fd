import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organization } from '#libs/registry';
import { StaffUser } from '../users/staff-user.entity.js';

/**
 * A business's credential for the API (`X-Api-Key: tdc_xxxxxxxx_<secret>`). Shown once at creation;
 * only its public prefix (for lookup) and a hash are kept. Revoked, never deleted.
 */
@Entity({ name: 'api_key' })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_api_key_organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  /** No cascade: an organization with keys cannot be deleted (deactivate it instead). */
  @ManyToOne(() => Organization, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** What the business uses it for, e.g. "ERP integration". */
  @Column({ type: 'text' })
  name!: string;

  /** `tdc_` + 8 characters: public, shown in lists, used to find the key. */
  @Index('UQ_api_key_prefix', { unique: true })
  @Column({ type: 'text' })
  prefix!: string;

  /**
   * SHA-256 (hex) of the whole key. The secret part is 256 random bits, so a slow password hash
   * (argon2) would buy nothing against guessing and would cost on every request; compared in
   * constant time.
   */
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'created_by' })
  creator?: StaffUser;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Updated at most once a minute per key, so that using a key is not a write per request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'revoked_by' })
  revoker?: StaffUser;
}
