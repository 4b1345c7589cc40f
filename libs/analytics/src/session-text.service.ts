import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { ObjectStore } from '@lib/storage';
import { mayReadSessionFeedback } from './analysis-access';
import { AnalysisRecordingNotFound, FeedbackNotAllowed, SessionTextNotFound } from './analysis-errors';
import { AnalysisRepository } from './analysis.repository';
import { isUuid } from '@lib/database';

const CONTENT_TYPES = { transcript: 'text/vtt; charset=utf-8', chat: 'text/plain; charset=utf-8' } as const;

/**
 * A session's transcript and chat log as text (CONTRACT: part of tutor feedback): the tutor of the
 * session and reviewers read them, streamed, and every read is audited (ids only) before a byte leaves.
 */
@Injectable()
export class SessionText {
  constructor(
    private readonly analysis: AnalysisRepository,
    private readonly store: ObjectStore,
    private readonly audit: AuditTrail,
  ) {}

  async read(recordingId: string, kind: 'transcript' | 'chat', caller: Principal): Promise<{ body: Readable; contentType: string }> {
    if (!isUuid(recordingId)) throw new AnalysisRecordingNotFound();
    const recording = await this.analysis.recording(recordingId);
    if (!recording) throw new AnalysisRecordingNotFound();
    const assigned = caller.roles.includes('volunteer_reviewer') && (await this.analysis.isAssigned(recordingId, caller.personId));
    if (!mayReadSessionFeedback(caller, { tutorId: recording.tutor_id, assignedToCaller: assigned })) {
      throw new FeedbackNotAllowed(kind === 'transcript' ? 'this recording’s transcript' : 'this recording’s chat log');
    }
    const file = await this.analysis.storedText(recordingId, kind);
    if (!file) throw new SessionTextNotFound(kind);
    await this.audit.append({ actorId: caller.personId, action: `${kind}.read`, subjectType: 'recording', subjectId: recordingId, details: { artifactId: file.id } });
    return { body: await this.store.read(file.storage_key), contentType: CONTENT_TYPES[kind] };
  }
}
