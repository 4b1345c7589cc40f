import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Transactions } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { MediaToolkit } from '@lib/media';
import { Metrics } from '@lib/observability';
import { HoldRegistry } from '@lib/retention';
import { ObjectStore } from '@lib/storage';
import {
  chatSafetySignals,
  computeTalkTime,
  matchRosterName,
  parseChatLog,
  parseTimeline,
  parseWebVtt,
  SafetyOptions,
  TalkTimeReport,
  talkTimeFromTimeline,
  talkTimeFromTranscript,
  transcriptSafetySignals,
  Utterance,
} from '@lib/text';
import { AnalysisRepository, RecordingFacts, RosterPersonRow, SourceOutcome, SourceRow } from './analysis.repository';
import { isUnreadableSource } from './analysis-errors';
import { FoundSignal, SafetyRepository } from './safety.repository';
import { copyStoredFile, readStoredText } from './source-files';
import { TalkTimeAttempt, talkTimeAttempts } from './talk-time-source';
import { TalkTimeRepository } from './talk-time.repository';
import { storedMetrics, storedSpeakers } from './report-shape';

/** The hold analysis places when a tutor's breach is of a kind in SAFETY_AUTO_HOLD_KINDS. */
export const SAFETY_SIGNAL_HOLD_REASON = 'safety signal';
/** Recordings queued per reconciling pass. */
const BACKLOG_PAGE = 100;
export const ANALYSIS_TEMP_PREFIX = 'rec-analysis-';

interface Outcome {
  outcome: SourceOutcome;
  reason: string | null;
}

export interface AnalysisResult {
  talkTimeSource: TalkTimeReport['source'] | null;
  flags: number;
  breaches: number;
  holdId: string | null;
  /** A file was stored or deleted while we read: nothing written; the next run (queued or reconciled) redoes it. */
  superseded: boolean;
}

/**
 * The `analyse-recording` job (issue 13 item 7): talk time from the best source the recording has
 * stored and safety signals from its chat logs and transcripts, written together under the
 * recording's lock, replacing whatever an earlier run found. It runs after archive, again when a
 * transcript arrives later or the session's roster changes, and whenever a source is deleted (the
 * trigger in migration 1764700000000 forgets the results and the reconciling pass queues the
 * recording). A file it cannot read is recorded on `analysed_sources` with the line, never a crash
 * or a silent zero; the next source is tried instead.
 */
@Injectable()
export class RecordingAnalysis {
  private readonly logger = new Logger(RecordingAnalysis.name);

  constructor(
    private readonly sources: AnalysisRepository,
    private readonly reports: TalkTimeRepository,
    private readonly safety: SafetyRepository,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly holds: HoldRegistry,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** After a change committed: queue the recording (deterministic job id: one waiting job each). */
  async queue(recordingIds: readonly string[]): Promise<void> {
    if (!this.config.analysis.enabled) return;
    for (const recordingId of recordingIds) await this.jobs.enqueue('analyse-recording', { recordingId });
  }

  /** The reconciling pass: recordings owing analysis (a file stored or gone since they were last analysed). */
  async queueOwed(limit = BACKLOG_PAGE): Promise<number> {
    if (!this.config.analysis.enabled) return 0;
    const ids = await this.sources.recordingsOwingAnalysis(limit);
    await this.queue(ids);
    return ids.length;
  }

  async analyse(recordingId: string): Promise<AnalysisResult | null> {
    if (!this.config.analysis.enabled) return null;
    const recording = await this.sources.recording(recordingId);
    if (!recording) return null;
    const generation = await this.sources.owedGeneration(recordingId);
    const stored = await this.sources.storedSources(recordingId);
    const pendingTracks = await this.sources.pendingTracks(recordingId);
    const roster = recording.session_id ? await this.sources.roster(recording.session_id) : [];
    const outcomes = new Map<string, Outcome>(stored.map((s) => [s.id, { outcome: 'not_used', reason: s.delete_requested ? 'being deleted' : null }]));
    const texts = new Map<string, Promise<string>>();
    const text = (s: SourceRow) => {
      if (!texts.has(s.id)) texts.set(s.id, readStoredText(this.store, s.storage_key, this.config.analysis.maxTextBytes));
      return texts.get(s.id)!;
    };

    const report = await this.talkTime(recording, stored, pendingTracks, roster, text, outcomes);
    const signals = await this.signals(recording, stored, roster, text, outcomes);
    return this.persist(recording, generation, stored, report, signals, outcomes);
  }

  private async talkTime(
    recording: RecordingFacts,
    stored: SourceRow[],
    pendingTracks: number,
    roster: RosterPersonRow[],
    text: (s: SourceRow) => Promise<string>,
    outcomes: Map<string, Outcome>,
  ): Promise<{ report: TalkTimeReport; artifacts: string[] } | null> {
    const people = roster.map((p) => ({ personId: p.person_id, displayName: p.display_name, role: p.role }));
    for (const attempt of talkTimeAttempts(stored, pendingTracks)) {
      try {
        const report = await this.fromSource(attempt, recording, people, text);
        for (const a of attempt.artifacts) outcomes.set(a.id, { outcome: 'used', reason: null });
        return { report, artifacts: attempt.artifacts.map((a) => a.id) };
      } catch (error) {
        if (!isUnreadableSource(error)) throw error;
        this.unreadable(attempt.artifacts, error as Error, outcomes);
      }
    }
    return null;
  }

  private async fromSource(
    attempt: TalkTimeAttempt<SourceRow>,
    recording: RecordingFacts,
    people: Array<{ personId: string; displayName: string; role: 'tutor' | 'learner' | 'parent' }>,
    text: (s: SourceRow) => Promise<string>,
  ): Promise<TalkTimeReport> {
    const [first] = attempt.artifacts;
    if (attempt.source === 'transcript') return talkTimeFromTranscript(parseWebVtt(await text(first)), people);
    if (attempt.source === 'timeline') {
      const end = recording.duration_seconds ?? undefined;
      return talkTimeFromTimeline(parseTimeline(await text(first), { endSeconds: end }), people, end);
    }
    // Per-participant audio: each track is one person's voice (or nobody's we can name).
    const dir = await mkdtemp(join(tmpdir(), ANALYSIS_TEMP_PREFIX));
    try {
      const utterances: Utterance[] = [];
      let duration = 0;
      for (const track of attempt.artifacts) {
        const file = join(dir, `${track.id}.m4a`);
        await copyStoredFile(this.store, track.storage_key, file);
        const speech = await this.media.detectSpeech(file);
        await rm(file, { force: true });
        duration = Math.max(duration, speech.durationSeconds);
        const personId = this.trackOwner(track, people);
        // An unnamed track is one unattributed voice (counted, never named).
        for (const i of speech.intervals) utterances.push({ startSeconds: i.startSeconds, endSeconds: i.endSeconds, personId, unattributedKey: personId ? undefined : track.id });
      }
      return computeTalkTime({ source: 'participant_audio', roster: people, utterances, sessionStartSeconds: 0, sessionEndSeconds: duration });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The person whose track it is: set at ingest or by the roster, else matched by its label now. */
  private trackOwner(track: SourceRow, people: Array<{ personId: string; displayName: string }>): string | null {
    if (track.person_id && people.some((p) => p.personId === track.person_id)) return track.person_id;
    if (!track.participant_label) return null;
    return matchRosterName(track.participant_label, people)?.personId ?? null;
  }

  private async signals(
    recording: RecordingFacts,
    stored: SourceRow[],
    roster: RosterPersonRow[],
    text: (s: SourceRow) => Promise<string>,
    outcomes: Map<string, Outcome>,
  ): Promise<FoundSignal[]> {
    const options: SafetyOptions = {
      allowedDomains: this.config.analysis.platformDomains,
      exceptions: recording.tutor_id ? await this.safety.activeExceptionsFor(recording.tutor_id) : [],
    };
    const people = roster.map((p) => ({ personId: p.person_id, displayName: p.display_name, role: p.role, children: p.children }));
    const found: FoundSignal[] = [];
    // A transcript talk time could not read is already recorded as malformed: not read twice.
    const readable = (s: SourceRow) => !s.delete_requested && outcomes.get(s.id)?.outcome !== 'malformed';
    for (const source of stored.filter((s) => (s.kind === 'chat' || s.kind === 'transcript') && readable(s))) {
      try {
        const body = await text(source);
        const signals =
          source.kind === 'chat' ? chatSafetySignals(parseChatLog(body), people, options) : transcriptSafetySignals(parseWebVtt(body), people, options);
        found.push(...signals.map((s) => ({ ...s, artifactId: source.id })));
        outcomes.set(source.id, { outcome: 'used', reason: null });
      } catch (error) {
        if (!isUnreadableSource(error)) throw error;
        this.unreadable([source], error as Error, outcomes);
      }
    }
    return found;
  }

  private unreadable(artifacts: SourceRow[], error: Error, outcomes: Map<string, Outcome>): void {
    for (const a of artifacts) {
      // The message names the line and what is wrong, never the text (libs/text/src/text-errors.ts).
      outcomes.set(a.id, { outcome: 'malformed', reason: `${error.name}: ${error.message}` });
      this.metrics.analysisSourcesMalformed.inc({ kind: a.kind });
      this.logger.warn(`artifact ${a.id}: not analysable (${error.name}: ${error.message})`);
    }
  }

  private persist(
    recording: RecordingFacts,
    generation: string | null,
    stored: SourceRow[],
    talk: { report: TalkTimeReport; artifacts: string[] } | null,
    signals: FoundSignal[],
    outcomes: Map<string, Outcome>,
  ): Promise<AnalysisResult | null> {
    return this.transactions.run(async () => {
      // Rows first: the recording's lock serialises analyses of it; the hold lock and the audit trail come after.
      if (!(await this.sources.lockRecording(recording.id))) return null;
      const now = this.clock.now();
      const breaches = signals.filter((s) => s.breach);
      if (fingerprint(await this.sources.storedSources(recording.id)) !== fingerprint(stored)) {
        return { talkTimeSource: null, flags: 0, breaches: 0, holdId: null, superseded: true };
      }
      await this.reports.replace(
        talk && {
          recordingId: recording.id,
          sessionId: recording.session_id,
          tutorId: recording.tutor_id,
          program: recording.program,
          sessionStartedAt: recording.started_at,
          source: talk.report.source,
          sourceArtifactIds: talk.artifacts,
          metrics: storedMetrics(talk.report),
          speakers: storedSpeakers(talk.report),
          analysedAt: now,
        },
        recording.id,
      );
      await this.safety.replaceFlags(recording.id, signals, now);
      await this.sources.markAnalysed(recording.id, [...outcomes].map(([artifactId, o]) => ({ artifactId, ...o })), now);
      await this.sources.settle(recording.id, generation);
      // The hold lock only after every row this transaction writes is locked (reports, flags, owed):
      // a deletion locks the same rows (its trigger) before it takes the hold lock, so neither can
      // hold the lock the other waits for (docs/transactions.md).
      const holdId = await this.autoHold(recording.id, breaches);
      if (holdId) await this.safety.attachHold(recording.id, holdId, this.config.analysis.autoHoldKinds);
      this.metrics.recordingsAnalysed.inc({ source: talk?.report.source ?? 'none' });
      for (const s of signals) this.metrics.safetySignals.inc({ kind: s.kind, breach: String(s.breach) });
      await this.audit.append({
        actorId: 'recording-service',
        action: 'recording.analysed',
        subjectType: 'recording',
        subjectId: recording.id,
        details: { talkTimeSource: talk?.report.source ?? null, flags: signals.length, breaches: breaches.length, holdId },
      });
      return { talkTimeSource: talk?.report.source ?? null, flags: signals.length, breaches: breaches.length, holdId, superseded: false };
    });
  }

  /**
   * A tutor's breach of a kind in SAFETY_AUTO_HOLD_KINDS keeps the recording (POLICIES §5, issue 13
   * item 6). Placed once per recording: a hold the safety team released is their decision, and a
   * re-analysis does not overturn it.
   */
  private async autoHold(recordingId: string, breaches: FoundSignal[]): Promise<string | null> {
    if (!breaches.some((s) => this.config.analysis.autoHoldKinds.includes(s.kind))) return null;
    const earlier = await this.safety.autoHoldPlaced(recordingId, SAFETY_SIGNAL_HOLD_REASON);
    if (earlier !== null) return earlier || null;
    const hold = await this.holds.place({ scope: 'recording', targetId: recordingId, reason: SAFETY_SIGNAL_HOLD_REASON }, 'recording-service');
    return hold.id;
  }
}

function fingerprint(sources: SourceRow[]): string {
  return sources
    .map((s) => `${s.id}:${s.delete_requested}`)
    .sort()
    .join(',');
}
