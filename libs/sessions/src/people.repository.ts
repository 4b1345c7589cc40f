import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

export interface PersonFacts {
  personId: string;
  displayName: string;
  email: string | null;
  /** null: not said (a tutor); a known value is never replaced by null. */
  minor: boolean | null;
}

/** The people sessions name: tutors, learners, parents. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly sql: Sql) {}

  /** Creates or updates the person; an erased person stays erased (name and email not taken back). */
  async upsert(p: PersonFacts): Promise<void> {
    await this.sql.run(
      `INSERT INTO people (id, display_name, email, minor) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET
         display_name = CASE WHEN people.erased_at IS NULL THEN EXCLUDED.display_name ELSE people.display_name END,
         email = CASE WHEN people.erased_at IS NULL THEN COALESCE(EXCLUDED.email, people.email) END,
         minor = COALESCE(EXCLUDED.minor, people.minor), updated_at = now()`,
      [p.personId, p.displayName, p.email, p.minor],
    );
  }
}
