import { createHash } from 'node:crypto';

/**
 * Consent per participant per session at build time (issue 14 item 3; POLICIES §4). The person's
 * current research decision comes from the ledger (`currentConsent(…, 'research', studyId)`: a
 * study's own decision and the decisions for all research, the latest wins; a minor's grant is
 * their guardian's, which the ledger already enforces). Under `opt_in` only a current grant lets
 * a person in; under `opt_out` anyone but a current withdrawal is in.
 */
export type ResearchDecision = { decision: 'grant' | 'withdraw'; decisionId: string } | null;
export type ExclusionReason = 'withdrawn' | 'not_granted';

export function consentExclusion(model: 'opt_in' | 'opt_out', current: ResearchDecision): ExclusionReason | null {
  if (current?.decision === 'withdraw') return 'withdrawn';
  if (model === 'opt_in' && current?.decision !== 'grant') return 'not_granted';
  return null;
}

export interface SessionParticipant {
  personId: string;
  role: 'tutor' | 'learner' | 'parent';
}

export interface SessionConsent {
  /** Who may appear: their words stay, de-identified. */
  included: string[];
  excluded: Array<{ personId: string; role: SessionParticipant['role']; reason: ExclusionReason }>;
  /** Audio carries every voice: only when everyone on the roster is included. */
  audio: boolean;
  /** `drop_session` studies leave a session out when anyone is excluded. */
  dropped: boolean;
}

export function sessionConsent(
  roster: readonly SessionParticipant[],
  decisions: ReadonlyMap<string, ResearchDecision>,
  model: 'opt_in' | 'opt_out',
  nonConsenting: 'remove' | 'drop_session',
): SessionConsent {
  const included: string[] = [];
  const excluded: SessionConsent['excluded'] = [];
  for (const p of roster) {
    const reason = consentExclusion(model, decisions.get(p.personId) ?? null);
    if (reason) excluded.push({ personId: p.personId, role: p.role, reason });
    else included.push(p.personId);
  }
  const dropped = nonConsenting === 'drop_session' && excluded.length > 0;
  return { included: dropped ? [] : included, excluded, audio: excluded.length === 0 && roster.length > 0, dropped };
}

/**
 * The consent snapshot an export was built on: a hash over every participant considered and the
 * ledger decision that counted for them (ids only), so two builds can be compared without naming
 * anyone.
 */
export function consentSnapshotHash(entries: ReadonlyArray<{ personId: string; decisionId: string | null }>): string {
  const lines = [...entries].map((e) => `${e.personId}\t${e.decisionId ?? '-'}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
