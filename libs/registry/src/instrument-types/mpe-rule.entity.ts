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
import { InstrumentType, type ServiceKind } from './instrument-type.entity.js';
import type { MpeRule } from './mpe.js';

/**
 * How far a rule can be trusted, as the seed data says: VERIFIED (read in a source and quoted),
 * SECONDARY (one third-party transcription), UNCERTAIN (from memory or inference); CENTRE: entered by
 * the centre's own staff through the API, who answer for it.
 */
export const MPE_CONFIDENCES = ['VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE'] as const;
export type MpeConfidence = (typeof MPE_CONFIDENCES)[number];

/** The services an MPE rule can be stated for: verification kinds, and calibration with a conformity statement. */
export const MPE_SERVICES: readonly ServiceKind[] = [
  'verification_initial',
  'verification_periodic',
  'verification_after_repair',
  'calibration',
];

/**
 * An MPE rule of an instrument type for some services (sai số lớn nhất cho phép, by verification
 * kind), with its source and how far it can be trusted. A SECONDARY or UNCERTAIN rule gives no
 * verdict until an admin (the quality manager) confirms it against a document: who, when and which
 * document are kept here and in the audit trail. `multiplier` states in data what a procedure says
 * of in-service limits (OIML: periodic = 2 × initial; the Vietnamese evidence so far: 1 ×).
 */
@Entity({ name: 'instrument_type_mpe_rule' })
@Index('UQ_instrument_type_mpe_rule_seed', ['instrumentTypeId', 'seedKey'], { unique: true })
@Check('CHK_instrument_type_mpe_rule_confidence', `"confidence" IN ('VERIFIED', 'SECONDARY', 'UNCERTAIN', 'CENTRE')`)
@Check(
  'CHK_instrument_type_mpe_rule_services',
  `"services" <@ ARRAY['verification_initial', 'verification_periodic', 'verification_after_repair', 'calibration']::text[] AND cardinality("services") > 0`,
)
@Check('CHK_instrument_type_mpe_rule_multiplier', '"multiplier" > 0')
@Check(
  'CHK_instrument_type_mpe_rule_confirmation',
  `("confirmed_at" IS NULL) = ("confirmed_by" IS NULL) AND ("confirmed_at" IS NULL) = ("confirmed_against" IS NULL)`,
)
export class InstrumentTypeMpeRule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instrument_type_id', type: 'uuid' })
  instrumentTypeId!: string;

  @ManyToOne(() => InstrumentType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instrument_type_id' })
  instrumentType?: InstrumentType;

  @Column({ type: 'text', array: true })
  services!: ServiceKind[];

  @Column({ type: 'jsonb' })
  rule!: MpeRule;

  /** Applied to every value of the rule (e.g. 2 for OIML in-service limits); a decimal string. */
  @Column({ type: 'numeric', default: 1 })
  multiplier!: string;

  /** The document the rule is read in (e.g. "ĐLVN 10:2013, via the Bà Rịa-Vũng Tàu centre's summary"). */
  @Column({ name: 'source_document', type: 'text' })
  sourceDocument!: string;

  /** The clause, table or paragraph. */
  @Column({ name: 'source_clause', type: 'text', nullable: true })
  sourceClause!: string | null;

  /** What is quoted and what is missing, as the seed data says. */
  @Column({ name: 'source_note', type: 'text', nullable: true })
  sourceNote!: string | null;

  @Column({ type: 'text' })
  confidence!: MpeConfidence;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true })
  confirmedBy!: string | null;

  /** The document the admin checked the rule against (e.g. "ĐLVN 08:2011, mục 5.3"). */
  @Column({ name: 'confirmed_against', type: 'text', nullable: true })
  confirmedAgainst!: string | null;

  /** Identifies a seeded row (e.g. "seed:initial"); null for the centre's own rules. */
  @Column({ name: 'seed_key', type: 'text', nullable: true })
  seedKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A rule gives verdicts when it was read in a source, entered by the centre, or confirmed by an admin. */
export function isUsableMpeRule(r: Pick<InstrumentTypeMpeRule, 'confidence' | 'confirmedAt'>): boolean {
  return r.confidence === 'VERIFIED' || r.confidence === 'CENTRE' || r.confirmedAt !== null;
}

/**
 * The rule for a service: the centre's own rule (confidence CENTRE) first — the centre's decision
 * overrides the seed — then a seeded one stated for that service.
 */
export function ruleForService<T extends Pick<InstrumentTypeMpeRule, 'confidence' | 'services'>>(
  rules: readonly T[],
  service: ServiceKind,
): T | null {
  const forService = rules.filter((r) => r.services.includes(service));
  return forService.find((r) => r.confidence === 'CENTRE') ?? forService[0] ?? null;
}
