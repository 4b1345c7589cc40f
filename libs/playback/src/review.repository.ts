import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { Assignment, ReviewOutcome } from './review-queue';

export interface ReviewRow {
  id: string;
  recording_id: string;
  outcome: ReviewOutcome;
  reviewer_id: string;
  hold_id: string | null;
  at: Date;
}

export interface QueueCandidateRow {
  id: string;
  session_id: string | null;
  started_at: Date;
  assignments: Assignment[];
}

/** The most candidates one queue read considers (newest first); sampling and ordering happen in code. */
const QUEUE_SCAN_LIMIT = 2000;

/**
 * Reviews, and what the review side reads about recordings. Assignments are read from
 * `review_assignments (recording_id, reviewer_id, team)`, the table the playback side creates.
 */
@Injectable()
export class ReviewRepository {
  constructor(private readonly sql: Sql) {}

  /** Locks the recording against deletion of its row for the review's transaction (rows first, STYLE lock order). */
  async lockRecording(recordingId: string): Promise<boolean> {
    return (await this.sql.rows('SELECT id FROM recordings WHERE id = $1 FOR KEY SHARE', [recordingId])).length > 0;
  }

  async recordingExists(recordingId: string): Promise<boolean> {
    return (await this.sql.rows('SELECT id FROM recordings WHERE id = $1', [recordingId])).length > 0;
  }

  async isAssigned(recordingId: string, reviewerId: string): Promise<boolean> {
    const rows = await this.sql.rows('SELECT 1 FROM review_assignments WHERE recording_id = $1 AND reviewer_id = $2 LIMIT 1', [recordingId, reviewerId]);
    return rows.length > 0;
  }

  async insert(review: { recordingId: string; outcome: ReviewOutcome; note: string | null; reviewerId: string; holdId: string | null; at: Date }): Promise<ReviewRow> {
    const [row] = await this.sql.rows<ReviewRow>(
      `INSERT INTO reviews (recording_id, outcome, note, reviewer_id, hold_id, at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, recording_id, outcome, reviewer_id, hold_id, at`,
      [review.recordingId, review.outcome, review.note, review.reviewerId, review.holdId, review.at],
    );
    return row;
  }

  /** Recordings with a stored stream and no review yet, newest first, each with its assignments. */
  queueCandidates(): Promise<QueueCandidateRow[]> {
    return this.sql.rows<QueueCandidateRow>(
      `SELECT r.id, r.session_id, r.started_at,
              COALESCE((SELECT json_agg(json_build_object('reviewerId', a.reviewer_id, 'team', a.team) ORDER BY a.team, a.reviewer_id)
                        FROM review_assignments a WHERE a.recording_id = r.id), '[]'::json) AS assignments
         FROM recordings r
        WHERE EXISTS (SELECT 1 FROM artifacts s WHERE s.recording_id = r.id AND s.kind = 'stream' AND s.status = 'stored')
          AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.recording_id = r.id)
        ORDER BY r.started_at DESC, r.id
        LIMIT ${QUEUE_SCAN_LIMIT}`,
    );
  }

}
