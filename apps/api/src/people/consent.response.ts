import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { CONSENT_DECISIONS, CONSENT_PURPOSES } from '@lib/consent';

/** One row of the append-only ledger: ids and facts, never the evidence text. */
export class ConsentDecisionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() personId: string;
  @ApiProperty({ enum: CONSENT_PURPOSES }) purpose: string;
  @ApiProperty({ type: String, nullable: true, description: 'research: the study (null: all research)' }) studyId: string | null;
  @ApiProperty({ enum: CONSENT_DECISIONS }) decision: string;
  @ApiProperty({ type: String, nullable: true, description: 'the guardian who decided for a minor' }) decidedBy: string | null;
  @ApiProperty({ description: 'the caller who recorded it' }) recordedBy: string;
  @ApiProperty({ type: Boolean, nullable: true }) personIsMinor: boolean | null;
  @ApiProperty({ description: 'a reason or evidence text is kept (as an object erasure can delete)' }) hasEvidence: boolean;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

/** The decision in force for a purpose. */
export class CurrentConsentResponse {
  @ApiProperty({ enum: CONSENT_DECISIONS }) decision: string;
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
  @ApiProperty({ type: String, nullable: true }) studyId: string | null;
}

export class ResearchConsentResponse {
  @ApiProperty({ type: CurrentConsentResponse, nullable: true, description: 'for all research' }) global: CurrentConsentResponse | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(CurrentConsentResponse) }, description: 'by study id' })
  // The ledger's view maps each study through a nullable helper, though a listed study always has a decision.
  studies: Record<string, CurrentConsentResponse | null>;
}

/** Derived from the ledger: the latest decision wins. Null: never decided. */
export class ConsentStateResponse {
  @ApiProperty({ type: CurrentConsentResponse, nullable: true, description: 'null: video is recorded (no opt-out)' })
  video_recording: CurrentConsentResponse | null;
  @ApiProperty({ type: CurrentConsentResponse, nullable: true, description: 'null: images are refused (they need a grant)' })
  images: CurrentConsentResponse | null;
  @ApiProperty({ type: ResearchConsentResponse }) research: ResearchConsentResponse;
}

export class ConsentLedgerResponse {
  @ApiProperty() personId: string;
  @ApiProperty({ type: ConsentStateResponse }) current: ConsentStateResponse;
  @ApiProperty({ type: [ConsentDecisionResponse], description: 'newest first' }) decisions: ConsentDecisionResponse[];
}
