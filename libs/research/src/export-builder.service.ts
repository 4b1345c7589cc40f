import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ConsentLedger } from '@lib/consent';
import { Transactions } from '@lib/database';
import { isPermanent, JobContext } from '@lib/jobs';
import { retentionTags } from '@lib/retention';
import { newExportKey, ObjectStore, putVerified, readWhole } from '@lib/storage';
import { DEID_VERSION, DeidRosterPerson, deidentifyChatLog, deidentifyTranscript } from '@lib/text';
import { ExportArchive } from './export-archive';
import { dataDictionary, exportManifest, ExportTally, talkTimeCsv, TalkTimeLine } from './export-contents';
import { pseudonym, studySecret } from './pseudonyms';
import { consentExclusion, consentSnapshotHash, ResearchDecision, sessionConsent } from './research-consent';
import { ExportRow, ResearchRepository, StudyRow } from './research.repository';
import { ResearchScopeRepository, ScopeFile, ScopeParticipant, ScopeSession } from './research-scope.repository';
import { chatOf, transcriptOf } from './session-files';
import { exportScope, ExportCriteria, StudyKind } from './study-rules';

/** Sessions read per page: memory stays flat in the number of sessions. */
const PAGE = 50;
export const EXPORT_RETENTION_CLASS = 'research_export';

/**
 * The `build-export` job (issue 14 items 3–5): the sessions in the export's scope, page by page;
 * per session the consent of every participant from the ledger; their de-identified transcript and
 * chat log without anyone who did not consent; the audio while its source still exists and only
 * when everyone on it consented; the talk-time table; `manifest.json` (every file's sha256, counts,
 * the consent snapshot's hash, the de-identification version) and a data dictionary — streamed as
 * one ZIP into the bucket, never buffered whole. Before it is marked ready, consent is read again:
 * a withdrawal during the build fails the attempt and the retry builds without them.
 */
@Injectable()
export class ExportBuilder {
  private readonly logger = new Logger(ExportBuilder.name);

  constructor(
    private readonly research: ResearchRepository,
    private readonly scope: ResearchScopeRepository,
    private readonly ledger: ConsentLedger,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(exportId: string, context: JobContext): Promise<void> {
    const started = await this.begin(exportId);
    if (!started) return;
    const { row, study } = started;
    const key = newExportKey();
    try {
      const built = await this.write(row, study, key);
      await this.finish(row, study, key, built);
    } catch (error) {
      await this.store.deleteMany([key]).catch(() => undefined);
      // A permanent error (a source gone from the bucket) is not retried: it is the last attempt.
      const finalAttempt = isPermanent(error) || context.attemptsMade + 1 >= context.attempts;
      this.logger.warn(`export ${exportId}: build failed (${(error as Error).name}: ${(error as Error).message})${finalAttempt ? '' : '; will retry'}`);
      if (finalAttempt) await this.fail(row, error as Error);
      throw error;
    }
  }

  /** Approved (or building after a crash) → building, under the export's lock. */
  private begin(exportId: string): Promise<{ row: ExportRow; study: StudyRow } | null> {
    return this.transactions.run(async () => {
      const row = await this.research.lockExport(exportId);
      if (!row || (row.status !== 'approved' && row.status !== 'building')) return null;
      const study = await this.research.study(row.study_id);
      if (!study) return null;
      const moved = row.status === 'building' ? row : await this.research.move(exportId, ['approved'], 'building', this.clock.now());
      return moved ? { row: moved, study } : null;
    });
  }

  private async write(row: ExportRow, study: StudyRow, key: string) {
    const criteria = parseCriteria(row.criteria);
    const scope = exportScope({ programs: study.programs, sessionsFrom: study.sessions_from, sessionsTo: study.sessions_to, kinds: study.kinds }, criteria);
    const secret = studySecret(study.pseudonym_secret_wrapped, this.config.mediaMasterKey);
    const archive = new ExportArchive();
    const stored = putVerified(this.store, key, archive.output, {
      contentType: 'application/zip',
      tags: retentionTags(EXPORT_RETENTION_CLASS, study.agreement_expires_at),
    });
    // A failure on the storage side surfaces at the next entry or at the end, never as an unhandled rejection.
    stored.catch(() => archive.abort());
    const tally: ExportTally = { sessions: 0, sessionsDropped: 0, sessionsWithoutConsentedText: 0, audioWithheld: 0, linesRemoved: 0, exclusions: {} };
    const talk: TalkTimeLine[] = [];
    const snapshot: Array<{ personId: string; decisionId: string | null }> = [];
    const included = new Set<string>();
    let after: { startsAt: Date; id: string } | null = null;
    for (;;) {
      const page: ScopeSession[] = scope.programs.length ? await this.scope.sessionsPage({ programs: scope.programs, from: scope.sessionsFrom, to: scope.sessionsTo }, after, PAGE) : [];
      if (page.length === 0) break;
      after = { startsAt: page[page.length - 1].starts_at, id: page[page.length - 1].id };
      await this.writePage(page, { study, scope: scope.kinds, secret, archive, tally, talk, snapshot, included });
    }
    if (scope.kinds.includes('talk_time')) await archive.add('talk_time.csv', Buffer.from(talkTimeCsv(talk)));
    await archive.add('DATA_DICTIONARY.md', Buffer.from(dataDictionary(scope.kinds)));
    const consentHash = consentSnapshotHash(snapshot);
    const manifest = exportManifest({ exportId: row.id, study, kinds: scope.kinds, files: archive.files, tally, consentHash, deidVersion: DEID_VERSION, createdAt: this.clock.now(), people: included.size });
    await archive.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    await archive.finish();
    const object = await stored;
    return { object, consentHash, tally, included: [...included], files: archive.files.length };
  }

  private async writePage(
    sessions: ScopeSession[],
    ctx: { study: StudyRow; scope: StudyKind[]; secret: Buffer; archive: ExportArchive; tally: ExportTally; talk: TalkTimeLine[]; snapshot: Array<{ personId: string; decisionId: string | null }>; included: Set<string> },
  ): Promise<void> {
    const ids = sessions.map((s) => s.id);
    const people = await this.scope.participants(ids);
    const files = await this.scope.files(ids);
    const talk = ctx.scope.includes('talk_time') ? await this.scope.talkTime(ids) : [];
    const consent = await this.ledger.researchConsent([...new Set(people.map((p) => p.person_id))], ctx.study.id);
    for (const session of sessions) {
      const roster = people.filter((p) => p.session_id === session.id);
      const decisions = new Map<string, ResearchDecision>(
        roster.map((p) => {
          const c = consent.get(p.person_id);
          // An erased person is never in an export, whatever the ledger says.
          return [p.person_id, p.erased ? { decision: 'withdraw', decisionId: 'erased' } : (c ?? null)];
        }),
      );
      for (const p of roster) ctx.snapshot.push({ personId: p.person_id, decisionId: decisions.get(p.person_id)?.decisionId ?? null });
      const verdict = sessionConsent(roster.map((p) => ({ personId: p.person_id, role: p.role })), decisions, ctx.study.consent_model, ctx.study.non_consenting);
      for (const e of verdict.excluded) ctx.tally.exclusions[e.reason] = (ctx.tally.exclusions[e.reason] ?? 0) + 1;
      if (verdict.dropped) {
        ctx.tally.sessionsDropped += 1;
        continue;
      }
      ctx.tally.sessions += 1;
      for (const id of verdict.included) ctx.included.add(id);
      await this.writeSession(session, roster, files.filter((f) => f.session_id === session.id), new Set(verdict.included), verdict.audio, ctx);
      for (const t of talk.filter((x) => x.session_id === session.id && x.person_id && verdict.included.includes(x.person_id))) {
        ctx.talk.push({ session: pseudonym(ctx.secret, 'session', session.id), recording: pseudonym(ctx.secret, 'recording', t.recording_id), source: t.source, speaker: pseudonym(ctx.secret, t.role as 'tutor', t.person_id!), role: t.role!, seconds: t.seconds!, turns: t.turns!, share: t.share });
      }
    }
  }

  private async writeSession(
    session: ScopeSession,
    roster: ScopeParticipant[],
    files: ScopeFile[],
    included: Set<string>,
    audio: boolean,
    ctx: { scope: StudyKind[]; secret: Buffer; archive: ExportArchive; tally: ExportTally },
  ): Promise<void> {
    const names = roster.map((p) => ({ personId: p.person_id, displayName: p.display_name }));
    const deidRoster: DeidRosterPerson[] = roster.map((p) => ({ personId: p.person_id, displayName: p.display_name, role: p.role }));
    const labelFor = (p: DeidRosterPerson) => pseudonym(ctx.secret, p.role, p.personId);
    const options = { labelFor, allowedDomains: this.config.analysis.platformDomains };
    const folder = `sessions/${pseudonym(ctx.secret, 'session', session.id)}`;
    const byRecording = new Map<string, ScopeFile[]>();
    for (const f of files) byRecording.set(f.recording_id, [...(byRecording.get(f.recording_id) ?? []), f]);
    let wroteText = false;
    for (const [recordingId, own] of byRecording) {
      const dir = byRecording.size > 1 ? `${folder}/${pseudonym(ctx.secret, 'recording', recordingId)}` : folder;
      const newest = (kind: ScopeFile['kind']) => own.find((f) => f.kind === kind);
      const transcript = ctx.scope.includes('transcript') ? newest('transcript') : undefined;
      if (transcript) {
        const kept = transcriptOf(await this.text(transcript), names, included);
        ctx.tally.linesRemoved += kept.removed;
        if (kept.kept > 0) {
          await ctx.archive.add(`${dir}/transcript.vtt`, Buffer.from(deidentifyTranscript(kept.text, deidRoster, options)));
          wroteText = true;
        }
      }
      const chat = ctx.scope.includes('chat') ? newest('chat') : undefined;
      if (chat) {
        const kept = chatOf(await this.text(chat), names, included);
        ctx.tally.linesRemoved += kept.removed;
        if (kept.kept > 0) {
          await ctx.archive.add(`${dir}/chat.txt`, Buffer.from(deidentifyChatLog(kept.text, deidRoster, options)));
          wroteText = true;
        }
      }
      const sound = ctx.scope.includes('audio') ? newest('audio') : undefined;
      if (sound && audio) await ctx.archive.add(`${dir}/audio.m4a`, await this.store.read(sound.storage_key));
      else if (sound) ctx.tally.audioWithheld += 1;
    }
    if (!wroteText) ctx.tally.sessionsWithoutConsentedText += 1;
  }

  private async text(file: ScopeFile): Promise<string> {
    return (await readWhole(this.store, file.storage_key)).toString('utf8');
  }

  /** Ready, unless consent moved while we built: then this attempt fails and the retry builds without them. */
  private async finish(row: ExportRow, study: StudyRow, key: string, built: Awaited<ReturnType<ExportBuilder['write']>>): Promise<void> {
    const now = await this.ledger.researchConsent(built.included, study.id);
    const changed = built.included.filter((id) => {
      const c = now.get(id) ?? null;
      return consentExclusion(study.consent_model, c) !== null;
    });
    if (changed.length > 0) throw new ConsentChangedDuringBuild(changed.length);
    const ready = await this.transactions.run(async () => {
      const moved = await this.research.markReady(row.id, {
        storageKey: key,
        sizeBytes: built.object.size,
        sha256: built.object.sha256,
        consentSnapshotHash: built.consentHash,
        deidVersion: DEID_VERSION,
        summary: { ...built.tally, files: built.files, people: built.included.length },
        at: this.clock.now(),
        expiresAt: study.agreement_expires_at,
      });
      if (!moved) return null;
      await this.research.setPeople(row.id, built.included);
      await this.audit.append({ actorId: 'recording-service', action: 'export.built', subjectType: 'export', subjectId: row.id, details: { studyId: study.id, sessions: built.tally.sessions, files: built.files, sha256: built.object.sha256 } });
      return moved;
    });
    // Revoked while building: the archive must not outlive that decision.
    if (!ready) await this.store.deleteMany([key]);
  }

  private async fail(row: ExportRow, error: Error): Promise<void> {
    await this.transactions.run(async () => {
      const moved = await this.research.move(row.id, ['building'], 'failed', this.clock.now(), { failureReason: `${error.name}: ${error.message}`.slice(0, 500) });
      if (moved) await this.audit.append({ actorId: 'recording-service', action: 'export.failed', subjectType: 'export', subjectId: row.id, details: { studyId: row.study_id, reason: error.name } });
    });
  }
}

export class ConsentChangedDuringBuild extends Error {
  override readonly name = 'ConsentChangedDuringBuild';
  constructor(people: number) {
    super(`${people} participant(s) withdrew while the export was built`);
  }
}

function parseCriteria(raw: Record<string, unknown>): ExportCriteria {
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
  return {
    sessionsFrom: date(raw.sessionsFrom),
    sessionsTo: date(raw.sessionsTo),
    programs: Array.isArray(raw.programs) ? (raw.programs as string[]) : undefined,
    kinds: Array.isArray(raw.kinds) ? (raw.kinds as StudyKind[]) : undefined,
  };
}
