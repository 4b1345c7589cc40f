import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { HoldRepository } from '@lib/retention';
import { TestDatabase } from './support/database';

/**
 * `HoldRepository.activeHoldsByRecording`: which active holds cover a recording, answered by the
 * one definition of coverage (`heldArtifactSql`), against the real schema. The recording catalogue
 * lists these on `GET /v1/recordings/{id}`.
 */
describe('active holds by recording', () => {
  let db: TestDatabase;
  let client: Client;
  let context: INestApplicationContext;
  let holds: HoldRepository;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await TestDatabase.create();
    client = await db.client();
    context = await db.context([HoldRepository]);
    holds = context.get(HoldRepository);
    for (const person of ['tutor-t', 'learner-a', 'learner-b', 'stranger']) {
      await client.query(`INSERT INTO people (id, display_name) VALUES ($1, 'x')`, [person]);
    }
    for (const session of ['s-1', 's-2']) {
      await client.query(`INSERT INTO sessions (id, zoom_meeting_id, starts_at, policy_profile, tutor_id) VALUES ($1, '1', now(), 'tutoring', 'tutor-t')`, [session]);
    }
    await client.query(`INSERT INTO session_participants (session_id, person_id, role) VALUES ('s-1', 'learner-a', 'learner'), ('s-2', 'learner-b', 'learner')`);
    const recording = async (name: string, session: string | null) => {
      const [row] = (await client.query(
        `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, session_id, policy_profile, started_at, status, storage_prefix)
         VALUES ($1, '1', $2, 'tutoring', now(), 'archived', $1) RETURNING id`,
        [name, session],
      )).rows;
      ids[name] = row.id;
    };
    await recording('of-s1', 's-1');
    await recording('of-s2', 's-2');
    await recording('unmatched', null);
    await recording('empty-of-s1', 's-1');
    // The unmatched recording carries the stranger's own audio track.
    await client.query(
      `INSERT INTO artifacts (recording_id, kind, storage_key, status, person_id) VALUES ($1, 'participant_audio', 'k1', 'stored', 'stranger'), ($2, 'video', 'k2', 'stored', NULL)`,
      [ids.unmatched, ids['of-s1']],
    );
  });

  afterAll(async () => {
    await context?.close();
    await client?.end();
    await db?.drop();
  });

  async function place(scope: string, target: string, released = false): Promise<string> {
    const [row] = (await client.query(
      `INSERT INTO holds (scope, target_id, reason, placed_by, placed_at, released_at) VALUES ($1, $2, 'legal', 'safety', now(), $3) RETURNING id`,
      [scope, target, released ? new Date() : null],
    )).rows;
    return row.id;
  }

  it('lists each active hold under every recording it covers, and none that are released', async () => {
    const byRecording = await place('recording', ids['of-s2']);
    const bySession = await place('session', 's-1');
    const byLearner = await place('person', 'learner-b');
    const byOwnTrack = await place('person', 'stranger');
    await place('recording', ids['of-s1'], true);

    const found = await holds.activeHoldsByRecording(Object.values(ids));
    const holdIds = (name: string) => found.get(ids[name])!.map((h) => h.id).sort();
    expect(holdIds('of-s1')).toEqual([bySession]);
    expect(holdIds('empty-of-s1')).toEqual([bySession]); // covers what arrives later
    expect(holdIds('of-s2')).toEqual([byRecording, byLearner].sort());
    expect(holdIds('unmatched')).toEqual([byOwnTrack]);
    expect(found.get(ids['of-s2'])!.find((h) => h.id === byLearner)).toMatchObject({ scope: 'person', targetId: 'learner-b', placedAt: expect.any(Date) });
  });

  it('answers an empty list for recordings nothing covers, and nothing for no recordings', async () => {
    await client.query('UPDATE holds SET released_at = now()');
    const found = await holds.activeHoldsByRecording([ids['of-s1']]);
    expect(found.get(ids['of-s1'])).toEqual([]);
    expect((await holds.activeHoldsByRecording([])).size).toBe(0);
  });
});
