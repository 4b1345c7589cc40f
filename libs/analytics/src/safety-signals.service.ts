import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { Clock } from '@lib/clock';
import { isUuid, Transactions } from '@lib/database';
import type { ContactKind } from '@lib/text';
import { mayReadSafetyFlags } from './analysis-access';
import { AnalysisRecordingNotFound, FeedbackNotAllowed, SafetyExceptionNotFound } from './analysis-errors';
import { AnalysisRepository } from './analysis.repository';
import { RecordingAnalysis } from './recording-analysis.service';
import { ExceptionRow, FlagRow, SafetyRepository } from './safety.repository';


export interface SafetyFlag {
  id: string;
  artifactId: string;
  source: 'chat' | 'transcript';
  line: number;
  offsetSeconds: number;
  kind: ContactKind;
  direct: boolean;
  senderPersonId: string | null;
  senderRole: string;
  recipientPersonId: string | null;
  recipientRole: string;
  breach: boolean;
  coveredBy: 'parent' | 'exception' | null;
  exceptionId: string | null;
  holdId: string | null;
  detectedAt: string;
}

export interface SafetyExceptionGrant {
  tutorId: string;
  familyPersonIds: string[];
  kinds?: ContactKind[] | null;
  reason: string;
}

export interface SafetyExceptionView {
  id: string;
  tutorId: string;
  familyPersonIds: string[];
  kinds: ContactKind[] | null;
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
}

/**
 * Safety signals for people (POLICIES §5): a recording's flags for the safety team and reviewers,
 * and the one-time Trust & Safety exceptions that decide whether a detail shared with a family is a
 * breach. Granting or revoking one analyses the tutor's recordings again, so their flags say so.
 */
@Injectable()
export class SafetySignals {
  constructor(
    private readonly safety: SafetyRepository,
    private readonly analysis: AnalysisRepository,
    private readonly recordings: RecordingAnalysis,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async flagsOf(recordingId: string, caller: Principal): Promise<SafetyFlag[]> {
    if (!mayReadSafetyFlags(caller)) throw new FeedbackNotAllowed('safety flags');
    if (!isUuid(recordingId) || !(await this.analysis.recording(recordingId))) throw new AnalysisRecordingNotFound();
    const rows = await this.safety.flagsOf(recordingId);
    await this.audit.append({ actorId: caller.personId, action: 'safety_flags.read', subjectType: 'recording', subjectId: recordingId, details: { flags: rows.length } });
    return rows.map(flagView);
  }

  async grant(input: SafetyExceptionGrant, actorId: string): Promise<SafetyExceptionView> {
    return this.transactions.run(async () => {
      const row = await this.safety.insertException({ ...input, kinds: input.kinds ?? null, grantedBy: actorId, at: this.clock.now() });
      await this.afterChange(row!, actorId, 'safety_exception.granted');
      return exceptionView(row!);
    });
  }

  async revoke(id: string, actorId: string): Promise<SafetyExceptionView> {
    if (!isUuid(id)) throw new SafetyExceptionNotFound();
    return this.transactions.run(async () => {
      const row = await this.safety.revokeException(id, actorId, this.clock.now());
      if (!row) throw new SafetyExceptionNotFound();
      await this.afterChange(row, actorId, 'safety_exception.revoked');
      return exceptionView(row);
    });
  }

  async exceptionsOf(tutorId: string): Promise<SafetyExceptionView[]> {
    return (await this.safety.exceptionsOf(tutorId)).map(exceptionView);
  }

  private async afterChange(row: ExceptionRow, actorId: string, action: string): Promise<void> {
    const recordings = await this.safety.recordingsOfTutor(row.tutor_id);
    await this.transactions.afterCommit(() => this.recordings.queue(recordings));
    // The reason is free text: it stays on the row; the trail gets ids.
    await this.audit.append({ actorId, action, subjectType: 'person', subjectId: row.tutor_id, details: { exceptionId: row.id, familyMembers: row.family_person_ids.length } });
  }
}

function flagView(r: FlagRow): SafetyFlag {
  return {
    id: r.id,
    artifactId: r.artifact_id,
    source: r.source,
    line: r.line,
    offsetSeconds: r.offset_seconds,
    kind: r.kind,
    direct: r.direct,
    senderPersonId: r.sender_person_id,
    senderRole: r.sender_role,
    recipientPersonId: r.recipient_person_id,
    recipientRole: r.recipient_role,
    breach: r.breach,
    coveredBy: r.covered_by,
    exceptionId: r.exception_id,
    holdId: r.hold_id,
    detectedAt: r.detected_at.toISOString(),
  };
}

function exceptionView(r: ExceptionRow): SafetyExceptionView {
  return {
    id: r.id,
    tutorId: r.tutor_id,
    familyPersonIds: r.family_person_ids,
    kinds: r.kinds,
    grantedBy: r.granted_by,
    grantedAt: r.granted_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}
