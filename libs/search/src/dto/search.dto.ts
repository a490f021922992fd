import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';

export const SEARCH_KINDS = ['request', 'certificate', 'instrument', 'organization'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const MAX_SEARCH_LIMIT = 50;

export class SearchQuery {
  @ApiProperty({ example: 'KD-2026-1', description: 'A number, serial, label code, name or tax code, as typed' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit: number = 20;
}

export class SearchHitView {
  @ApiProperty({ enum: SEARCH_KINDS }) kind!: SearchKind;
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'What a person reads: the number, serial or name' }) label!: string;
  @ApiProperty({ nullable: true, type: String, description: 'A second line: tax code, kind, maker and model' })
  detail!: string | null;
  @ApiProperty({ enum: ['exact', 'prefix', 'similar'] }) match!: 'exact' | 'prefix' | 'similar';
  @ApiProperty({ description: '3 exact, 2 prefix, else trigram word similarity (0..1)' }) score!: number;
  @ApiProperty({ example: '/certificates/…' }) href!: string;
}

export class SearchResultView {
  @ApiProperty({ type: [SearchHitView], description: 'Best first, at most `limit`' }) items!: SearchHitView[];
}
