import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { SECTOR_CHECK, type Sector } from './sector.js';

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
  role?: string;
}

/** A customer of the centre (khách hàng): a business or public body, identified by its tax code. */
@Entity({ name: 'organization' })
// Search (folded with lims_fold()): expression indexes TypeORM cannot declare; created in the migration.
@Index('IDX_organization_name_fold', { synchronize: false })
@Index('IDX_organization_name_trgm', { synchronize: false })
@Index('IDX_organization_tax_code_fold', { synchronize: false })
@Check('CHK_organization_sector', SECTOR_CHECK)
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** mã số thuế: 10 digits, or 10 + "-" + 3 for a branch. */
  @Index('UQ_organization_tax_code', { unique: true })
  @Column({ name: 'tax_code', type: 'text' })
  taxCode!: string;

  @Column({ name: 'street_address', type: 'text' })
  streetAddress!: string;

  /** tỉnh / thành phố */
  @Column({ type: 'text' })
  province!: string;

  /** The province of the address (admin_unit, current); the text `province` above is as registered. */
  @Column({ name: 'province_unit_id', type: 'uuid', nullable: true })
  provinceUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'province_unit_id', foreignKeyConstraintName: 'FK_organization_province_unit' })
  provinceUnit?: AdminUnit;

  /** xã / phường / đặc khu of the address (admin_unit, current). */
  @Index('IDX_organization_commune_unit')
  @Column({ name: 'commune_unit_id', type: 'uuid', nullable: true })
  communeUnitId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_unit_id', foreignKeyConstraintName: 'FK_organization_commune_unit' })
  communeUnit?: AdminUnit;

  /** quận / huyện: history only (no district level since 1 July 2025); kept as registered. */
  @Index('IDX_organization_district')
  @Column({ type: 'text', nullable: true })
  district!: string | null;

  /** phường / xã */
  @Column({ type: 'text', nullable: true })
  ward!: string | null;

  /** lĩnh vực (sector.ts): what the periodic report groups customers by; null: not stated. */
  @Column({ type: 'text', nullable: true })
  sector!: Sector | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  contacts!: Contact[];

  /** Deactivated rather than deleted once anything refers to it. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
