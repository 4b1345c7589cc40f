import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: string;
}

/** One dependency as @nestjs/terminus reports it. */
export class DependencyStatusResponse {
  @ApiProperty({ enum: ['up', 'down'] }) status: string;
  @ApiPropertyOptional({ description: 'why it is down (no secrets, no personal data)' }) message?: string;
}

const BY_DEPENDENCY = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DependencyStatusResponse) },
  description: 'by dependency: postgres, redis, s3, ffmpeg',
} as const;

/** @nestjs/terminus's HealthCheckResult: `info` holds the dependencies that are up, `error` those down, `details` all. */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: string;
  @ApiPropertyOptional(BY_DEPENDENCY) info?: Record<string, DependencyStatusResponse>;
  @ApiPropertyOptional(BY_DEPENDENCY) error?: Record<string, DependencyStatusResponse>;
  @ApiProperty(BY_DEPENDENCY) details: Record<string, DependencyStatusResponse>;
}
