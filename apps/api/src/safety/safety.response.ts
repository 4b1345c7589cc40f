import { ApiProperty } from '@nestjs/swagger';
import { CONTACT_KINDS } from '@lib/config';

export class SafetyFlagResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the chat log or transcript it was found in' }) artifactId: string;
  @ApiProperty({ enum: ['chat', 'transcript'] }) source: string;
  @ApiProperty({ type: 'integer', description: 'line in that file' }) line: number;
  @ApiProperty({ type: 'number', description: 'seconds from the start of the recording' }) offsetSeconds: number;
  @ApiProperty({ enum: CONTACT_KINDS, description: 'what kind of detail (the detail itself is never stored)' }) kind: string;
  @ApiProperty({ description: 'a direct (private) chat message' }) direct: boolean;
  @ApiProperty({ type: String, nullable: true }) senderPersonId: string | null;
  @ApiProperty({ enum: ['tutor', 'learner', 'parent', 'unknown'] }) senderRole: string;
  @ApiProperty({ type: String, nullable: true }) recipientPersonId: string | null;
  @ApiProperty({ enum: ['tutor', 'learner', 'parent', 'unknown', 'everyone'] }) recipientRole: string;
  @ApiProperty({ description: 'a breach of POLICIES §5 (the tutor shared it with a learner, or with everyone)' }) breach: boolean;
  @ApiProperty({ enum: ['parent', 'exception'], nullable: true, description: 'why it is not a breach: given to a parent, or covered by an exception' }) coveredBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) exceptionId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the safety hold it placed automatically' }) holdId: string | null;
  @ApiProperty({ format: 'date-time' }) detectedAt: string;
}

export class SafetyFlagsResponse {
  @ApiProperty({ type: [SafetyFlagResponse], description: 'breaches first, then by file and time' }) items: SafetyFlagResponse[];
}

export class SafetyExceptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tutorId: string;
  @ApiProperty({ type: [String], description: 'the family: parents and learners the exception covers' }) familyPersonIds: string[];
  @ApiProperty({ enum: CONTACT_KINDS, isArray: true, nullable: true, description: 'null: every kind' }) kinds: string[] | null;
  @ApiProperty() grantedBy: string;
  @ApiProperty({ format: 'date-time' }) grantedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class SafetyExceptionsResponse {
  @ApiProperty({ type: [SafetyExceptionResponse] }) items: SafetyExceptionResponse[];
}
