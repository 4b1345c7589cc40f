import { redactChat, redactOccurrences, redactTimeline, redactTranscript } from './person-redaction';

const roster = [
  { personId: 'tutor-rivera', displayName: 'Ms Rivera' },
  { personId: 'learner-elisa', displayName: 'Elisa Lopez' },
  { personId: 'learner-tom', displayName: 'Tom K' },
];
const elisa = { personId: 'learner-elisa', displayName: 'Elisa Lopez', email: 'elisa.lopez@example.com' };

describe('erasure of a person from kept text', () => {
  it('replaces the full display name whatever its case, accents, apostrophes or hyphens', () => {
    const person = { personId: 'p', displayName: "Zoë O'Brien-Smith" };
    const { text, replacements } = redactOccurrences("zoe o’brien smith said hi; ZOË O'BRIEN-SMITH left; Zoë stayed", person);
    expect(text).toBe('[PERSON] said hi; [PERSON] left; Zoë stayed');
    expect(replacements).toBe(2);
  });

  it('replaces only whole names, never inside another word', () => {
    expect(redactOccurrences('Elisa Lopezova and Elisa Lopez', elisa).text).toBe('Elisa Lopezova and [PERSON]');
  });

  it('replaces their email', () => {
    expect(redactOccurrences('write to Elisa.Lopez@example.com please', elisa).text).toBe('write to [EMAIL] please');
  });

  it('replaces their speaker labels by the name-matching rules, and their full name in the text, in a transcript', () => {
    const vtt = [
      'WEBVTT',
      '',
      '1',
      '00:00:00.400 --> 00:00:02.000',
      'Ms Rivera: Hi Elisa, shall we start? Elisa Lopez, are you there?',
      '',
      '2',
      '00:00:02.400 --> 00:00:03.600',
      'Elisa L.: I think it is three quarters.',
      '',
      '3',
      '00:00:04.000 --> 00:00:05.000',
      '<v Elisa Lopez (Guest)>Yes',
      '',
      '4',
      '00:00:05.000 --> 00:00:06.000',
      'Tom K: Elisa: can you help?',
      '',
    ].join('\n');
    const { text, replacements } = redactTranscript(vtt, elisa, roster);
    expect(text.split('\n')).toEqual([
      'WEBVTT',
      '',
      '1',
      '00:00:00.400 --> 00:00:02.000',
      'Ms Rivera: Hi Elisa, shall we start? [PERSON], are you there?',
      '',
      '2',
      '00:00:02.400 --> 00:00:03.600',
      '[PERSON]: I think it is three quarters.',
      '',
      '3',
      '00:00:04.000 --> 00:00:05.000',
      '<v [PERSON]>Yes',
      '',
      '4',
      '00:00:05.000 --> 00:00:06.000',
      'Tom K: Elisa: can you help?',
      '',
    ]);
    expect(replacements).toBe(3);
  });

  it('leaves other people and a transcript that never names them untouched', () => {
    const vtt = 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nTom K: hello\n';
    expect(redactTranscript(vtt, elisa, roster)).toEqual({ text: vtt, replacements: 0 });
  });

  it('replaces the sender in a chat log, in both of Zoom formats, and their name and email in messages', () => {
    const chat = [
      '00:00:01\tMs Rivera:\tWelcome Elisa Lopez!',
      '00:00:02\tElisa Lopez:\tcan you email me? elisa.lopez@example.com',
      'a second line of that message',
      '00:00:03 From Elisa L to Ms Rivera(Direct Message): thanks',
      '00:00:04 From Tom K to Everyone: hi',
    ].join('\n');
    const { text, replacements } = redactChat(chat, elisa, roster);
    expect(text.split('\n')).toEqual([
      '00:00:01\tMs Rivera:\tWelcome [PERSON]!',
      '00:00:02\t[PERSON]:\tcan you email me? [EMAIL]',
      'a second line of that message',
      '00:00:03 From [PERSON] to Ms Rivera(Direct Message): thanks',
      '00:00:04 From Tom K to Everyone: hi',
    ]);
    expect(replacements).toBe(4);
  });

  it('removes their name and email from timeline user entries', () => {
    const timeline = JSON.stringify({
      timeline: [
        { ts: '00:00:00.400', users: [{ username: 'Ms Rivera', email_address: 'ms.rivera@tutoring.example', user_id: '1' }] },
        { ts: '00:00:02.400', users: [{ username: 'Elisa L', email_address: 'elisa@example.com', user_id: '2' }] },
      ],
    }, null, 2);
    const { text, replacements } = redactTimeline(timeline, elisa, roster);
    const parsed = JSON.parse(text);
    expect(parsed.timeline[0].users[0]).toEqual({ username: 'Ms Rivera', email_address: 'ms.rivera@tutoring.example', user_id: '1' });
    expect(parsed.timeline[1].users[0]).toEqual({ username: '[PERSON]', email_address: '[EMAIL]', user_id: '2' });
    expect(replacements).toBe(2);
  });
});
