import { ApiProperty } from '@nestjs/swagger';
import { TREND_METRICS } from '@lib/analytics';

const seconds = (description?: string) => ApiProperty({ type: 'number', description });
const share = (description: string) => ApiProperty({ type: Number, nullable: true, description });

class SpeakerResponse {
  @ApiProperty() personId: string;
  @ApiProperty({ type: String, nullable: true, description: 'from the roster; null once the person is erased' }) displayName: string | null;
  @ApiProperty({ enum: ['tutor', 'learner', 'parent'] }) role: string;
  @seconds('the union of their speech intervals') seconds: number;
  @ApiProperty({ type: 'integer' }) turns: number;
  @share('tutor: tutorShare; learner: their share of all learner time; parent: null') share: number | null;
}

class LearnerResponse {
  @ApiProperty() personId: string;
  @seconds() seconds: number;
  @share('their share of learnerSeconds') share: number | null;
}

class TutorFiguresResponse {
  @seconds('the longest stretch the tutor spoke without anyone else starting to speak') longestMonologueSeconds: number;
  @ApiProperty({ type: Number, nullable: true }) meanTurnSeconds: number | null;
  @ApiProperty({ type: 'integer' }) turns: number;
  @ApiProperty({ type: Number, nullable: true, description: 'questions asked (from a transcript; null from audio or a timeline)' }) questions: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'mean gap from a question until a learner speaks' }) meanWaitSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'questions no learner answered before the next question' }) unansweredQuestions: number | null;
}

class BinResponse {
  @seconds('from session start') startSeconds: number;
  @seconds() tutorSeconds: number;
  @seconds() learnerSeconds: number;
  @seconds() parentSeconds: number;
  @seconds() unattributedSeconds: number;
}

class RetentionOfReportResponse {
  @ApiProperty({ type: String, nullable: true, description: 'the retention class of the files it was computed from' }) class: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the report goes when its sources go' }) expiresAt: string | null;
}

/** CONTRACT talk-time JSON, and more. */
export class TalkTimeResponse {
  @ApiProperty({ format: 'uuid' }) recordingId: string;
  @ApiProperty({ type: String, nullable: true }) sessionId: string | null;
  @ApiProperty({ enum: ['participant_audio', 'transcript', 'timeline'], description: 'the best source the recording had' }) source: string;
  @ApiProperty({ format: 'date-time' }) analysedAt: string;
  @seconds('last cue end minus first cue start (audio: the track length)') sessionSeconds: number;
  @seconds() tutorSeconds: number;
  @seconds('sum over learners of each learner’s own union') learnerSeconds: number;
  @seconds() parentSeconds: number;
  @seconds('speech that matches nobody on the roster') unattributedSeconds: number;
  @share('tutorSeconds / (tutorSeconds + learnerSeconds)') tutorShare: number | null;
  @ApiProperty({ type: [SpeakerResponse], description: 'every roster person, silent ones with 0' }) speakers: SpeakerResponse[];
  @ApiProperty({ type: [LearnerResponse] }) learners: LearnerResponse[];
  @ApiProperty({ type: [String], description: 'learners who never spoke' }) silentLearners: string[];
  @ApiProperty({ type: 'integer', description: 'distinct speaker labels that match nobody (never the labels)' }) unattributedSpeakers: number;
  @ApiProperty({ type: TutorFiguresResponse }) tutor: TutorFiguresResponse;
  @seconds('time two or more people speak at once') overlapSeconds: number;
  @seconds('time within the session nobody speaks') silenceSeconds: number;
  @ApiProperty({ type: [BinResponse], description: 'talk over time in 5-minute bins' }) bins: BinResponse[];
}

export class RecordingTalkTimeResponse extends TalkTimeResponse {
  @ApiProperty({ type: RetentionOfReportResponse }) retention: RetentionOfReportResponse;
}

class FeedbackSessionResponse extends TalkTimeResponse {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) program: string | null;
}

class TrendPointResponse {
  @ApiProperty({ format: 'uuid' }) recordingId: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) value: number | null;
}

class TrendResponse {
  @ApiProperty({ enum: TREND_METRICS }) metric: string;
  @ApiProperty({ type: [TrendPointResponse], description: 'oldest first' }) points: TrendPointResponse[];
  @ApiProperty({ type: Number, nullable: true }) tutorMean: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the median over the programs’ sessions (every tutor’s)' }) programMedian: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'tutorMean − programMedian' }) difference: number | null;
  @ApiProperty({ enum: ['rising', 'falling', 'steady'], nullable: true, description: 'newer half against older half (4+ sessions)' }) direction: string | null;
  @ApiProperty({ type: 'integer' }) programSessions: number;
}

export class TutorFeedbackResponse {
  @ApiProperty() tutorId: string;
  @ApiProperty({ type: [FeedbackSessionResponse], description: 'the tutor’s last N analysed sessions, newest first' }) sessions: FeedbackSessionResponse[];
  @ApiProperty({ type: [TrendResponse] }) trends: TrendResponse[];
  @ApiProperty({ type: [String] }) programs: string[];
}
