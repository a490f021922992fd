import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate, PageQuery } from '#libs/core';
import { PersonView, ResultInstrumentView } from '../../results/dto/result.dto.js';

export class AffectedQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2025-01-01',
    description: 'First measurement date (inclusive); default: no lower bound',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2025-06-30',
    description: 'Last measurement date (inclusive); default: no upper bound',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class AffectedRevisionView {
  @ApiProperty({ description: 'resultRevisionId: what a certificate is issued from' }) id!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() measuredOn!: string;
  @ApiProperty({ example: 'approved' }) status!: string;
}

export class AffectedResultView {
  @ApiProperty() resultId!: string;
  @ApiProperty() requestItemId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ example: 'calibration' }) service!: string;
  @ApiProperty({ example: 'approved' }) status!: string;
  @ApiProperty({ description: 'Earliest measurement date in the period on which the standard was used' })
  firstUsedOn!: string;
  @ApiProperty({ type: ResultInstrumentView }) instrument!: ResultInstrumentView;
  @ApiProperty({ type: PersonView, description: 'The customer' }) customer!: PersonView;
  @ApiProperty({ type: [AffectedRevisionView], description: 'The revisions that used the standard in the period' })
  revisions!: AffectedRevisionView[];
  @ApiProperty({
    type: [String],
    description:
      'Ids of the approved revisions among them: the certificates library finds its certificates by these (resultRevisionId)',
  })
  approvedRevisionIds!: string[];
}

export class AffectedPage {
  @ApiProperty() standardId!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) to!: string | null;
  @ApiProperty({ type: [AffectedResultView] }) items!: AffectedResultView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
