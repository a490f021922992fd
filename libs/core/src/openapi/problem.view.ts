import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorView {
  @ApiProperty({ description: 'Path of the offending field in the request', example: 'items[2].serialNumber' })
  field!: string;
  @ApiProperty({ example: 'serialNumber must be a string' })
  message!: string;
  @ApiPropertyOptional({
    description:
      'On a 400 from validation: the constraint the field failed (class-validator names: isNotEmpty, isString, ' +
      'maxLength, isUUID, …); on a 422, the domain rule (readiness.no_cycle, …). Stable, for a client to word ' +
      'the message in its own language',
    example: 'isString',
  })
  constraint?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'With a domain constraint: the values its message names (dates as YYYY-MM-DD)',
    example: { service: 'verification_periodic', date: '2026-12-01' },
  })
  values?: Record<string, string>;
}

/**
 * RFC 9457 problem details: the one body of every error (application/problem+json). Extension
 * members that a code documents (e.g. `retryAfterSeconds`, `number`) may follow.
 */
export class ProblemView {
  @ApiProperty({
    format: 'uri-reference',
    description: 'The problem type: https://tdc-lims.local/problems/<code>, or about:blank',
    example: 'https://tdc-lims.local/problems/validation_failed',
  })
  type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ example: 'The request has invalid fields' }) detail!: string;
  @ApiProperty({
    description: "Stable, machine-readable code (each library's README lists its codes)",
    example: 'validation_failed',
  })
  code!: string;
  @ApiPropertyOptional({ format: 'uri-reference', description: 'The path that answered', example: '/requests' })
  instance?: string;
  @ApiPropertyOptional({ description: 'The request id, as in the logs' }) requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: '400 and some 422: one entry per offending field' })
  errors?: FieldErrorView[];
}
