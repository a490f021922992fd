import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { CreateInstrumentDto, INSTRUMENT_SERVICES, type ServiceKind } from '#libs/registry';
import { CANNOT_DO_REASONS, type CannotDoReason } from '../contract-review.js';
import {
  DECISION_RULES,
  PLACES,
  SUBJECT_KINDS,
  type DecisionRuleKind,
  type Place,
  type SubjectKind,
} from '../request.entities.js';
import { ITEM_STATUSES, REQUEST_STATUSES, type ItemStatus, type RequestStatus } from '../workflow.js';

/** The most items one request may carry (the issue: up to 10,000, inserted in one transaction). */
export const MAX_REQUEST_ITEMS = 10_000;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A cross-field rule on one property: `holds(value, object)` must be true. */
function Holds(holds: (value: unknown, object: Record<string, unknown>) => boolean, message: string) {
  return (target: object, propertyName: string): void =>
    registerDecorator({
      name: 'holds',
      target: target.constructor,
      propertyName,
      options: { message } satisfies ValidationOptions,
      validator: { validate: (value, args) => holds(value, args!.object as Record<string, unknown>) },
    });
}

/** A new instrument registered with the request: the registry's own DTO, minus the owner (the request's organization). */
export class NewInstrumentDto extends OmitType(CreateInstrumentDto, ['ownerId'] as const) {}

export class RequestItemDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An instrument of this organization already registered' })
  @ValidateIf((o: RequestItemDto) => o.instrument === undefined || o.instrumentId !== undefined)
  @IsUUID('all', { message: 'instrumentId must be an instrument id (UUID); give instrumentId or a new instrument' })
  instrumentId?: string;

  @ApiPropertyOptional({
    type: NewInstrumentDto,
    description: 'A new instrument, registered with the request (same rules as POST /instruments)',
  })
  @ValidateIf((o: RequestItemDto) => o.instrument !== undefined)
  @Holds((_, o) => o.instrumentId === undefined, 'give either instrumentId or instrument, not both')
  @ValidateNested()
  @Type(() => NewInstrumentDto)
  instrument?: NewInstrumentDto;

  @ApiProperty({ enum: INSTRUMENT_SERVICES, description: "Must be one the instrument's type offers" })
  @IsIn(INSTRUMENT_SERVICES, { message: `service must be one of ${INSTRUMENT_SERVICES.join(', ')}` })
  service!: ServiceKind;

  @ApiPropertyOptional({
    default: false,
    description: 'Calibration only: state conformity (pass/fail) under decisionRule (ILAC-G8)',
  })
  @IsOptional()
  @IsBoolean()
  @Holds(
    (v, o) => v !== true || o.service === 'calibration',
    'conformityStatementRequested is for calibration only (a verification always states pass or fail)',
  )
  conformityStatementRequested?: boolean;

  @ApiPropertyOptional({ enum: DECISION_RULES, description: 'Required with conformityStatementRequested: true' })
  @ValidateIf((o: RequestItemDto) => o.conformityStatementRequested === true || o.decisionRule !== undefined)
  @IsIn(DECISION_RULES, { message: `decisionRule must be one of ${DECISION_RULES.join(', ')}` })
  @Holds((_, o) => o.conformityStatementRequested === true, 'decisionRule goes with conformityStatementRequested: true')
  decisionRule?: DecisionRuleKind;

  @ApiPropertyOptional({ example: 'Vòi số 2 rò rỉ nhẹ' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class CreateRequestDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Staff (reception, for a walk-in customer): required. A business key always requests for its own organization; this field is then ignored.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be an organization id (UUID)' })
  organizationId?: string;

  @ApiProperty({ enum: PLACES, description: "lab: brought to the centre; on_site: at the customer's address" })
  @IsIn(PLACES, { message: `place must be one of ${PLACES.join(', ')}` })
  place!: Place;

  @ApiPropertyOptional({ example: 'Cửa hàng xăng dầu số 5, 215 Lê Hồng Phong, Nha Trang', description: 'on_site only' })
  @ValidateIf((o: CreateRequestDto) => o.place === 'on_site' || o.siteAddress !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'siteAddress is required when place is on_site' })
  @MaxLength(500)
  @Holds((_, o) => o.place === 'on_site', 'siteAddress is for place on_site only')
  siteAddress?: string;

  @ApiPropertyOptional({ example: '2025-07-01', description: 'Not in the past' })
  @IsOptional()
  @IsCalendarDate()
  preferredDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  notes?: string;

  @ApiProperty({ type: [RequestItemDto], minItems: 1, maxItems: MAX_REQUEST_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REQUEST_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => RequestItemDto)
  items!: RequestItemDto[];
}

export class RejectDto {
  @ApiProperty({ example: 'Trung tâm chưa có chuẩn phù hợp cho phạm vi đo này', maxLength: 2000 })
  @Transform(trim)
  @Holds(
    (v) => typeof v === 'string' && v !== '' && v.length <= 2000,
    'a rejection needs a reason (text of up to 2000 characters)',
  )
  reason!: string;
}

/** An item reception refuses at acceptance, with the reason the customer will read. */
export class RefusedItemDto {
  @ApiProperty({ format: 'uuid', description: 'A submitted item of this request' })
  @IsUUID('all', { message: 'itemId must be a request item id (UUID)' })
  itemId!: string;

  @ApiProperty({ example: 'Thiết bị hư hỏng, không thể kiểm định', maxLength: 2000 })
  @Transform(trim)
  @Holds(
    (v) => typeof v === 'string' && v !== '' && v.length <= 2000,
    'a refused item needs a reason (text of up to 2000 characters)',
  )
  reason!: string;
}

/** Acceptance in part: the items reception refuses, each with its reason; the rest go through contract review. */
export class AcceptDto {
  @ApiPropertyOptional({
    type: [RefusedItemDto],
    maxItems: 10000,
    description: 'Items refused by reception (rejected with this reason, not reviewed); default none',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => RefusedItemDto)
  refuse?: RefusedItemDto[];
}

/** Which labels to print: every labelled item of the request, or only these. */
export class LabelSheetQuery {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 500,
    description: 'Only these items (repeat the parameter: ?item=…&item=…); default every labelled item',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'each item must be a request item id (UUID)' })
  item?: string[];
}

export class CancelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ScheduleDto {
  @ApiProperty({
    format: 'uuid',
    description: "A technician authorised to perform the item's service on its type on that date",
  })
  @IsUUID('all', { message: 'technicianId must be a staff user id (UUID)' })
  technicianId!: string;

  @ApiProperty({ example: '2025-07-01', description: 'Not in the past' })
  @IsCalendarDate()
  date!: string;
}

export class ReceiveDto {
  @ApiProperty({ example: 'TĐC-25-000123', description: "The centre's label put on the instrument; unique" })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^\S(.*\S)?$/, { message: 'labelId must not start or end with spaces' })
  labelId!: string;

  @ApiProperty({ example: 'Nguyên niêm phong, vỏ trầy nhẹ', description: 'Condition on receipt' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'condition on receipt is required' })
  @MaxLength(2000)
  condition!: string;
}

export class RequestQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES })
  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only; a business sees its own requests only' })
  @IsOptional()
  @IsUUID('all')
  organization?: string;
}

export class WorkListQuery extends PageQuery {
  @ApiPropertyOptional({ default: 'me', description: '"me" or a technician\'s user id' })
  @IsOptional()
  @Matches(/^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, {
    message: 'technician must be "me" or a user id (UUID)',
  })
  technician: string = 'me';

  @ApiPropertyOptional({ enum: ITEM_STATUSES, description: 'Default: open work (scheduled, received, in_progress)' })
  @IsOptional()
  @IsIn(ITEM_STATUSES)
  status?: ItemStatus;
}

export class NamedRef {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ActorView {
  @ApiProperty({ enum: ['staff', 'business', 'system'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty() name!: string;
}

/** Who submitted a request: a staff user's id, or a business's API key id (no name is recorded). */
export class SubmitterView {
  @ApiProperty({ enum: ['business', 'staff'] }) kind!: 'business' | 'staff';
  @ApiProperty({ description: 'The staff user id, or the API key id of the business' }) id!: string;
}

export class ItemInstrumentView {
  @ApiProperty() id!: string;
  @ApiProperty() instrumentTypeId!: string;
  @ApiProperty() typeCode!: string;
  @ApiProperty() manufacturer!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() serialNumber!: string;
}

/** Where an item's outputs are: its calibration results and its certificates, as filtered lists. */
export class ItemLinksView {
  @ApiProperty({ example: '/results?requestItemId=…' }) results!: string;
  @ApiProperty({ example: '/certificates?requestItemId=…' }) certificates!: string;
}

export class RequestItemView {
  @ApiProperty() id!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'Position in the request as submitted, from 0' }) ordinal!: number;
  @ApiProperty({
    enum: SUBJECT_KINDS,
    description: 'instrument, or sample (testing: the sample itself is at GET /testing/samples/{itemId})',
  })
  subjectKind!: SubjectKind;
  @ApiProperty({ type: ItemInstrumentView, nullable: true, description: 'null for a sample' })
  instrument!: ItemInstrumentView | null;
  @ApiProperty({ enum: INSTRUMENT_SERVICES }) service!: ServiceKind;
  @ApiProperty() conformityStatementRequested!: boolean;
  @ApiProperty({ enum: DECISION_RULES, nullable: true }) decisionRule!: DecisionRuleKind | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ enum: ITEM_STATUSES }) status!: ItemStatus;
  @ApiProperty({ enum: ITEM_STATUSES, isArray: true, description: 'Where it can go next' })
  allowedTransitions!: ItemStatus[];
  @ApiProperty({ nullable: true, type: String, description: 'Why it was rejected or cancelled' })
  statusReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) technicianId!: string | null;
  @ApiProperty({ nullable: true, type: String }) scheduledDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) labelId!: string | null;
  @ApiProperty({ nullable: true, type: String }) conditionOnReceipt!: string | null;
  @ApiProperty({ nullable: true, type: String }) receivedAt!: string | null;
  @ApiProperty() statusChangedAt!: string;
  @ApiProperty({ type: ItemLinksView }) links!: ItemLinksView;
}

export class RequestSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'YC-2026-000123', description: 'The request number: gapless per year, what people read' })
  number!: string;
  @ApiProperty({ type: NamedRef }) organization!: NamedRef;
  @ApiProperty({ enum: REQUEST_STATUSES, description: "Derived from the items' statuses" }) status!: RequestStatus;
  @ApiProperty({ enum: PLACES }) place!: Place;
  @ApiProperty({ nullable: true, type: String }) siteAddress!: string | null;
  @ApiProperty({ nullable: true, type: String }) preferredDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty() itemCount!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'How many items are in each status (statuses with none are left out)',
  })
  itemStatusCounts!: Partial<Record<ItemStatus, number>>;
  @ApiProperty({ type: SubmitterView }) submittedBy!: SubmitterView;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() statusChangedAt!: string;
}

export class RequestView extends RequestSummaryView {
  @ApiProperty({
    type: [RequestItemView],
    description: 'GET: the first page of items by ordinal (see itemsNextCursor); POST: every item, once',
  })
  items!: RequestItemView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` to GET /requests/{id}/items for the next items; null when `items` is all',
  })
  itemsNextCursor!: string | null;
}

export class RequestItemPage {
  @ApiProperty({ type: [RequestItemView] }) items!: RequestItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RequestPage {
  @ApiProperty({ type: [RequestSummaryView] }) items!: RequestSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class HistoryEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String, description: "null: the request's own status" }) itemId!: string | null;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) details!: Record<string, unknown> | null;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiProperty() occurredAt!: string;
}

export class HistoryPage {
  @ApiProperty({ type: [HistoryEntryView] }) items!: HistoryEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RequestItemDetailView extends RequestItemView {
  @ApiProperty({ type: [HistoryEntryView], description: 'Oldest first' }) history!: HistoryEntryView[];
}

export class WorkItemView extends RequestItemView {
  @ApiProperty({ type: NamedRef }) organization!: NamedRef;
  @ApiProperty({ enum: PLACES }) place!: Place;
  @ApiProperty({ nullable: true, type: String }) siteAddress!: string | null;
}

export class WorkListPage {
  @ApiProperty({ type: [WorkItemView] }) items!: WorkItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class UnusableStandardView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: [String], example: ['calibration_overdue'], description: 'Why it is not usable (codes)' })
  reasons!: string[];
}

export class ReviewFindingView {
  @ApiProperty({ enum: CANNOT_DO_REASONS }) code!: CannotDoReason;
  @ApiProperty({ description: 'The finding in an English sentence; the fields below give its values' })
  message!: string;
  @ApiPropertyOptional({ description: 'type_inactive, service_not_offered, no_authorised_technician' })
  typeCode?: string;
  @ApiPropertyOptional({ description: 'service_not_offered, no_authorised_technician' }) service?: string;
  @ApiPropertyOptional({
    description: 'The quantity a standard must measure (no_standard, …_range_insufficient, no_usable_standard)',
  })
  quantity?: string;
  @ApiPropertyOptional({ description: 'standard_range_insufficient: the instrument’s maximum' }) rangeMax?: string;
  @ApiPropertyOptional({ description: 'standard_range_insufficient: the unit of that maximum' }) unit?: string;
  @ApiPropertyOptional({ description: 'The date reviewed (no_usable_standard, no_authorised_technician)' })
  date?: string;
  @ApiPropertyOptional({
    type: [UnusableStandardView],
    description: 'no_usable_standard: each matching standard and why',
  })
  standards?: UnusableStandardView[];
}

export class ItemReviewView {
  @ApiProperty() itemId!: string;
  @ApiProperty() ordinal!: number;
  @ApiProperty() doable!: boolean;
  @ApiProperty({ type: [ReviewFindingView], description: 'Why the centre cannot do it (empty when doable)' })
  findings!: ReviewFindingView[];
  @ApiProperty({ type: [String], description: 'Codes of the matching standards usable on the date' })
  standards!: string[];
  @ApiProperty({ description: 'How many people may perform it on the date' }) technicians!: number;
}

export class ContractReviewView {
  @ApiProperty({ description: 'The date reviewed: the preferred date if still ahead, else today' }) date!: string;
  @ApiProperty() doable!: number;
  @ApiProperty() cannotDo!: number;
  @ApiProperty({ type: [ItemReviewView], description: 'The items still awaiting review (submitted)' })
  items!: ItemReviewView[];
}

export class RefusedItemView {
  @ApiProperty() itemId!: string;
  @ApiProperty() ordinal!: number;
  @ApiProperty() reason!: string;
}

export class AcceptResultView {
  @ApiProperty({ type: RequestSummaryView }) request!: RequestSummaryView;
  @ApiProperty({ description: 'The date reviewed' }) date!: string;
  @ApiProperty({ description: 'Items accepted' }) accepted!: number;
  @ApiProperty({ type: [ItemReviewView], description: 'Items the centre cannot do: rejected, with the reasons' })
  rejected!: ItemReviewView[];
  @ApiProperty({ type: [RefusedItemView], description: 'Items reception refused (`refuse`): rejected with its reason' })
  refused!: RefusedItemView[];
}
