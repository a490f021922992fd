import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EnvironmentLimitsDto, ProcedureView } from './template.dto.js';

export class WorksheetStandardView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'May be used on the date' }) usable!: boolean;
  @ApiProperty({ type: [String], example: [] }) reasons!: string[];
  @ApiProperty({ nullable: true, type: String }) certificateNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) dueDate!: string | null;
}

export class WorksheetTermView {
  @ApiProperty({ example: 'reference standard' }) name!: string;
  @ApiProperty({ example: 'reference_standard' }) termKind!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The maths input this row becomes, numbers as decimal strings (readings: entered by the technician)',
    example: {
      kind: 'type_b_expanded',
      name: 'reference standard',
      expandedUncertainty: '0.0016',
      coverageFactor: '2',
    },
  })
  input!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Where the value comes from',
    example: { kind: 'standard_certificate' },
  })
  source!: Record<string, unknown>;
}

export class WorksheetPointView {
  @ApiProperty({ example: '0.4' }) nominal!: string;
  @ApiProperty({ example: 'MPa' }) unit!: string;
  @ApiProperty({ example: 3 }) readings!: number;
  @ApiProperty({ nullable: true, type: String, example: '0.0256', description: '±MPE at the nominal value' })
  mpe!: string | null;
  @ApiPropertyOptional({ description: 'Why the MPE cannot be computed' }) mpeProblem?: string;
  @ApiProperty({ type: [WorksheetTermView] }) budget!: WorksheetTermView[];
  @ApiPropertyOptional({ description: 'Why a budget row cannot be filled yet' }) budgetProblem?: string;
}

/** A template filled for one instrument and date: what the technician sees before entering readings. */
export class WorksheetView {
  @ApiProperty() templateId!: string;
  @ApiProperty() instrumentId!: string;
  @ApiProperty() on!: string;
  @ApiProperty({ type: ProcedureView }) procedure!: ProcedureView;
  @ApiProperty({ type: EnvironmentLimitsDto }) environmentLimits!: EnvironmentLimitsDto;
  @ApiProperty({ type: [WorksheetStandardView] }) standards!: WorksheetStandardView[];
  @ApiProperty({ type: [WorksheetPointView] }) points!: WorksheetPointView[];
}
