import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

export interface ReviewAssignment {
  id: string;
  recordingId: string;
  reviewerId: string;
  team: string;
  assignedBy: string;
  assignedAt: Date;
}

interface AssignmentRow {
  id: string;
  recording_id: string;
  reviewer_id: string;
  team: string;
  assigned_by: string;
  assigned_at: Date;
}

const asAssignment = (r: AssignmentRow): ReviewAssignment => ({
  id: r.id,
  recordingId: r.recording_id,
  reviewerId: r.reviewer_id,
  team: r.team,
  assignedBy: r.assigned_by,
  assignedAt: r.assigned_at,
});

/** Which volunteer reviewer may watch which recording, and for which team. */
@Injectable()
export class ReviewAssignments {
  constructor(private readonly sql: Sql) {}

  /** One assignment per recording and reviewer: assigning again moves it to the new team. */
  async assign(input: Omit<ReviewAssignment, 'id'>): Promise<ReviewAssignment> {
    const row = await this.sql.one<AssignmentRow>(
      `INSERT INTO review_assignments (recording_id, reviewer_id, team, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (recording_id, reviewer_id) DO UPDATE SET team = EXCLUDED.team, assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at
       RETURNING *`,
      [input.recordingId, input.reviewerId, input.team, input.assignedBy, input.assignedAt],
    );
    return asAssignment(row!);
  }

  async isAssigned(recordingId: string, reviewerId: string): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM review_assignments WHERE recording_id::text = $1 AND reviewer_id = $2`, [recordingId, reviewerId])) !== null;
  }

  async list(reviewerId?: string): Promise<ReviewAssignment[]> {
    const rows = await this.sql.rows<AssignmentRow>(
      `SELECT * FROM review_assignments WHERE $1::text IS NULL OR reviewer_id = $1 ORDER BY assigned_at DESC, id LIMIT 1000`,
      [reviewerId ?? null],
    );
    return rows.map(asAssignment);
  }
}
