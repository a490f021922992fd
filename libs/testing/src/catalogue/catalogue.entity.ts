import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { EnvironmentLimits } from '#libs/core';

/**
 * How far a specification limit can be trusted, as the reference data says: VERIFIED (read in a
 * source and quoted), SECONDARY (a third-party restatement, or a superseded edition), UNCERTAIN (not
 * read, or inferred); CENTRE: entered by the centre's staff, who answer for it. As for MPE rules
 * (libs/registry), a SECONDARY or UNCERTAIN limit gives no conformity statement until an admin confirms it.
 */
export const LIMIT_CONFIDENCES = ['VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE'] as const;
export type LimitConfidence = (typeof LIMIT_CONFIDENCES)[number];

/** min ("không nhỏ hơn"), max ("không lớn hơn"), range (both, inclusive), a set of allowed categories, or none (listed, not judged). */
export const LIMIT_KINDS = ['min', 'max', 'range', 'categorical_set', 'none'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export const RESULT_TYPES = ['numeric', 'numeric_with_qualifier', 'categorical', 'text', 'report_only'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];

export const SEASONS = ['summer', 'winter'] as const;
export type Season = (typeof SEASONS)[number];

export const REGULATION_KINDS = ['technical_regulation', 'standard', 'circular'] as const;
export type RegulationKind = (typeof REGULATION_KINDS)[number];

/** A dated edition of a regulation (QCVN), standard (TCVN) or circular (Thông tư) that states limits. */
@Entity({ name: 'test_regulation' })
@Index('UQ_test_regulation_code', ['code'], { unique: true })
@Check('CHK_test_regulation_kind', `"kind" IN ('technical_regulation', 'standard', 'circular')`)
@Check(
  'CHK_test_regulation_in_force',
  `"in_force_from" IS NULL OR "in_force_to" IS NULL OR "in_force_from" <= "in_force_to"`,
)
export class TestRegulation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The code with its edition, e.g. "QCVN 01:2022/BKHCN". */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  kind!: RegulationKind;

  /** The instrument that issued it, e.g. "Thông tư 16/2022/TT-BKHCN". */
  @Column({ name: 'issued_by', type: 'text', nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn!: string | null;

  /** null: the start is not known (the edition is taken as in force until in_force_to). */
  @Column({ name: 'in_force_from', type: 'date', nullable: true })
  inForceFrom!: string | null;

  /** The last day in force (superseded the day after); null: still in force. */
  @Column({ name: 'in_force_to', type: 'date', nullable: true })
  inForceTo!: string | null;

  @Column({ name: 'source_note', type: 'text', nullable: true })
  sourceNote!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A product (sản phẩm, hàng hóa) the centre tests, with its quality levels (mức) and declared grades. */
@Entity({ name: 'test_product' })
@Index('UQ_test_product_code', ['code'], { unique: true })
export class TestProduct {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stable code, e.g. "gasoline". */
  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'name_vi', type: 'text' })
  nameVi!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  /** Quality levels a sample may declare (mức 2/3/4/5); empty when the product has none. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  levels!: string[];

  /** Grades or variants a sample may declare (RON 92/95/97, propan/butan, E5/E10); empty when none. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  grades!: string[];

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Which regulations apply to a product, and where in them (table, clause). */
@Entity({ name: 'test_product_regulation' })
export class TestProductRegulation {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @PrimaryColumn({ name: 'regulation_id', type: 'uuid' })
  regulationId!: string;

  @ManyToOne(() => TestProduct, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: TestProduct;

  @ManyToOne(() => TestRegulation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'regulation_id' })
  regulation?: TestRegulation;

  /** e.g. "Bảng 1". */
  @Column({ type: 'text', nullable: true })
  clause!: string | null;
}

/** A test parameter (chỉ tiêu) of a product: unit, result type and, for categorical results, the ordered scale. */
@Entity({ name: 'test_parameter' })
@Index('UQ_test_parameter_code', ['productId', 'code'], { unique: true })
@Check(
  'CHK_test_parameter_result_type',
  `"result_type" IN ('numeric', 'numeric_with_qualifier', 'categorical', 'text', 'report_only')`,
)
@Check(
  'CHK_test_parameter_categories',
  `("result_type" = 'categorical') = ("allowed_values" IS NOT NULL AND cardinality("allowed_values") > 0)`,
)
export class TestParameter {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => TestProduct, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: TestProduct;

  /** Stable within the product, e.g. "sulphur". */
  @Column({ type: 'text' })
  code!: string;

  @Column({ name: 'name_vi', type: 'text' })
  nameVi!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  /** A mathjs unit where physical ("°C", "mg/kg", "kPa"), a label otherwise ("% thể tích"), "-" dimensionless. */
  @Column({ type: 'text' })
  unit!: string;

  @Column({ name: 'result_type', type: 'text' })
  resultType!: ResultType;

  /** Categorical results only: every value a result may take, in order (copper strip 1a, 1b, 2a, …). */
  @Column({ name: 'allowed_values', type: 'text', array: true, nullable: true })
  allowedValues!: string[] | null;

  /** Order in the regulation's table. */
  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}

/** A test method (TCVN/ASTM) of a parameter, with the centre's LOD/LOQ and whether it is accredited (VILAS). */
@Entity({ name: 'test_method' })
@Index('UQ_test_method_code', ['parameterId', 'code'], { unique: true })
@Check('CHK_test_method_limits', `("lod" IS NULL OR "lod" >= 0) AND ("loq" IS NULL OR "loq" >= 0)`)
@Check(
  'CHK_test_method_environment',
  `("environment_limits" = '{}'::jsonb) = ("environment_source" IS NULL) AND ("environment_source" IS NULL) = ("environment_confidence" IS NULL) AND ("environment_confidence" IS NULL OR "environment_confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE'))`,
)
export class TestMethod {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'parameter_id', type: 'uuid' })
  parameterId!: string;

  @ManyToOne(() => TestParameter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parameter_id' })
  parameter?: TestParameter;

  /** e.g. "TCVN 6701". */
  @Column({ type: 'text' })
  code!: string;

  /** The equivalent international method, e.g. "ASTM D 2622". */
  @Column({ type: 'text', nullable: true })
  equivalent!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Limit of detection (giới hạn phát hiện) in the parameter's unit; a decimal string. */
  @Column({ type: 'numeric', nullable: true })
  lod!: string | null;

  /** Limit of quantification (giới hạn định lượng) in the parameter's unit; a decimal string. */
  @Column({ type: 'numeric', nullable: true })
  loq!: string | null;

  /** In the centre's accreditation scope (VILAS). */
  @Column({ type: 'boolean', default: false })
  accredited!: boolean;

  /**
   * The environmental conditions the method sets (temperature in °C, humidity in %RH, pressure in
   * kPa; inclusive, decimal strings), against which a result's recorded environment is checked; {}
   * when it sets none. The shared data has none: an admin enters them from the method's text
   * (`PATCH /testing/methods/:id`, audited), with where they come from and how far they are trusted.
   */
  @Column({ name: 'environment_limits', type: 'jsonb', default: () => "'{}'" })
  environmentLimits!: EnvironmentLimits;

  /** Where the limits come from, e.g. "ASTM D5453-19, §8.1"; present exactly when there are limits. */
  @Column({ name: 'environment_source', type: 'text', nullable: true })
  environmentSource!: string | null;

  /** How far the limits can be trusted (as for specification limits); present exactly when there are limits. */
  @Column({ name: 'environment_confidence', type: 'text', nullable: true })
  environmentConfidence!: LimitConfidence | null;

  @Column({ type: 'int' })
  position!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A specification limit: parameter × regulation edition × quality level (mức) or declared grade ×
 * season, with its kind, its source and how far it can be trusted, and the admin's confirmation
 * (who, when, against which document; also in the audit trail).
 */
@Entity({ name: 'test_spec_limit' })
@Index('UQ_test_spec_limit_seed', ['parameterId', 'seedKey'], { unique: true })
@Index('IDX_test_spec_limit_regulation', ['regulationId'])
@Check('CHK_test_spec_limit_confidence', `"confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE')`)
@Check('CHK_test_spec_limit_season', `"season" IS NULL OR "season" IN ('summer', 'winter')`)
@Check(
  'CHK_test_spec_limit_season_dates',
  `("season_from" IS NULL) = ("season_to" IS NULL) AND ("season_from" IS NULL OR "season" IS NOT NULL)`,
)
@Check(
  'CHK_test_spec_limit_kind',
  `("kind" = 'min' AND "min" IS NOT NULL AND "max" IS NULL AND "allowed_values" IS NULL)
   OR ("kind" = 'max' AND "max" IS NOT NULL AND "min" IS NULL AND "allowed_values" IS NULL)
   OR ("kind" = 'range' AND "min" IS NOT NULL AND "max" IS NOT NULL AND "min" <= "max" AND "allowed_values" IS NULL)
   OR ("kind" = 'categorical_set' AND "min" IS NULL AND "max" IS NULL AND "allowed_values" IS NOT NULL AND cardinality("allowed_values") > 0)
   OR ("kind" = 'none' AND "min" IS NULL AND "max" IS NULL AND "allowed_values" IS NULL)`,
)
@Check(
  'CHK_test_spec_limit_confirmation',
  `("confirmed_at" IS NULL) = ("confirmed_by" IS NULL) AND ("confirmed_at" IS NULL) = ("confirmed_against" IS NULL)`,
)
export class TestSpecLimit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'parameter_id', type: 'uuid' })
  parameterId!: string;

  @ManyToOne(() => TestParameter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parameter_id' })
  parameter?: TestParameter;

  @Column({ name: 'regulation_id', type: 'uuid' })
  regulationId!: string;

  @ManyToOne(() => TestRegulation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'regulation_id' })
  regulation?: TestRegulation;

  /** The quality level (mức) it applies to; null: every level. */
  @Column({ type: 'text', nullable: true })
  level!: string | null;

  /** The declared grade or variant it applies to (RON "95", "propan", "E10"); null: every grade. */
  @Column({ type: 'text', nullable: true })
  grade!: string | null;

  /** null: all year. */
  @Column({ type: 'text', nullable: true })
  season!: Season | null;

  /** First day of the season, "MM-DD" (a season may run over the new year: 11-01 → 03-31). */
  @Column({ name: 'season_from', type: 'text', nullable: true })
  seasonFrom!: string | null;

  /** Last day of the season, "MM-DD". */
  @Column({ name: 'season_to', type: 'text', nullable: true })
  seasonTo!: string | null;

  @Column({ type: 'text' })
  kind!: LimitKind;

  /** Decimal strings, in the parameter's unit; inclusive ("không nhỏ hơn", "không lớn hơn"). */
  @Column({ type: 'numeric', nullable: true })
  min!: string | null;

  @Column({ type: 'numeric', nullable: true })
  max!: string | null;

  /** categorical_set: the categories that conform. */
  @Column({ name: 'allowed_values', type: 'text', array: true, nullable: true })
  allowedValues!: string[] | null;

  /** The requirement as the regulation words it ("Báo cáo", "không lớn hơn Loại 1"). */
  @Column({ name: 'limit_text', type: 'text', nullable: true })
  limitText!: string | null;

  @Column({ name: 'source_document', type: 'text' })
  sourceDocument!: string;

  /** What is read, inferred or missing, as the reference data says. */
  @Column({ name: 'source_note', type: 'text', nullable: true })
  sourceNote!: string | null;

  @Column({ type: 'text' })
  confidence!: LimitConfidence;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true })
  confirmedBy!: string | null;

  @Column({ name: 'confirmed_against', type: 'text', nullable: true })
  confirmedAgainst!: string | null;

  /** Identifies a seeded row; null for the centre's own limits. */
  @Column({ name: 'seed_key', type: 'text', nullable: true })
  seedKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A limit gives conformity statements when it was read in a source, entered by the centre, or confirmed by an admin. */
export function isUsableLimit(l: Pick<TestSpecLimit, 'confidence' | 'confirmedAt'>): boolean {
  return l.confidence === 'VERIFIED' || l.confidence === 'CENTRE' || l.confirmedAt !== null;
}

export const TESTING_ENTITIES = [
  TestRegulation,
  TestProduct,
  TestProductRegulation,
  TestParameter,
  TestMethod,
  TestSpecLimit,
];
