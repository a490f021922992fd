import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FORECAST_SERVICES, type ForecastService } from './forecast.repository.js';

const SERVICE_DESCRIPTION =
  'verification_periodic: falling due by the next verification date and the legal cycle (kiểm định định kỳ); calibration: by the next calibration date and the interval the owner chose (hiệu chuẩn), only for instruments with one';

export class ForecastQuery {
  @ApiPropertyOptional({
    default: 8,
    minimum: 1,
    maximum: 200,
    description: 'Items one authorised technician verifies or calibrates per working day (the capacity assumption)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  itemsPerTechnicianDay: number = 8;
}

export class ForecastTypeView {
  @ApiProperty({ format: 'uuid' }) instrumentTypeId!: string;
  @ApiProperty({ enum: FORECAST_SERVICES, description: SERVICE_DESCRIPTION }) service!: ForecastService;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Verification cycle in force, months; null for calibration (each instrument has its own interval)',
  })
  cycleMonths!: number | null;
  @ApiProperty({
    description:
      'Observed on-time rate of the service over the past 12 months: done / (done + fell due and still overdue); 1 when nothing fell due',
  })
  onTimeRate!: number;
  @ApiProperty({ description: 'In service and already overdue before the first forecast month' }) backlog!: number;
}

export class ForecastMonthView {
  @ApiProperty({ example: '2027-01' }) month!: string;
  @ApiProperty({ format: 'uuid' }) instrumentTypeId!: string;
  @ApiProperty({ enum: FORECAST_SERVICES, description: SERVICE_DESCRIPTION }) service!: ForecastService;
  @ApiProperty({ description: 'Instruments falling due in the month' }) due!: number;
  @ApiProperty({ description: 'due × onTimeRate (2 decimals)' }) expected!: number;
  @ApiProperty({ description: 'Technicians authorised to perform it in the month' }) technicians!: number;
  @ApiProperty({ description: 'technicians × itemsPerTechnicianDay × working days (Mon–Fri)' }) capacity!: number;
  @ApiProperty() exceedsCapacity!: boolean;
}

export class ForecastCommuneView {
  @ApiProperty({ example: '2027-01' }) month!: string;
  @ApiProperty({ format: 'uuid' }) instrumentTypeId!: string;
  @ApiProperty({ enum: FORECAST_SERVICES }) service!: ForecastService;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) communeId!: string | null;
  @ApiProperty({ type: String, nullable: true }) communeName!: string | null;
  @ApiProperty() due!: number;
  @ApiProperty() expected!: number;
}

export class ForecastView {
  @ApiProperty({ example: '2027-01', description: 'First forecast month (the month after today)' }) from!: string;
  @ApiProperty({ example: 12 }) months!: number;
  @ApiProperty() itemsPerTechnicianDay!: number;
  @ApiProperty({ type: [ForecastTypeView] }) types!: ForecastTypeView[];
  @ApiProperty({
    type: [ForecastMonthView],
    description: 'Per type, service and month; months that exceed capacity are flagged',
  })
  byMonth!: ForecastMonthView[];
  @ApiProperty({ type: [ForecastCommuneView], description: "Per month, type, service and the instrument's commune" })
  byCommune!: ForecastCommuneView[];
}
