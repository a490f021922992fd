import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveView {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

/** One dependency's state, as @nestjs/terminus reports it (`backend`, `system` or `message` with it). */
export class DependencyStateView {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ enum: ['redis', 'postgres'], description: 'queue: where the jobs are kept' })
  backend?: string;
  @ApiPropertyOptional({ description: 'down: why' }) message?: string;
}

/** @nestjs/terminus's health check result. */
export class ReadinessView {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/DependencyStateView' } })
  info!: Record<string, DependencyStateView>;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/DependencyStateView' } })
  error!: Record<string, DependencyStateView>;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/DependencyStateView' } })
  details!: Record<string, DependencyStateView>;
}
