import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

export class InstrumentImportQuery {
  @ApiPropertyOptional({
    description:
      'The owner of every instrument in the file: required for staff; a business always imports for itself (ignored)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be an organization id (UUID)' })
  ownerId?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'true: check every row and answer its problems, write nothing; false: import all rows or none',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun: boolean = false;
}

export class ImportProblemView {
  @ApiProperty({ example: 7, description: 'Row number as the spreadsheet shows it (the header is row 1)' })
  row!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'serialNumber',
    description: 'Column header; null for the whole row',
  })
  column!: string | null;

  @ApiProperty({ example: 'serialNumber should not be empty' })
  message!: string;
}

export class InstrumentImportReport {
  @ApiProperty({ enum: ['xlsx', 'csv'] })
  format!: 'xlsx' | 'csv';

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ description: 'Data rows read (blank rows are skipped)' })
  rows!: number;

  @ApiProperty({ description: 'Rows without a problem' })
  valid!: number;

  @ApiProperty({ description: 'Instruments registered (0 on a dry run)' })
  imported!: number;

  @ApiProperty({ type: [ImportProblemView], description: 'Every problem, by row then column' })
  problems!: ImportProblemView[];

  @ApiProperty({
    type: [ImportProblemView],
    description:
      'What was read otherwise than written, not refused: a retired (merged) province or commune recorded as its current successor. One per column and text, on the first row that gives it (the message counts the rows)',
  })
  warnings!: ImportProblemView[];
}
