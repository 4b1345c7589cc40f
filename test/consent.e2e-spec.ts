import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '@lib/storage';
import { call } from './support/api-client';
import { recordConsent, registerSession } from './support/builders';
import { ServiceHarness } from './support/harness';

/**
 * The consent ledger (POLICIES §4, CONTRACT `POST/GET /v1/people/{personId}/consents`):
 * append-only decisions per person and purpose, the current state derived from them (the latest
 * decision wins), a minor's grants given by a parent or guardian, and ledger rows and audit
 * entries that hold ids only: free text lives in an evidence object erasure can delete.
 */
describe('consent ledger', () => {
  let harness: ServiceHarness;
  let s3: S3Client;
  const S = 'c1';
  const elisa = `elisa-${S}`;
  const tom = `tom-${S}`;
  const parent = `parent-${S}`;

  beforeAll(async () => {
    harness = await ServiceHarness.start();
    s3 = createS3Client(harness.config, harness.s3.endpoint);
    await registerSession(harness, S, { zoomMeetingId: '81234567890', startsAt: '2026-11-02T15:00:00Z' });
    // An adult learner of another session.
    const adult = await call(harness, 'PUT', '/v1/sessions/c2', {
      roles: ['platform'],
      json: {
        zoomMeetingId: '81234567891',
        startsAt: '2026-11-02T17:00:00Z',
        policyProfile: 'classes',
        tutor: { personId: 'tutor-c2', displayName: 'Mr Park' },
        learners: [{ personId: 'sam-adult', displayName: 'Sam Adult', minor: false }],
        parents: [],
      },
    });
    expect(adult.status).toBe(201);
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
  });

  const ledgerOf = (personId: string, roles = ['admin']) => call(harness, 'GET', `/v1/people/${personId}/consents`, { roles });
  const rowsOf = (personId: string) => harness.query('SELECT * FROM consent_decisions WHERE person_id = $1 ORDER BY decided_at', [personId]);

  async function objectText(key: string): Promise<string> {
    const object = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: key }));
    return object.Body!.transformToString();
  }

  describe('who may call, and what is refused', () => {
    it('refuses a caller without a bearer token with 401, and a tutor or reviewer with 403', async () => {
      const body = { purpose: 'video_recording', decision: 'withdraw' };
      expect((await call(harness, 'POST', `/v1/people/${elisa}/consents`, { token: null, json: body })).status).toBe(401);
      expect((await call(harness, 'POST', `/v1/people/${elisa}/consents`, { token: 'not.a.jwt', json: body })).status).toBe(401);
      expect((await call(harness, 'POST', `/v1/people/${elisa}/consents`, { roles: ['reviewer'], json: body })).status).toBe(403);
      expect((await ledgerOf(elisa, ['tutor'])).status).toBe(403);
      expect(await rowsOf(elisa)).toEqual([]);
    });

    it('answers 404 for a person the service does not know, writing nothing', async () => {
      const res = await recordConsent(harness, 'nobody-known', { purpose: 'video_recording', decision: 'withdraw', evidence: 'said on the phone' });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('person not found');
      expect((await ledgerOf('nobody-known')).status).toBe(404);
      expect(await rowsOf('nobody-known')).toEqual([]);
    });

    it.each([
      ['an unknown purpose', { purpose: 'marketing', decision: 'grant' }, 'purpose must be one of the following values'],
      ['an unknown decision', { purpose: 'images', decision: 'maybe', reason: 'x' }, 'decision must be one of the following values'],
      ['images without the reason the picture is taken', { purpose: 'images', decision: 'grant', decidedBy: parent }, 'reason is required for images'],
      ['a study for anything but research', { purpose: 'video_recording', decision: 'withdraw', studyId: 'sat-2026' }, 'studyId is only for the research purpose'],
      ['an unknown field', { purpose: 'video_recording', decision: 'withdraw', note: 'x' }, 'property note should not exist'],
    ])('refuses %s with 400', async (_, body, message) => {
      const res = await recordConsent(harness, elisa, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
      expect(await rowsOf(elisa)).toEqual([]);
    });

    it('refuses a grant of images for a minor without a parent deciding (422), and stores no evidence', async () => {
      const before = await harness.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'consent.recorded'");
      const res = await recordConsent(harness, elisa, { purpose: 'images', decision: 'grant', reason: 'photo of the fractions worksheet' });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe(`${elisa} is a minor: a grant of images must be decided by a parent or guardian (decidedBy)`);
      expect(await rowsOf(elisa)).toEqual([]);
      expect(await harness.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'consent.recorded'")).toEqual(before);
    });

    it('refuses a grant of research for a minor decided by someone who is not their parent (422)', async () => {
      // Tom's guardian is not the parent of Elisa: parent-c1 names only Elisa among their children.
      const res = await recordConsent(harness, tom, { purpose: 'research', decision: 'grant', studyId: 'sat-2026', decidedBy: parent });
      expect(res.status).toBe(422);
      expect(res.body.message).toContain(`${parent} is not a parent or guardian of this learner in any registered session`);
    });
  });

  it("records a parent's images grant for their child (201), keeping the reason and evidence out of the row", async () => {
    const res = await recordConsent(harness, elisa, {
      purpose: 'images',
      decision: 'grant',
      decidedBy: parent,
      reason: 'photo of Elisa holding the science project',
      evidence: 'signed form #4411 from Ana Lopez',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ personId: elisa, purpose: 'images', decision: 'grant', decidedBy: parent, recordedBy: 'platform-service', personIsMinor: true, hasEvidence: true });
    const [row] = await rowsOf(elisa);
    expect(row).toMatchObject({ id: res.body.id, decided_by: parent, recorded_by: 'platform-service', person_is_minor: true });
    // The row holds ids and facts only; the free text is in an object, under a key that says nothing.
    expect(JSON.stringify(row)).not.toMatch(/science project|Ana Lopez|4411/);
    expect(row.evidence_key).toMatch(/^e\/[0-9a-f]{32}\/[0-9a-f]{24}\.json$/);
    const evidence = JSON.parse(await objectText(row.evidence_key as string));
    expect(evidence).toMatchObject({ personId: elisa, reason: 'photo of Elisa holding the science project', evidence: 'signed form #4411 from Ana Lopez' });
    // The audit entry: ids, purpose and decision only.
    const [audit] = await harness.query<{ details: Record<string, unknown>; actor_id: string }>(
      "SELECT details, actor_id FROM audit_log WHERE action = 'consent.recorded' AND subject_id = $1",
      [elisa],
    );
    expect(audit.actor_id).toBe('platform-service');
    expect(audit.details).toEqual({ decisionId: res.body.id, purpose: 'images', decision: 'grant', studyId: null, decidedBy: parent });
  });

  it("honours a learner's own video opt-out and records that they are a verified minor", async () => {
    const res = await recordConsent(harness, tom, { purpose: 'video_recording', decision: 'withdraw', decidedBy: tom });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ purpose: 'video_recording', decision: 'withdraw', personIsMinor: true, hasEvidence: false });
    const ledger = await ledgerOf(tom);
    expect(ledger.status).toBe(200);
    expect(ledger.body.current.video_recording).toMatchObject({ decision: 'withdraw', decisionId: res.body.id });
  });

  it('lets an adult learner decide for themselves', async () => {
    const res = await recordConsent(harness, 'sam-adult', { purpose: 'images', decision: 'grant', reason: 'class photo' });
    expect(res.status).toBe(201);
    expect(res.body.personIsMinor).toBe(false);
  });

  it('derives the current state from the ledger: the latest decision wins, per purpose and study', async () => {
    const steps = [
      { purpose: 'video_recording', decision: 'withdraw' },
      { purpose: 'research', decision: 'grant', studyId: 'sat-2026', decidedBy: parent },
      { purpose: 'video_recording', decision: 'grant', decidedBy: parent },
      { purpose: 'research', decision: 'withdraw' },
    ];
    const ids: string[] = [];
    for (const step of steps) {
      const res = await recordConsent(harness, elisa, step);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const ledger = await call(harness, 'GET', `/v1/people/${elisa}/consents`, { roles: ['platform'] });
    expect(ledger.status).toBe(200);
    expect(ledger.body.personId).toBe(elisa);
    expect(ledger.body.current.video_recording).toMatchObject({ decision: 'grant', decisionId: ids[2] });
    expect(ledger.body.current.images).toMatchObject({ decision: 'grant' });
    expect(ledger.body.current.research.global).toMatchObject({ decision: 'withdraw', decisionId: ids[3] });
    // The later "no research" overrides the earlier study grant.
    expect(ledger.body.current.research.studies['sat-2026']).toMatchObject({ decision: 'withdraw', decisionId: ids[3] });
    // Every decision is kept, newest first, with who recorded it; evidence is only flagged.
    expect(ledger.body.decisions.map((d: { id: string }) => d.id).slice(0, 4)).toEqual([...ids].reverse());
    expect(ledger.body.decisions).toHaveLength(5);
    expect(ledger.body.decisions.every((d: Record<string, unknown>) => d.recordedBy === 'platform-service' && !('evidenceKey' in d))).toBe(true);
  });

  it('keeps the ledger append-only: the database refuses to change or remove a decision', async () => {
    await expect(harness.query("UPDATE consent_decisions SET decision = 'grant' WHERE person_id = $1", [tom])).rejects.toThrow(/append-only/);
    await expect(harness.query('DELETE FROM consent_decisions WHERE person_id = $1', [tom])).rejects.toThrow(/append-only/);
  });

  it('keeps the audit chain intact through it all', async () => {
    const verify = await call(harness, 'GET', '/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, firstBrokenId: null });
  });
});
