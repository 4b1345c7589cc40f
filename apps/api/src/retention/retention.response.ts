import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

export class RetentionDurationResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) amount: number;
  @ApiProperty({ enum: ['days', 'years', 'working_days'] }) unit: string;
}

export class RetentionRuleResponse {
  @ApiProperty({ type: RetentionDurationResponse, nullable: true, description: 'null: kept until something else ends it (research exports)' })
  keep: RetentionDurationResponse | null;
  @ApiProperty({ enum: ['session_start', 'upload', 'review_decision', 'study_agreement'], description: 'what the clock starts from' })
  from: string;
}

/** The rules by artifact kind (video, audio, participant_audio, stream, transcript, chat, timeline, other, talk_time, image, …). */
export const RULES_BY_KIND = { type: 'object', additionalProperties: { $ref: getSchemaPath(RetentionRuleResponse) } } as const;

export class RetentionPolicyResponse {
  @ApiProperty({ enum: ['tutoring', 'classes'] }) profile: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ ...RULES_BY_KIND, description: 'the rule of each artifact kind' }) rules: Record<string, RetentionRuleResponse>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() createdBy: string;
}

export class RetentionPolicyListResponse {
  @ApiProperty({ type: [RetentionPolicyResponse], description: 'the newest version of each profile' }) items: RetentionPolicyResponse[];
}

export class SweepSummaryResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: 'integer' }) found: number;
  @ApiProperty({ type: 'integer' }) queued: number;
  @ApiProperty({ type: 'integer' }) deleted: number;
  @ApiProperty({ type: 'integer' }) failed: number;
}

export class ClassCountResponse {
  @ApiProperty({ type: 'integer' }) stored: number;
  @ApiProperty({ type: 'integer', description: 'of those, due now (held ones included)' }) due: number;
}

/** CONTRACT `GET /v1/retention/status`: overdue deletions, next sweep, counts by class. */
export class RetentionStatusResponse {
  @ApiProperty({ type: 'integer', description: 'stored, unheld artifacts past their deletion time by more than the overdue allowance' })
  overdue: number;
  @ApiProperty({ format: 'date-time' }) nextSweepAt: string;
  @ApiProperty({ type: SweepSummaryResponse, nullable: true }) lastSweep: SweepSummaryResponse | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ClassCountResponse) }, description: 'by retention class' })
  byClass: Record<string, ClassCountResponse>;
  @ApiProperty({ type: 'integer', description: 'stored artifacts a hold covers' }) held: number;
  @ApiProperty({ type: 'integer' }) sweepIntervalMs: number;
  @ApiProperty({ type: 'integer' }) overdueAfterMs: number;
}
