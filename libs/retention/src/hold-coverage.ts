/**
 * The one definition of "a hold covers this artifact", as SQL over an artifact row aliased `a`.
 * A hold on a recording covers its artifacts; on a session, everything of that session, including
 * recordings that arrive later; on a person, everything of the sessions they took part in and
 * everything that is theirs (their audio track, pictures of them, their verification video).
 */
export function heldArtifactSql(a = 'a', holds = 'holds'): string {
  // `holds` may name a narrower relation (one hold: "does this hold cover it?"), same definition.
  // Written as probes into small sets computed once per statement (hashed subplans, an init plan),
  // not as a join per artifact and hold: the sweep evaluates it on every row it reads, and its cost
  // must follow the rows read, not the number of holds or the size of the participants table.
  const active = (scope: string) => `SELECT h.target_id FROM ${holds} h WHERE h.released_at IS NULL AND h.scope = '${scope}'`;
  const heldSessions = `${active('session')}
      UNION SELECT sp.session_id FROM session_participants sp JOIN ${holds} h ON h.target_id = sp.person_id
      WHERE h.released_at IS NULL AND h.scope = 'person'`;
  return `COALESCE((
    ${a}.recording_id::text IN (${active('recording')})
    OR ${a}.person_id IN (${active('person')})
    OR COALESCE(${a}.pictured_person_ids, '{}') && ARRAY(${active('person')})
    OR ${a}.session_id IN (${heldSessions})
    OR (EXISTS (SELECT 1 FROM ${holds} h WHERE h.released_at IS NULL AND h.scope IN ('session', 'person'))
        AND (SELECT hr.session_id FROM recordings hr WHERE hr.id = ${a}.recording_id) IN (${heldSessions}))
  ), false)`;
}
