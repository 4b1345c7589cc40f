/**
 * The one definition of "a hold covers this artifact", as SQL over an artifact row aliased `a`.
 * A hold on a recording covers its artifacts; on a session, everything of that session, including
 * recordings that arrive later; on a person, everything of the sessions they took part in and
 * everything that is theirs (their audio track, pictures of them, their verification video).
 */
export function heldArtifactSql(a = 'a'): string {
  return `EXISTS (
    SELECT 1 FROM holds h
    LEFT JOIN recordings hr ON hr.id = ${a}.recording_id
    WHERE h.released_at IS NULL AND (
      (h.scope = 'recording' AND h.target_id = ${a}.recording_id::text)
      OR (h.scope = 'session' AND h.target_id IN (hr.session_id, ${a}.session_id))
      OR (h.scope = 'person' AND (
        h.target_id = ${a}.person_id
        OR h.target_id = ANY(COALESCE(${a}.pictured_person_ids, '{}'))
        OR EXISTS (SELECT 1 FROM session_participants sp
                   WHERE sp.person_id = h.target_id AND sp.session_id IN (hr.session_id, ${a}.session_id))))
    ))`;
}
