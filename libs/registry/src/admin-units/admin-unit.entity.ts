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

export const ADMIN_UNIT_LEVELS = ['province', 'commune'] as const;
export type AdminUnitLevel = (typeof ADMIN_UNIT_LEVELS)[number];

/** tỉnh / thành phố (province level); xã / phường / đặc khu (commune level). */
export const ADMIN_UNIT_KINDS = ['province', 'municipality', 'commune', 'ward', 'special_zone'] as const;
export type AdminUnitKind = (typeof ADMIN_UNIT_KINDS)[number];
export const KINDS_OF_LEVEL: Record<AdminUnitLevel, readonly AdminUnitKind[]> = {
  province: ['province', 'municipality'],
  commune: ['commune', 'ward', 'special_zone'],
};

/** As the shared reference data grades a figure: VERIFIED (read in a source), SECONDARY, UNCERTAIN. */
export const CONFIDENCES = ['VERIFIED', 'SECONDARY', 'UNCERTAIN'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * An administrative unit of the centre's reference list (đơn vị hành chính): a province or a commune
 * (two tiers since 1 July 2025, no district). Units are never deleted: a merged or renamed unit is
 * retired (`effectiveTo`) and names its `successor`, so old addresses still resolve.
 */
@Entity({ name: 'admin_unit' })
@Index('UQ_admin_unit_current_code', ['level', 'code'], { unique: true, where: '"effective_to" IS NULL' })
@Index('IDX_admin_unit_parent', ['parentId', 'name'])
@Check('CHK_admin_unit_level', `"level" IN ('province', 'commune')`)
@Check(
  'CHK_admin_unit_kind',
  `("level" = 'province' AND "kind" IN ('province', 'municipality')) OR ("level" = 'commune' AND "kind" IN ('commune', 'ward', 'special_zone'))`,
)
@Check('CHK_admin_unit_parent', `("level" = 'province') = ("parent_id" IS NULL)`)
@Check(
  'CHK_admin_unit_dates',
  `"effective_from" IS NULL OR "effective_to" IS NULL OR "effective_from" <= "effective_to"`,
)
@Check('CHK_admin_unit_successor', `"successor_id" IS NULL OR ("effective_to" IS NOT NULL AND "successor_id" <> "id")`)
@Check('CHK_admin_unit_confidence', `"confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN')`)
export class AdminUnit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The official code (GSO: 2 digits for a province, 5 for a commune). Unique among current units of a level. */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  level!: AdminUnitLevel;

  @Column({ type: 'text' })
  kind!: AdminUnitKind;

  /** The province of a commune; null for a province. */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'FK_admin_unit_parent' })
  parent?: AdminUnit;

  /** null: in existence before the list was kept (not recorded). */
  @Column({ name: 'effective_from', type: 'date', nullable: true })
  effectiveFrom!: string | null;

  /** The last day the unit existed; null while current. */
  @Column({ name: 'effective_to', type: 'date', nullable: true })
  effectiveTo!: string | null;

  /** The unit it was merged into (retired units only). */
  @Column({ name: 'successor_id', type: 'uuid', nullable: true })
  successorId!: string | null;

  @ManyToOne(() => AdminUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'successor_id', foreignKeyConstraintName: 'FK_admin_unit_successor' })
  successor?: AdminUnit;

  @Column({ type: 'text' })
  confidence!: Confidence;

  /** Where the unit comes from (the resolution or decision that created it). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'confirmed_by', type: 'text', nullable: true })
  confirmedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
