import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsCalendarDate } from '#libs/core';

export class StatisticsQuery {
  @ApiProperty({ example: '2026-07-01', description: 'First day of the period (Viet Nam calendar day)' })
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2026-09-30', description: 'Last day of the period, included' })
  @IsCalendarDate()
  to!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Refresh the certificate rollup first (otherwise it is refreshed when older than 5 minutes)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  refresh: boolean = false;
}

export class TurnaroundView {
  @ApiProperty({ description: 'Median days from receipt to the certificate' }) medianDays!: number;
  @ApiProperty({ description: '90th percentile (nearest rank), days' }) p90Days!: number;
  @ApiProperty({ description: 'Certificates with a receipt date, counted' }) certificates!: number;
}

export class StatisticsFigures {
  @ApiProperty({ description: 'Request items asked for in the period' }) items!: number;
  @ApiProperty({ description: 'Certificates issued in the period (not revoked)' }) certificates!: number;
  @ApiProperty({ description: 'Certificates with a pass verdict' }) pass!: number;
  @ApiProperty({ description: 'Certificates with a fail verdict' }) fail!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'pass / (pass + fail); null without verdicts' })
  passRate!: number | null;
  @ApiProperty({ type: TurnaroundView, nullable: true }) turnaround!: TurnaroundView | null;
  @ApiProperty({ description: 'Instruments in service overdue for periodic verification today' })
  overdueInstruments!: number;
  @ApiProperty({
    description:
      "Instruments in service overdue for calibration today: past their last calibration + the owner's interval (only instruments with an interval)",
  })
  overdueCalibrations!: number;
}

export class StatisticsTotals extends StatisticsFigures {
  @ApiProperty({ description: 'Service requests made in the period' }) requests!: number;
  @ApiProperty({ description: 'Standards due for calibration within 30 days (or never calibrated)' })
  standardsDue!: number;
  @ApiProperty({ description: 'Standards whose calibration is overdue today' }) standardsOverdue!: number;
}

export class StatisticsRowView extends StatisticsFigures {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The id (type, commune) or code (service, verdict, sector); null: none recorded',
  })
  key!: string | null;
  @ApiProperty({ description: 'What the key names, in Vietnamese' }) label!: string;
}

export class StatisticsView {
  @ApiProperty({ example: '2026-07-01' }) from!: string;
  @ApiProperty({ example: '2026-09-30' }) to!: string;
  @ApiProperty({ format: 'date-time', description: 'When the certificate rollup was last refreshed' }) asOf!: string;
  @ApiProperty({ type: StatisticsTotals }) totals!: StatisticsTotals;
  @ApiProperty({ type: [StatisticsRowView] }) byType!: StatisticsRowView[];
  @ApiProperty({ type: [StatisticsRowView], description: 'kiểm định (3 kinds) / hiệu chuẩn / thử nghiệm' })
  byService!: StatisticsRowView[];
  @ApiProperty({ type: [StatisticsRowView], description: 'pass / fail / none (no conformity statement)' })
  byVerdict!: StatisticsRowView[];
  @ApiProperty({
    type: [StatisticsRowView],
    description: "By the instrument's current commune (place of use, else the owner's)",
  })
  byCommune!: StatisticsRowView[];
  @ApiProperty({
    type: [StatisticsRowView],
    description:
      "By the customer's sector (the instrument's owner's; the requesting organization's for a sample); key null: not stated",
  })
  bySector!: StatisticsRowView[];
}
