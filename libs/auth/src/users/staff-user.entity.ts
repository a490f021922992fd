import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StaffRole } from '#libs/core';

/**
 * A member of the centre's staff (nhân viên) who logs in with a username and password.
 * Never deleted (records name who did what): deactivated instead.
 */
@Entity({ name: 'staff_user' })
// Unique case-insensitively: an expression index TypeORM cannot declare; created in the migration.
@Index('UQ_staff_user_username_lower', { synchronize: false })
@Check('CHK_staff_user_roles', `"roles" <@ ARRAY['admin', 'reception', 'technician', 'reviewer', 'inspector']::text[]`)
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** As typed at creation; compared with lower(). */
  @Column({ type: 'text' })
  username!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** argon2id PHC string. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: StaffRole[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
