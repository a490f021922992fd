import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { RequestItem } from '#libs/requests';
import { TestProduct } from '../catalogue/catalogue.entity.js';

/** Who took the sample: the customer (mẫu do khách hàng gửi), the centre's staff, or a market-surveillance inspector. */
export const SAMPLED_BY = ['customer', 'centre', 'inspector'] as const;
export type SampledBy = (typeof SAMPLED_BY)[number];

/** The decision rule the sample's conformity is judged under (ILAC-G8; simple acceptance by default). */
export const SAMPLE_DECISION_RULES = ['simple', 'guarded'] as const;
export type SampleDecisionRule = (typeof SAMPLE_DECISION_RULES)[number];

/**
 * The steps of a chain of custody the staff record (custody.ts holds the rules). The receipt itself
 * is the request item's `received` move (label, condition, who, when), read from the request's history.
 */
export const CUSTODY_EVENT_KINDS = [
  'split',
  'stored',
  'subcontracted',
  'returned_from_subcontractor',
  'returned_to_customer',
  'disposed',
] as const;
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number];

/**
 * A test sample (mẫu thử): the sample data of a request item whose subject is a sample
 * (`request_item.subject_kind = 'sample'`, service `testing`), keyed by that item. The item carries
 * the workflow (status, history, label = the sample code, condition on receipt, received at); this
 * row what the sample is and how it was taken.
 */
@Entity({ name: 'test_sample' })
@Index('IDX_test_sample_product', ['productId'])
@Check('CHK_test_sample_sampled_by', `"sampled_by" IN ('customer', 'centre', 'inspector')`)
@Check('CHK_test_sample_sampler', `"sampled_by" = 'customer' OR "sampler_name" IS NOT NULL`)
@Check('CHK_test_sample_quantity', `"quantity" > 0`)
@Check('CHK_test_sample_decision_rule', `"decision_rule" IN ('simple', 'guarded')`)
@Check('CHK_test_sample_inspection', `("sampled_by" = 'inspector') = ("inspection_reference" IS NOT NULL)`)
@Check(
  'CHK_test_sample_release',
  `("results_released_at" IS NULL) = ("results_released_by" IS NULL) AND ("results_released_at" IS NULL OR "inspection_reference" IS NOT NULL)`,
)
export class TestSample {
  @PrimaryColumn({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @OneToOne(() => RequestItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id' })
  item?: RequestItem;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => TestProduct, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: TestProduct;

  /** The quality level (mức) declared, one of the product's levels. */
  @Column({ type: 'text', nullable: true })
  level!: string | null;

  /** The grade declared (RON 95, propan…), one of the product's grades. */
  @Column({ type: 'text', nullable: true })
  grade!: string | null;

  /** Lot or batch (lô hàng). */
  @Column({ type: 'text', nullable: true })
  lot!: string | null;

  @Column({ type: 'numeric' })
  quantity!: string;

  /** A mathjs unit ("L", "g") or a count label ("chiếc"). */
  @Column({ name: 'quantity_unit', type: 'text' })
  quantityUnit!: string;

  /** e.g. "chai thủy tinh màu nâu 1 L, nút kín". */
  @Column({ type: 'text', nullable: true })
  packaging!: string | null;

  @Column({ name: 'sampled_by', type: 'text' })
  sampledBy!: SampledBy;

  /** Who took it (required unless the customer sent it). */
  @Column({ name: 'sampler_name', type: 'text', nullable: true })
  samplerName!: string | null;

  @Column({ name: 'sampling_place', type: 'text', nullable: true })
  samplingPlace!: string | null;

  @Column({ name: 'sampled_at', type: 'timestamptz', nullable: true })
  sampledAt!: Date | null;

  /** The sampling method or standard, e.g. "TCVN 6777:2007". */
  @Column({ name: 'sampling_method', type: 'text', nullable: true })
  samplingMethod!: string | null;

  /** Numbers of the seals (niêm phong) on the containers. */
  @Column({ name: 'seal_numbers', type: 'text', array: true, default: () => "'{}'" })
  sealNumbers!: string[];

  /** Storage conditions, e.g. "≤ 25 °C, tránh ánh sáng". */
  @Column({ type: 'text', nullable: true })
  storage!: string | null;

  /** Kept at least until (lưu mẫu đến): no disposal before. */
  @Column({ name: 'retain_until', type: 'date', nullable: true })
  retainUntil!: string | null;

  @Column({ name: 'decision_rule', type: 'text', default: 'simple' })
  decisionRule!: SampleDecisionRule;

  /** Market surveillance: the inspection's reference (số biên bản lấy mẫu / quyết định kiểm tra). */
  @Column({ name: 'inspection_reference', type: 'text', nullable: true })
  inspectionReference!: string | null;

  @Column({ name: 'inspection_authority', type: 'text', nullable: true })
  inspectionAuthority!: string | null;

  /**
   * An inspector's sample: when the results were released to the owner (the request's organization),
   * after the inspector had them; null: withheld from the owner. Always null for other samples,
   * whose owner reads results as soon as they exist (see `ownerMayReadResults`).
   */
  @Column({ name: 'results_released_at', type: 'timestamptz', nullable: true })
  resultsReleasedAt!: Date | null;

  @Column({ name: 'results_released_by', type: 'uuid', nullable: true })
  resultsReleasedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A portion of a split sample (phần mẫu): its own code, the sample code with a letter ("…-A"). */
@Entity({ name: 'test_sample_portion' })
@Index('UQ_test_sample_portion_code', ['code'], { unique: true })
@Index('UQ_test_sample_portion_suffix', ['requestItemId', 'suffix'], { unique: true })
@Check(
  'CHK_test_sample_portion_quantity',
  `("quantity" IS NULL) = ("quantity_unit" IS NULL) AND ("quantity" IS NULL OR "quantity" > 0)`,
)
export class TestSamplePortion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @ManyToOne(() => TestSample, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id' })
  sample?: TestSample;

  /** "A", "B", … in the order of splitting. */
  @Column({ type: 'text' })
  suffix!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'numeric', nullable: true })
  quantity!: string | null;

  @Column({ name: 'quantity_unit', type: 'text', nullable: true })
  quantityUnit!: string | null;

  /** What it is for: "thử nghiệm", "lưu mẫu", "gửi nhà thầu phụ"… */
  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One step of a sample's chain of custody, of the whole sample (portion_id null) or of one portion:
 * when it happened, who recorded it, who handled it. Append-only (a trigger refuses UPDATE, DELETE
 * and TRUNCATE); the current state of the sample and of each portion is folded from these rows.
 */
@Entity({ name: 'test_sample_custody_event' })
@Index('IDX_test_sample_custody_event_sample', ['requestItemId', 'id'])
@Check(
  'CHK_test_sample_custody_event_kind',
  `"kind" IN ('split', 'stored', 'subcontracted', 'returned_from_subcontractor', 'returned_to_customer', 'disposed')`,
)
@Check('CHK_test_sample_custody_event_subcontractor', `"kind" <> 'subcontracted' OR "subcontractor" IS NOT NULL`)
@Check('CHK_test_sample_custody_event_split', `"kind" <> 'split' OR "portion_id" IS NULL`)
export class TestSampleCustodyEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'request_item_id', type: 'uuid' })
  requestItemId!: string;

  @ManyToOne(() => TestSample, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_item_id' })
  sample?: TestSample;

  /** null: the whole sample. */
  @Column({ name: 'portion_id', type: 'uuid', nullable: true })
  portionId!: string | null;

  @ManyToOne(() => TestSamplePortion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'portion_id' })
  portion?: TestSamplePortion | null;

  @Column({ type: 'text' })
  kind!: CustodyEventKind;

  /** When it happened (may be earlier than when it was recorded). */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** The person who physically handled it (courier, analyst), when not the one recording. */
  @Column({ name: 'handled_by', type: 'text', nullable: true })
  handledBy!: string | null;

  /** The named laboratory a portion or the sample was sent to. */
  @Column({ type: 'text', nullable: true })
  subcontractor!: string | null;

  /** Where it is kept after this step (tủ lưu mẫu số…). */
  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** What came with the step: the portions a split made. */
  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  /** staff | business | system, as in request_history. */
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

export const SAMPLE_ENTITIES = [TestSample, TestSamplePortion, TestSampleCustodyEvent];
