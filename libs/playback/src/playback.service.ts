import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ConsentLedger } from '@lib/consent';
import { ObjectMissing, ObjectStore } from '@lib/storage';
import { PlaybackForbidden, PlaybackNotFound, PlaybackTokenRefused } from './playback-errors';
import { mayWatch, Viewer } from './playback-access';
import { PlaybackClaims, playbackTokenSecret, signPlaybackToken, verifyPlaybackToken } from './playback-token';
import { PlaybackRecords, StoredStream, WatchedRecording } from './playback.repository';
import { rewritePlaylist, SEGMENT_NAME } from './playlist';
import { RecentStreams } from './recent-streams';
import { ReviewAssignments } from './review-assignment.repository';
import { unwrapStreamKey } from './stream-key';

export const PLAYBACK_PURPOSES = ['quality_review', 'safety_review', 'coaching', 'family_viewing'] as const;
export type PlaybackPurpose = (typeof PLAYBACK_PURPOSES)[number];

export interface PlaybackGrant {
  url: string;
  expiresAt: string;
  audioOnly: boolean;
  poster: string | null;
}

/** A file of a stream, ready to be piped to the client. */
export interface StreamedFile {
  body: Readable;
  contentType: string;
}

/**
 * Streaming for reviewers (POLICIES §3): a grant is a short-lived token bound to the viewer and the
 * recording; the playlist, segments, poster and key are served through us from the private bucket,
 * never as a URL of the bucket. Access is decided again (mayWatch) on the playlist and the key, so a
 * viewer who lost access loses it within a playlist reload; segments are useless without the key.
 */
@Injectable()
export class PlaybackService {
  private readonly secret: Buffer;
  private readonly recent = new RecentStreams();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly records: PlaybackRecords,
    private readonly assignments: ReviewAssignments,
    private readonly consent: ConsentLedger,
    private readonly store: ObjectStore,
    private readonly audit: AuditTrail,
  ) {
    this.secret = playbackTokenSecret(config.mediaMasterKey);
  }

  async grant(recordingId: string, viewer: Viewer, purpose?: PlaybackPurpose): Promise<PlaybackGrant> {
    const recording = await this.records.recording(recordingId);
    if (!recording) throw new PlaybackNotFound('recording not found');
    const decision = await this.decide(recording, viewer);
    if (!decision.allowed) throw new PlaybackForbidden(decision.reason);
    const stream = await this.records.storedStream(recording.id);
    if (!stream) {
      const withheld = await this.records.videoWithheld(recording.id);
      throw new PlaybackNotFound(withheld ? 'no stream yet (video withheld: audio only)' : 'no stream yet');
    }
    const exp = Math.floor(this.clock.now().getTime() / 1000) + this.config.playback.tokenTtlSeconds;
    const token = signPlaybackToken({ recordingId: recording.id, personId: viewer.personId, roles: [...viewer.roles], exp }, this.secret);
    const why: PlaybackPurpose = decision.as === 'family' ? 'family_viewing' : (purpose ?? (viewer.roles.includes('safety') ? 'safety_review' : 'quality_review'));
    await this.audit.append({
      actorId: viewer.personId,
      action: 'playback.granted',
      subjectType: 'recording',
      subjectId: recording.id,
      details: { purpose: why, audioOnly: stream.audioOnly, streamArtifactId: stream.artifactId, expiresAt: new Date(exp * 1000).toISOString() },
    });
    const base = `/v1/playback/${token}`;
    return { url: `${base}/index.m3u8`, expiresAt: new Date(exp * 1000).toISOString(), audioOnly: stream.audioOnly, poster: stream.audioOnly ? null : `${base}/poster.jpg` };
  }

  async playlist(token: string): Promise<string> {
    const { stream } = await this.open(token, true);
    const body = await this.read(`${stream.storageKey}/index.m3u8`);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return rewritePlaylist(Buffer.concat(chunks).toString('utf8'));
  }

  async segment(token: string, name: string): Promise<StreamedFile> {
    const { stream } = await this.open(token, false);
    // Checked before any storage call: the name becomes part of an object key.
    if (!SEGMENT_NAME.test(name)) throw new PlaybackNotFound('no such segment');
    return { body: await this.read(`${stream.storageKey}/${name}`), contentType: 'video/mp2t' };
  }

  async poster(token: string): Promise<StreamedFile> {
    const { stream } = await this.open(token, false);
    if (stream.audioOnly) throw new PlaybackNotFound('an audio-only stream has no poster');
    return { body: await this.read(`${stream.storageKey}/poster.jpg`), contentType: 'image/jpeg' };
  }

  /** The AES-128 key: only to a valid token of someone who may still watch, and audited each time. */
  async key(token: string): Promise<Buffer> {
    const { claims, stream } = await this.open(token, true);
    if (!stream.keyWrapped) throw new PlaybackNotFound('the stream has no key');
    const key = unwrapStreamKey(stream.keyWrapped, this.config.mediaMasterKey);
    await this.audit.append({
      actorId: claims.personId,
      action: 'playback.key_fetched',
      subjectType: 'recording',
      subjectId: claims.recordingId,
      details: { streamArtifactId: stream.artifactId },
    });
    return key;
  }

  /** Verifies the token, optionally decides access again, and finds the stream it plays. */
  private async open(token: string, recheck: boolean): Promise<{ claims: PlaybackClaims; stream: StoredStream }> {
    const verified = verifyPlaybackToken(token, this.secret, this.clock.now());
    if (!verified.ok) throw new PlaybackTokenRefused(verified.refusal);
    const { claims } = verified;
    if (recheck) {
      const recording = await this.records.recording(claims.recordingId);
      if (!recording) throw new PlaybackNotFound('recording not found');
      const decision = await this.decide(recording, { personId: claims.personId, roles: claims.roles });
      if (!decision.allowed) throw new PlaybackForbidden(decision.reason);
    }
    const now = this.clock.now().getTime();
    const remembered = recheck ? null : this.recent.get(claims.recordingId, now);
    if (remembered) return { claims, stream: remembered };
    const stream = await this.records.storedStream(claims.recordingId);
    if (!stream) {
      this.recent.forget(claims.recordingId);
      throw new PlaybackNotFound('no stream');
    }
    this.recent.remember(claims.recordingId, stream, now);
    return { claims, stream };
  }

  private async decide(recording: WatchedRecording, viewer: Viewer) {
    const roster = recording.sessionId ? await this.records.rosterRoles(recording.sessionId, viewer.personId) : [];
    const isFamily = roster.includes('parent') || roster.includes('learner');
    return mayWatch(viewer, {
      profile: recording.profile,
      assignedToViewer: viewer.roles.includes('volunteer_reviewer') && (await this.assignments.isAssigned(recording.id, viewer.personId)),
      viewerIsFamilyOfSession: isFamily,
      viewerAcceptedViewingTerms: isFamily && (await this.consent.current(viewer.personId, 'viewing_terms'))?.decision === 'grant',
    });
  }

  private async read(key: string): Promise<Readable> {
    try {
      return await this.store.read(key);
    } catch (error) {
      if (error instanceof ObjectMissing) throw new PlaybackNotFound('no such file in the stream');
      throw error;
    }
  }
}
