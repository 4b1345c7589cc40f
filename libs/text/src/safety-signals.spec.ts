import { parseChatLog } from './chat-log';
import { chatSafetySignals, SafetyException, SafetyOptions, SafetyRosterPerson, transcriptSafetySignals } from './safety-signals';
import { parseWebVtt } from './webvtt';

const roster: SafetyRosterPerson[] = [
  { personId: 'tutor-1', displayName: 'Jane Doe', role: 'tutor' },
  { personId: 'sam', displayName: 'Sam Lee', role: 'learner' },
  { personId: 'mia', displayName: 'Mia Chen', role: 'learner' },
  { personId: 'paul', displayName: 'Paul Lee', role: 'parent', children: ['sam'] },
];
const options = (exceptions: SafetyException[] = []): SafetyOptions => ({ allowedDomains: ['tutoring.example.org'], exceptions });
const chat = (lines: string[], exceptions: SafetyException[] = [], people = roster) =>
  chatSafetySignals(parseChatLog(lines.join('\n')), people, options(exceptions));
const dm = (from: string, to: string, text: string) => `00:10:00 From ${from} to ${to}(Direct Message): ${text}`;
const toEveryone = (from: string, text: string) => `00:12:30 From ${from} to Everyone: ${text}`;
const verdict = (s: { breach: boolean; coveredBy: string | null; exceptionId: string | null }) => [s.breach, s.coveredBy, s.exceptionId];

describe('safety signals from the chat log (POLICIES §5)', () => {
  it('flags a tutor giving a learner their number in a direct message as a breach', () => {
    expect(chat([dm('Jane Doe', 'Sam Lee', 'text me on 07700 900123')])).toEqual([
      {
        source: 'chat', line: 1, offsetSeconds: 600, kind: 'off_platform', direct: true,
        senderPersonId: 'tutor-1', senderRole: 'tutor', recipientPersonId: 'sam', recipientRole: 'learner',
        breach: true, coveredBy: null, exceptionId: null,
      },
      {
        source: 'chat', line: 1, offsetSeconds: 600, kind: 'phone', direct: true,
        senderPersonId: 'tutor-1', senderRole: 'tutor', recipientPersonId: 'sam', recipientRole: 'learner',
        breach: true, coveredBy: null, exceptionId: null,
      },
    ]);
  });

  it('records a tutor giving a parent an email in a direct message as covered by the parent rule', () => {
    const [s] = chat([dm('Jane Doe', 'Paul Lee', 'the kit invoice goes to jane.doe@gmail.com')]);
    expect(s).toMatchObject({ kind: 'email', recipientPersonId: 'paul', recipientRole: 'parent', breach: false, coveredBy: 'parent' });
  });

  it('flags a tutor posting a link to everyone while learners are in the session', () => {
    const [s] = chat([toEveryone('Jane Doe', 'join me at https://discord.gg/abc123')]);
    expect(s).toMatchObject({ kind: 'link', direct: false, recipientPersonId: null, recipientRole: 'everyone', breach: true, coveredBy: null });
  });

  it('does not flag an ordinary web link, however external: only links to another meeting, chat or social service', () => {
    expect(chat([toEveryone('Jane Doe', 'open https://www.desmos.com/calculator and khanacademy.org/math')])).toEqual([]);
    expect(chat([toEveryone('Jane Doe', 'join https://meet.google.com/abc-defg-hij')]).map((x) => [x.kind, x.breach])).toEqual([['link', true]]);
  });

  it('does not flag a tutor posting to everyone when no learner is on the roster', () => {
    const parentsOnly = roster.filter((p) => p.role !== 'learner');
    const [s] = chat([toEveryone('Jane Doe', 'my cell is (555) 123-4567')], [], parentsOnly);
    expect(verdict(s)).toEqual([false, null, null]);
  });

  it('flags a tutor messaging someone not on the roster, who could be a learner', () => {
    const [s] = chat([dm('Jane Doe', 'Guest 4', 'snap: janey22')]);
    expect(s).toMatchObject({ kind: 'social', recipientPersonId: null, recipientRole: 'unknown', breach: true });
  });

  it('does not flag a tutor messaging another tutor', () => {
    const withCoTutor = [...roster, { personId: 'tutor-2', displayName: 'Omar Haddad', role: 'tutor' as const }];
    const [s] = chat([dm('Jane Doe', 'Omar Haddad', 'my number is 5551234567')], [], withCoTutor);
    expect(s).toMatchObject({ recipientRole: 'tutor', breach: false, coveredBy: null });
  });

  describe('recorded Trust & Safety exceptions', () => {
    const phoneForSam: SafetyException = { id: 'exc-1', tutorId: 'tutor-1', familyPersonIds: ['sam', 'paul'], kinds: ['phone'] };

    it('covers the kind it allows for that tutor and family', () => {
      const [s] = chat([dm('Jane Doe', 'Sam Lee', '555-123-4567')], [phoneForSam]);
      expect(verdict(s)).toEqual([false, 'exception', 'exc-1']);
    });

    it('does not cover another kind of detail', () => {
      const [s] = chat([dm('Jane Doe', 'Sam Lee', 'jane.doe@gmail.com')], [phoneForSam]);
      expect(verdict(s)).toEqual([true, null, null]);
    });

    it('does not cover another family', () => {
      const [s] = chat([dm('Jane Doe', 'Mia Chen', '555-123-4567')], [phoneForSam]);
      expect(verdict(s)).toEqual([true, null, null]);
    });

    it('does not cover another tutor', () => {
      const otherTutor = { ...phoneForSam, tutorId: 'tutor-2' };
      const [s] = chat([dm('Jane Doe', 'Sam Lee', '555-123-4567')], [otherTutor]);
      expect(verdict(s)).toEqual([true, null, null]);
    });

    it('covers every kind when it lists none', () => {
      const anyKind = { ...phoneForSam, id: 'exc-2', kinds: null };
      const signals = chat([dm('Jane Doe', 'Sam Lee', 'jane.doe@gmail.com or 12 Elm Street')], [anyKind]);
      expect(signals.map((s) => [s.kind, ...verdict(s)])).toEqual([
        ['email', false, 'exception', 'exc-2'],
        ['address', false, 'exception', 'exc-2'],
      ]);
    });

    it('covers a message to everyone only when every learner of the session is in the family', () => {
      const both = { ...phoneForSam, id: 'exc-3', familyPersonIds: ['sam', 'paul', 'mia'] };
      const line = toEveryone('Jane Doe', '555-123-4567');
      expect(verdict(chat([line], [both])[0])).toEqual([false, 'exception', 'exc-3']);
      expect(verdict(chat([line], [phoneForSam])[0])).toEqual([true, null, null]);
    });

    it('never covers a message to someone not on the roster', () => {
      const [s] = chat([dm('Jane Doe', 'Guest 4', '555-123-4567')], [phoneForSam]);
      expect(verdict(s)).toEqual([true, null, null]);
    });
  });

  it('records a learner sharing their own number without calling it a breach', () => {
    const [s] = chat([toEveryone('Sam Lee', 'my number is 555 123 4567')]);
    expect(s).toMatchObject({ kind: 'phone', senderPersonId: 'sam', senderRole: 'learner', recipientRole: 'everyone', breach: false, coveredBy: null });
  });

  it('records a detail from a sender not on the roster as unknown, not a breach', () => {
    const [s] = chat([toEveryone('iPad (2)', 'add me on snapchat')]);
    expect(s).toMatchObject({ kind: 'off_platform', senderPersonId: null, senderRole: 'unknown', breach: false });
  });

  it('matches sender and recipient by the roster name rules ("Jane D.", a unique first name)', () => {
    const [s] = chat([dm('Jane D.', 'Mia', 'dm me')]);
    expect(s).toMatchObject({ senderPersonId: 'tutor-1', recipientPersonId: 'mia', breach: true });
  });

  it('ignores the platform’s own links and emails', () => {
    expect(chat([toEveryone('Jane Doe', 'slides: https://tutoring.example.org/s/42, questions to help@tutoring.example.org')])).toEqual([]);
  });

  it('ignores a tutor @mentioning a learner of the session', () => {
    expect(chat([toEveryone('Jane Doe', '@Sam Lee can you try question 3?')])).toEqual([]);
  });

  it('still flags a handle named after a platform even when it spells a participant’s name', () => {
    const [s] = chat([toEveryone('Jane Doe', 'my insta is @JaneDoe')]);
    expect(s).toMatchObject({ kind: 'social', senderRole: 'tutor', breach: true });
  });

  it('skips reactions and the quoted message of a reply, but reads the reply itself', () => {
    const signals = chat([
      toEveryone('Jane Doe', 'Great work'),
      toEveryone('Sam Lee', 'Reacted to "call 555-123-4567" with 👍'),
      '00:13:00 From Sam Lee to Everyone:',
      '\tReplying to "my insta is janey22":',
      '\tok, mine is mia_2011@gmail.com',
    ]);
    expect(signals.map((s) => [s.line, s.kind, s.senderPersonId])).toEqual([[3, 'email', 'sam']]);
  });

  it('gives one signal per detail and never the detail itself', () => {
    const signals = chat([dm('Jane Doe', 'Sam Lee', 'jane.doe@gmail.com, 07700 900123, @janey_d, 12 Elm Street, wa.me/447700900123')]);
    expect(signals.map((s) => s.kind)).toEqual(['email', 'phone', 'social', 'address', 'link']);
    const stored = JSON.stringify(signals);
    for (const secret of ['jane.doe', '07700', 'janey', 'Elm', 'wa.me']) expect(stored).not.toContain(secret);
  });
});

describe('safety signals from the transcript (POLICIES §5)', () => {
  const transcript = (...cues: string[]) =>
    parseWebVtt(['WEBVTT', '', ...cues.flatMap((c, i) => [`00:0${i}:05.000 --> 00:0${i}:09.000`, c, ''])].join('\n'));

  it('flags a tutor reading her number aloud to the session', () => {
    const signals = transcriptSafetySignals(
      transcript('Jane Doe: Any questions?', 'Jane Doe: call me on oh seven seven double oh nine double oh one two three'),
      roster,
      options(),
    );
    expect(signals).toEqual(
      ['off_platform', 'phone'].map((kind) => ({
        source: 'transcript', line: 6, offsetSeconds: 65, kind, direct: false,
        senderPersonId: 'tutor-1', senderRole: 'tutor', recipientPersonId: null, recipientRole: 'everyone',
        breach: true, coveredBy: null, exceptionId: null,
      })),
    );
  });

  it('reads a cue with no speaker as from an unknown sender', () => {
    const [s] = transcriptSafetySignals(transcript('my email is sam dot lee at gmail dot com'), roster, options());
    expect(s).toMatchObject({ kind: 'email', senderPersonId: null, senderRole: 'unknown', breach: false });
  });

  it('does not flag a learner counting aloud or reading numbers from a problem', () => {
    const cues = transcript('Sam Lee: one, two, three, four, five, six, seven, eight', 'Sam Lee: 4,567,890 times 12 is 54,814,680');
    expect(transcriptSafetySignals(cues, roster, options())).toEqual([]);
  });

  it('scans an hour of transcript (1,500 cues) in well under a second', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => {
      const s = (n: number) => `${String(Math.floor(n / 3600)).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000`;
      const say = i % 2 ? 'Sam Lee: so I multiply 4,567 by 12 and get 54,804, is that right at step 3?' : 'Jane Doe: yes, look at page 123-456 and try 2026-12-06 style dates next';
      return `${s(i * 2)} --> ${s(i * 2 + 2)}\n${say}\n`;
    });
    const cues = parseWebVtt(['WEBVTT', '', ...lines].join('\n'));
    const started = process.hrtime.bigint();
    expect(transcriptSafetySignals(cues, roster, options())).toEqual([]);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});
