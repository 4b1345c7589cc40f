import type { ArchivedFile } from './export-archive';
import type { StudyRow } from './research.repository';
import type { StudyKind } from './study-rules';

/** Counts only: how many sessions, and who was left out by reason — never who. */
export interface ExportTally {
  sessions: number;
  /** `drop_session` studies: sessions left out because someone in them did not consent. */
  sessionsDropped: number;
  /** Sessions exported with no transcript or chat line left (nobody who spoke consented, or no text). */
  sessionsWithoutConsentedText: number;
  /** Sessions whose audio was left out because someone on it did not consent. */
  audioWithheld: number;
  /** Transcript cues and chat messages removed: from people who did not consent or match nobody. */
  linesRemoved: number;
  /** Participants excluded, by reason (`withdrawn`, `not_granted`), counted per session. */
  exclusions: Record<string, number>;
}

export interface TalkTimeLine {
  session: string;
  recording: string;
  source: string;
  speaker: string;
  role: string;
  seconds: number;
  turns: number;
  share: number | null;
}

/** `manifest.json` (CONTRACT: `{"files":[{"path","sha256"}],…}`, every other entry listed with its sha256). */
export function exportManifest(m: {
  exportId: string;
  study: StudyRow;
  kinds: StudyKind[];
  files: readonly ArchivedFile[];
  tally: ExportTally;
  consentHash: string;
  deidVersion: string;
  createdAt: Date;
  people: number;
}) {
  return {
    exportId: m.exportId,
    study: { id: m.study.id, name: m.study.name, consentModel: m.study.consent_model, kinds: m.kinds, agreementExpiresAt: m.study.agreement_expires_at.toISOString() },
    createdAt: m.createdAt.toISOString(),
    deidentificationVersion: m.deidVersion,
    consentSnapshotHash: m.consentHash,
    counts: { ...m.tally, people: m.people, files: m.files.length },
    files: m.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
  };
}

const csvCell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function talkTimeCsv(lines: readonly TalkTimeLine[]): string {
  const header = ['session', 'recording', 'source', 'speaker', 'role', 'seconds', 'turns', 'share'];
  const rows = lines.map((l) => [l.session, l.recording, l.source, l.speaker, l.role, l.seconds, l.turns, l.share].map(csvCell).join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function dataDictionary(kinds: readonly StudyKind[]): string {
  return `# Data dictionary

Every file in this archive is listed with its SHA-256 in \`manifest.json\`.

## Folders
- \`sessions/session-<id>/\`: one folder per tutoring session; \`<id>\` is a study pseudonym (the same
  session has the same folder name in every export of this study, and a different one in any other
  study). A session with more than one recording has a \`recording-<id>/\` folder per recording.
${kinds.includes('transcript') ? '- `transcript.vtt`: the de-identified transcript (WebVTT); times are seconds from the start of the recording.\n' : ''}${
    kinds.includes('chat') ? '- `chat.txt`: the de-identified chat log, one message per line (`HH:MM:SS From <speaker> to <audience>: text`).\n' : ''
  }${kinds.includes('audio') ? '- `audio.m4a`: the session audio, present only when everyone heard on it consented.\n' : ''}${
    kinds.includes('talk_time') ? '- `talk_time.csv`: talk time per speaker per recording (see below).\n' : ''
  }
## Speakers
Speakers are \`[TUTOR <id>]\`, \`[LEARNER <id>]\`, \`[PARENT <id>]\`: the role and a study pseudonym.
People who did not consent to research are not in this archive: their lines are removed, and so
are lines whose speaker could not be matched to a participant.

## Placeholders inside text
\`[PERSON]\` a person's name (a participant or anyone mentioned), \`[EMAIL]\`, \`[PHONE]\`, \`[URL]\`,
\`[SOCIAL]\` (a social media handle), \`[ADDRESS]\` (street address or postcode), \`[SCHOOL]\`, \`[DOB]\`
(a date of birth), \`[ZOOM]\` (meeting ids, passcodes, meeting links).

## talk_time.csv
| column | meaning |
|---|---|
| session, recording | the pseudonyms of the folders above |
| source | what talk time was measured from: \`participant_audio\`, \`transcript\` or \`timeline\` |
| speaker, role | the speaker's pseudonym and role |
| seconds | the union of the speaker's speech intervals, in seconds |
| turns | stretches of speech nobody else interrupted |
| share | tutor: tutor / (tutor + learners); learner: their share of all learner speech |

## manifest.json
\`counts\` gives sessions exported and dropped, audio withheld, lines removed and participants
excluded by reason (\`withdrawn\`, \`not_granted\`) — counts only, never who. \`consentSnapshotHash\`
identifies the consent decisions the export was built on; \`deidentificationVersion\` the rules.
`;
}
