import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { ITEM_STATUSES, type ItemStatus } from '../workflow.js';
import { ReceiveDto, RequestItemView, RequestSummaryView, ScheduleDto } from './request.dto.js';

/**
 * The most items one batch action may move: one transaction, the request locked throughout; a
 * technician's week or a reception desk's delivery fits, and a 10,000-item request goes in 20 calls.
 */
export const MAX_BATCH_ITEMS = 500;

export class BatchItemRef {
  @ApiProperty({ format: 'uuid', description: 'An item of this request' })
  @IsUUID('all', { message: 'itemId must be a request item id (UUID)' })
  itemId!: string;
}

export class BatchScheduleItem extends IntersectionType(BatchItemRef, ScheduleDto) {}
export class BatchReceiveItem extends IntersectionType(BatchItemRef, ReceiveDto) {}

const itemsDoc = { minItems: 1, maxItems: MAX_BATCH_ITEMS } as const;

export class BatchItemsDto {
  @ApiProperty({ type: [BatchItemRef], ...itemsDoc })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchItemRef)
  items!: BatchItemRef[];
}

export class BatchScheduleDto {
  @ApiProperty({ type: [BatchScheduleItem], ...itemsDoc, description: 'Each item with its technician and date' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchScheduleItem)
  items!: BatchScheduleItem[];
}

export class BatchReceiveDto {
  @ApiProperty({ type: [BatchReceiveItem], ...itemsDoc, description: 'Each item with its label and condition' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchReceiveItem)
  items!: BatchReceiveItem[];
}

export class BatchItemOutcomeView {
  @ApiProperty({ description: 'Position in the batch, from 0' }) index!: number;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ enum: ITEM_STATUSES }) from!: ItemStatus;
  @ApiProperty({ enum: ITEM_STATUSES }) to!: ItemStatus;
  @ApiProperty({ type: RequestItemView, description: 'The item as it is now' }) item!: RequestItemView;
}

export class BatchResultView {
  @ApiProperty({ type: RequestSummaryView, description: 'The request afterwards (its derived status)' })
  request!: RequestSummaryView;
  @ApiProperty({ type: [BatchItemOutcomeView], description: 'One per item sent, in the order sent' })
  items!: BatchItemOutcomeView[];
}
