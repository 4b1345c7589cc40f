import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call, PLATFORM } from './support/api-client';
import { objectExists, s3Of } from './support/bucket';
import { deliverRecording, recordConsent, registerSession } from './support/builders';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';
import { readZip } from './support/zip';

const FIXTURES = join(__dirname, 'fixtures', 'analysis');
const ADMIN = { sub: 'admin-1', roles: ['admin'] };
const ADMIN_2 = { sub: 'admin-2', roles: ['admin'] };
const RESEARCHER = { sub: 'res-1', roles: ['researcher'] };
const OTHER_RESEARCHER = { sub: 'res-9', roles: ['researcher'] };

/**
 * Research studies and exports end to end (issue 14): sessions registered and recorded through the
 * fake Zoom host, consent in the ledger, studies and exports through the API with each role's token,
 * the archive built by the worker and read back with Python's zipfile.
 */
describe('research studies and de-identified exports', () => {
  const host = new FakeZoomHost();
  let harness: ServiceHarness;
  let dir: string;
  let media: SampleMedia;

  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const agreement = new Date(Date.now() + 365 * 86_400_000).toISOString();

  const file = async (name: string) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
    await copyFile(join(FIXTURES, name), path);
    return { path, size: (await stat(path)).size };
  };

  async function session(s: string, program: string): Promise<string> {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, s, { zoomMeetingId: String(meetingId), startsAt: startTime, program });
    const recording = await deliverRecording(harness, host, { seconds: 60, transcript: await file('session.vtt'), chat: await file('chat.txt'), audio: media.audio }, { meetingId, startTime });
    return recording.id;
  }

  async function study(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await call(harness, 'POST', '/v1/studies', {
      ...ADMIN,
      json: { name: 'How tutors ask', programs: ['sat-bootcamp'], sessionsFrom: from, sessionsTo: to, consentModel: 'opt_out', kinds: ['transcript', 'chat', 'audio', 'talk_time'], agreementExpiresAt: agreement, researchers: ['res-1'], ...overrides },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function built(studyId: string, criteria: Record<string, unknown> = {}): Promise<string> {
    const requested = await call(harness, 'POST', `/v1/studies/${studyId}/exports`, { ...RESEARCHER, json: { criteria } });
    expect(requested.status).toBe(201);
    expect(requested.body.status).toBe('requested');
    const approved = await call(harness, 'POST', `/v1/exports/${requested.body.id}/approve`, ADMIN);
    expect(approved.status).toBe(200);
    await waitFor(async () => {
      const res = await call(harness, 'GET', `/v1/exports/${requested.body.id}`, RESEARCHER);
      if (res.body.status === 'failed') throw new Error(`build failed: ${res.body.failureReason}`);
      return res.body.status === 'ready' ? res.body : null;
    }, 'export ready', 60_000);
    return requested.body.id;
  }

  async function download(exportId: string, who = RESEARCHER): Promise<{ status: number; zip: Buffer }> {
    const token = await harness.token(who.roles, who.sub);
    const res = await fetch(`${harness.baseUrl}/v1/exports/${exportId}/download`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, zip: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-research-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 20 }), host.start()]);
    harness = await ServiceHarness.start({
      env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), TALK_TIME_ANALYSIS: 'true', PLATFORM_DOMAINS: 'localhost', OPT_OUT_RECONCILE_INTERVAL_MS: '500' },
    });
    await session('rx1', 'sat-bootcamp');
    await session('rx2', 'sat-bootcamp');
    await session('rx3', 'gcse-maths');
    // Tom (a minor) opted out of research; Elisa's parent granted it for her.
    expect((await recordConsent(harness, 'tom-rx2', { purpose: 'research', decision: 'withdraw', decidedBy: 'tom-rx2' })).status).toBe(201);
    await waitFor(async () => ((await harness.query('SELECT 1 FROM talk_time_reports')).length >= 3 ? true : null), 'talk time of the sessions');
  });
  afterAll(async () => {
    await harness?.stop();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets only admins create studies, and refuses a window that ends before it starts (400)', async () => {
    expect((await call(harness, 'POST', '/v1/studies', { ...RESEARCHER, json: {} })).status).toBe(403);
    const bad = await call(harness, 'POST', '/v1/studies', {
      ...ADMIN,
      json: { name: 'x', programs: ['sat-bootcamp'], sessionsFrom: to, sessionsTo: from, consentModel: 'opt_out', kinds: ['chat'], agreementExpiresAt: agreement, researchers: ['res-1'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('sessionsFrom must be before sessionsTo');
  });

  it('builds an export whose archive lists every file with its sha256, and no name, email or phone number anywhere', async () => {
    const studyId = await study();
    const exportId = await built(studyId);
    const { status, zip } = await download(exportId);
    expect(status).toBe(200);
    const entries = readZip(zip);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    const listed = manifest.files.map((f: { path: string }) => f.path).sort();
    expect(listed).toEqual([...entries.keys()].filter((n) => n !== 'manifest.json').sort());
    for (const f of manifest.files) expect(createHash('sha256').update(entries.get(f.path)!).digest('hex')).toBe(f.sha256);
    expect(manifest).toMatchObject({ study: { id: studyId, consentModel: 'opt_out' }, counts: { sessions: 2, exclusions: { withdrawn: 1 }, audioWithheld: 1 } });
    expect(manifest.consentSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof manifest.deidentificationVersion).toBe('string');
    // The gcse-maths session is outside the study's programmes.
    expect([...entries.keys()].filter((n) => n.endsWith('transcript.vtt'))).toHaveLength(2);
    expect([...entries.keys()].filter((n) => n.endsWith('audio.m4a'))).toHaveLength(1);

    const text = [...entries.entries()].filter(([n]) => !n.endsWith('.m4a')).map(([, b]) => b.toString('utf8')).join('\n');
    for (const leak of ['Rivera', 'Elisa', 'Tom K', 'Ana Lopez', 'Lopez', '07700', '900123', 'Baker Street', 'NW1 6XE', '@', 'rx1', 'rx2']) {
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
    }
    expect(text).toMatch(/\[TUTOR [0-9a-f]{10}\]/);
    expect(entries.has('DATA_DICTIONARY.md')).toBe(true);
    expect(entries.get('talk_time.csv')!.toString()).toMatch(/^session,recording,source,speaker,role,seconds,turns,share\n/);
  });

  it('leaves out a learner who withdrew: their lines, their talk time, and the audio they are on', async () => {
    const studyId = await study();
    const exportId = await built(studyId);
    const entries = readZip((await download(exportId)).zip);
    const transcripts = [...entries.entries()].filter(([n]) => n.endsWith('transcript.vtt')).map(([, b]) => b.toString());
    // session.vtt has two learner cues (Elisa, Tom): in rx2 Tom's is gone, in rx1 both stay.
    const learnerCues = transcripts.map((t) => (t.match(/\[LEARNER [0-9a-f]{10}\]:/g) ?? []).length).sort();
    expect(learnerCues).toEqual([1, 2]);
    const csv = entries.get('talk_time.csv')!.toString().trim().split('\n').slice(1);
    expect(csv.filter((l) => l.includes(',learner,'))).toHaveLength(3);
  });

  it('under opt-in keeps only those with a grant (a minor’s given by their guardian)', async () => {
    expect((await recordConsent(harness, 'elisa-rx1', { purpose: 'research', decision: 'grant' })).status).toBe(422);
    const studyId = await study({ consentModel: 'opt_in', kinds: ['transcript'] });
    for (const [person, by] of [['elisa-rx1', 'parent-rx1'], ['tutor-rx1', 'tutor-rx1']]) {
      expect((await recordConsent(harness, person, { purpose: 'research', decision: 'grant', studyId, decidedBy: by })).status).toBe(201);
    }
    const exportId = await built(studyId);
    const manifest = JSON.parse(readZip((await download(exportId)).zip).get('manifest.json')!.toString());
    expect(manifest.counts).toMatchObject({ sessions: 2, people: 2, exclusions: { not_granted: 5, withdrawn: 1 } });
  });

  it('decides per participant: opt-in and opt-out × grant, withdrawal, no decision × minor (their guardian decides) and adult', async () => {
    const learner = (id: string, minor: boolean) => ({ personId: id, displayName: `Learner ${id}`, minor });
    await registerSession(harness, 'matrix', {
      zoomMeetingId: String(randomMeetingId()),
      program: 'matrix-study',
      learners: [learner('m-grant', true), learner('m-withdraw', true), learner('m-none', true), learner('a-grant', false), learner('a-withdraw', false), learner('a-none', false)],
      parents: [{ personId: 'guardian', displayName: 'Guardian G', children: ['m-grant', 'm-withdraw', 'm-none'] }],
    });
    expect((await recordConsent(harness, 'm-grant', { purpose: 'research', decision: 'grant' })).status).toBe(422);
    for (const [person, decision, by] of [
      ['m-grant', 'grant', 'guardian'],
      ['m-withdraw', 'withdraw', 'guardian'],
      ['a-grant', 'grant', 'a-grant'],
      ['a-withdraw', 'withdraw', 'a-withdraw'],
    ]) {
      expect((await recordConsent(harness, person, { purpose: 'research', decision, decidedBy: by })).status).toBe(201);
    }
    const counts = async (consentModel: string) => {
      const exportId = await built(await study({ programs: ['matrix-study'], consentModel, kinds: ['transcript'] }));
      return JSON.parse(readZip((await download(exportId)).zip).get('manifest.json')!.toString()).counts;
    };
    // opt-in: only the two grants (the minor's from their guardian); tutor, guardian and both "none" not granted.
    expect(await counts('opt_in')).toMatchObject({ sessions: 1, people: 2, exclusions: { withdrawn: 2, not_granted: 4 } });
    // opt-out: everyone but the two withdrawals.
    expect(await counts('opt_out')).toMatchObject({ sessions: 1, people: 6, exclusions: { withdrawn: 2 } });
  });

  it('fails a build whose source vanished from the bucket, keeps no partial archive, and can be approved again', async () => {
    const recordingId = await session('rx-broken', 'broken-program');
    const [transcript] = await harness.query<{ storage_key: string }>(`SELECT storage_key FROM artifacts WHERE recording_id = $1 AND kind = 'transcript'`, [recordingId]);
    await s3Of(harness).send(new DeleteObjectCommand({ Bucket: 'recordings', Key: transcript.storage_key }));
    const studyId = await study({ programs: ['broken-program'], kinds: ['transcript'] });
    const requested = await call(harness, 'POST', `/v1/studies/${studyId}/exports`, { ...RESEARCHER, json: {} });
    expect((await call(harness, 'POST', `/v1/exports/${requested.body.id}/approve`, ADMIN)).status).toBe(200);
    const failed = await waitFor(async () => {
      const res = await call(harness, 'GET', `/v1/exports/${requested.body.id}`, RESEARCHER);
      return res.body.status === 'failed' ? res.body : null;
    }, 'the build failed', 60_000);
    expect(failed.failureReason).toMatch(/^ObjectMissing/);
    expect(failed.failureReason).not.toContain(transcript.storage_key);
    const [row] = await harness.query<{ storage_key: string | null }>('SELECT storage_key FROM research_exports WHERE id = $1', [requested.body.id]);
    expect(row.storage_key).toBeNull();
    expect((await download(requested.body.id)).status).toBe(409);
    expect((await call(harness, 'POST', `/v1/exports/${requested.body.id}/approve`, ADMIN_2)).body.status).toBe('approved');
  });

  it('gives a person the same pseudonym in every export of a study and another one in another study', async () => {
    const one = await study({ kinds: ['transcript'] });
    const other = await study({ kinds: ['transcript'] });
    const tutorLabels = async (exportId: string) =>
      new Set([...readZip((await download(exportId)).zip).values()].flatMap((b) => b.toString().match(/\[TUTOR [0-9a-f]{10}\]/g) ?? []));
    const [a, b, c] = [await tutorLabels(await built(one)), await tutorLabels(await built(one)), await tutorLabels(await built(other))];
    expect([...a].sort()).toEqual([...b].sort());
    expect([...a].some((label) => c.has(label))).toBe(false);
  });

  it('refuses the requester approving their own export, and shows another study’s researcher nothing (404)', async () => {
    const studyId = await study({ researchers: ['res-1', 'admin-2'] });
    const own = await call(harness, 'POST', `/v1/studies/${studyId}/exports`, { sub: 'admin-2', roles: ['admin', 'researcher'], json: {} });
    expect(own.status).toBe(201);
    const selfApproval = await call(harness, 'POST', `/v1/exports/${own.body.id}/approve`, { sub: 'admin-2', roles: ['admin', 'researcher'] });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.message).toMatch(/own export/);
    expect((await call(harness, 'POST', `/v1/exports/${own.body.id}/reject`, ADMIN)).body.status).toBe('rejected');
    expect((await call(harness, 'POST', `/v1/exports/${own.body.id}/approve`, ADMIN_2)).status).toBe(403);

    const exportId = await built(studyId);
    for (const [method, path] of [
      ['GET', `/v1/studies/${studyId}`],
      ['GET', `/v1/studies/${studyId}/exports`],
      ['POST', `/v1/studies/${studyId}/exports`],
      ['GET', `/v1/exports/${exportId}`],
    ] as const) {
      expect([path, (await call(harness, method, path, { ...OTHER_RESEARCHER, json: method === 'POST' ? {} : undefined })).status]).toEqual([path, 404]);
    }
    expect((await download(exportId, OTHER_RESEARCHER)).status).toBe(404);
    expect((await call(harness, 'GET', '/v1/studies', OTHER_RESEARCHER)).body.items).toEqual([]);
    // Admins see it but download nothing: downloads are for the study's researchers.
    expect((await download(exportId, ADMIN)).status).toBe(403);
  });

  it('answers 409 before the export is ready and once the download limit is reached, counting every download in the audit trail', async () => {
    const studyId = await study({ kinds: ['chat'], downloadLimit: 2 });
    const requested = await call(harness, 'POST', `/v1/studies/${studyId}/exports`, { ...RESEARCHER, json: {} });
    expect((await download(requested.body.id)).status).toBe(409);
    expect((await call(harness, 'POST', `/v1/exports/${requested.body.id}/approve`, ADMIN)).status).toBe(200);
    await waitFor(async () => ((await call(harness, 'GET', `/v1/exports/${requested.body.id}`, RESEARCHER)).body.status === 'ready' ? true : null), 'ready');
    expect((await download(requested.body.id)).status).toBe(200);
    expect((await download(requested.body.id)).status).toBe(200);
    expect((await download(requested.body.id)).status).toBe(409);
    const audit = await call(harness, 'GET', `/v1/audit?subjectId=${requested.body.id}`, ADMIN);
    expect(audit.body.items.map((i: { action: string }) => i.action).filter((a: string) => a === 'export.downloaded')).toHaveLength(2);
  });

  it('revokes a built export when a person in it withdraws, deletes its archive, and rebuilds it without them where the study asks', async () => {
    const studyId = await study({ kinds: ['transcript'], rebuildOnRevocation: true });
    const exportId = await built(studyId);
    const [row] = await harness.query<{ storage_key: string }>('SELECT storage_key FROM research_exports WHERE id = $1', [exportId]);
    expect((await recordConsent(harness, 'elisa-rx1', { purpose: 'research', decision: 'withdraw' })).status).toBe(201);
    const revoked = await call(harness, 'GET', `/v1/exports/${exportId}`, RESEARCHER);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedReason: 'consent_withdrawn' });
    expect((await download(exportId)).status).toBe(409);
    await waitFor(async () => ((await objectExists(s3Of(harness), row.storage_key)) ? null : true), 'the revoked archive deleted');
    const rebuilt = await waitFor(async () => {
      const list = await call(harness, 'GET', `/v1/studies/${studyId}/exports`, RESEARCHER);
      const again = list.body.items.find((e: { rebuiltFrom: string | null; status: string }) => e.rebuiltFrom === exportId && e.status === 'ready');
      return again ?? null;
    }, 'the rebuild', 60_000);
    const manifest = JSON.parse(readZip((await download(rebuilt.id)).zip).get('manifest.json')!.toString());
    expect(manifest.counts.exclusions.withdrawn).toBe(2);
  });

  it('counts the exports an erasure revoked in its report', async () => {
    const studyId = await study({ kinds: ['transcript'] });
    const exportId = await built(studyId);
    const erased = await call(harness, 'POST', '/v1/people/tutor-rx2/erasure', PLATFORM);
    expect(erased.status).toBe(200);
    expect(erased.body.counts.exportsRevoked).toBeGreaterThanOrEqual(1);
    expect((await call(harness, 'GET', `/v1/exports/${exportId}`, RESEARCHER)).body).toMatchObject({ status: 'revoked', revokedReason: 'erasure' });
  });

  it('expires a ready export when its study’s agreement ends, and deletes the archive', async () => {
    const studyId = await study({ kinds: ['chat'] });
    const exportId = await built(studyId);
    await harness.query(`UPDATE research_exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [exportId]);
    await waitFor(async () => ((await call(harness, 'GET', `/v1/exports/${exportId}`, RESEARCHER)).body.status === 'expired' ? true : null), 'expired');
    expect((await download(exportId)).status).toBe(409);
  });
});
